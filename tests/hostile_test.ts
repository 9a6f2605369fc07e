/**
 * Hostile names, at each gate on its own and then end to end: the wire gate (`decodeMessage`,
 * which drops unknown fields, refuses a descriptor or describe with an unsafe name, and leaves
 * unsafe entries out of lists), the disk gate (`storage/paths.ts`, through `downloadContent`),
 * and a lying peer built in this process from the net layer, driven against a real downloader.
 */
import assert from "node:assert/strict";
import { isAbsolute, join, relative, resolve } from "node:path";
import { hashChunk, rootHash } from "../core/content.ts";
import { RedeError } from "../core/errors.ts";
import { CHUNK_BYTES, PROTOCOL_VERSION } from "../core/limits.ts";
import type { Trust } from "../net/membership.ts";
import { decodeMessage, type FileSummary } from "../net/protocol.ts";
import { PeerServer } from "../net/peer_server.ts";
import { hostileServer, registerByHand } from "./_hostile.ts";
import { ShareIndex } from "../storage/share_index.ts";
import { downloadContent, type Source } from "../storage/download.ts";
import { sharedPath } from "../storage/paths.ts";
import { run, type Scene, sceneTest, SOURCE, TestNetwork, WAIT_MS } from "../testing/harness.ts";
import { memberChannel } from "../testing/raw_client.ts";

/** Names that could leave a folder, on one system or another. */
const UNSAFE = [
  "fotos/../../pwned.txt",
  "..\\pwned.txt",
  "/tmp/pwned.txt",
  "a\u0000b",
  "CON",
  "C:pwned",
];
const GOOD = "fotos/ok.txt";

/** A real content: one small chunk, its true hash and root. */
const DATA = new TextEncoder().encode("nothing to see here\n");
const CHUNK = hashChunk(DATA);
const ROOT = rootHash(DATA.length, [CHUNK], CHUNK_BYTES);
const DESC = { size: DATA.length, chunk_size: CHUNK_BYTES, chunks: [CHUNK], root: ROOT };

/** A listed peer's ID (its certificate's fingerprint). */
const PEER_ID = "ab".repeat(32);

const summary = (name: string): FileSummary => ({ name, size: DATA.length, root: ROOT });
const descriptor = (name: string) => ({ t: "descriptor", name, ...DESC });

/** A frame payload, written by hand rather than by `encodeMessage`. */
function wire(value: unknown): Uint8Array {
  return new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
}

const isBadName = (e: unknown) =>
  e instanceof RedeError && e.code === "BAD_NAME" && e.message.startsWith("Invalid file name '");

// --- The wire gate ---------------------------------------------------------------------------

Deno.test("wire gate: lists of file summaries keep only the entries with safe names", () => {
  // The good entry sits among the bad ones, so that nothing positional passes.
  const files = [...UNSAFE.slice(0, 3), GOOD, ...UNSAFE.slice(3)].map(summary);
  const peers = [{ ip: "127.0.0.1", port: 4000, id: PEER_ID }];
  const cases: [Record<string, unknown>, Record<string, unknown>][] = [
    [{ t: "file_list", files }, { t: "file_list", files: [summary(GOOD)] }],
    [
      { t: "register", port: 4000, name: "mallory", files },
      { t: "register", port: 4000, name: "mallory", files: [summary(GOOD)] },
    ],
    [{ t: "announce", files }, { t: "announce", files: [summary(GOOD)] }],
    [
      { t: "found", results: files.map((f) => ({ ...f, peers })) },
      { t: "found", results: [{ ...summary(GOOD), peers }] },
    ],
  ];
  for (const [sent, expected] of cases) {
    assert.deepEqual(decodeMessage(wire(sent)), expected, String(sent.t));
  }
  // The same, as raw JSON text with its escapes as a peer would write them.
  const raw = `{"t":"file_list","files":[` +
    `{"name":"fotos/../../pwned.txt","size":1,"root":"${ROOT}"},` +
    `{"name":"..\\\\pwned.txt","size":1,"root":"${ROOT}"},` +
    `{"name":"a\\u0000b","size":1,"root":"${ROOT}"},` +
    `{"name":"fotos/ok.txt","size":1,"root":"${ROOT}"}]}`;
  assert.deepEqual(decodeMessage(wire(raw)), {
    t: "file_list",
    files: [{ name: GOOD, size: 1, root: ROOT }],
  });
});

Deno.test("wire gate: a descriptor or describe naming an unsafe file is refused with BAD_NAME", () => {
  // Under a safe name the very same messages pass: the refusal is the name's alone.
  assert.deepEqual(decodeMessage(wire(descriptor(GOOD))), descriptor(GOOD));
  assert.deepEqual(decodeMessage(wire({ t: "describe", name: GOOD })), {
    t: "describe",
    name: GOOD,
  });
  for (const name of UNSAFE) {
    const what = JSON.stringify(name);
    assert.throws(() => decodeMessage(wire(descriptor(name))), isBadName, `descriptor ${what}`);
    assert.throws(
      () => decodeMessage(wire({ t: "describe", name })),
      isBadName,
      `describe ${what}`,
    );
    assert.throws(
      () => decodeMessage(wire({ t: "describe", name, root: ROOT })),
      isBadName,
      `describe ${what} with a root`,
    );
  }
});

Deno.test("wire gate: fields a peer adds are dropped, however large or deep", () => {
  let deep: unknown = { end: true };
  for (let i = 0; i < 500; i++) deep = { next: deep, at: [i, String(i)] };
  const big = {
    blob: "x".repeat(512 * 1024),
    numbers: Array.from({ length: 10_000 }, (_, i) => i),
    deep,
  };
  const extra = (name: string) => ({ ...summary(name), big, path: "/etc/passwd", mode: 0o777 });
  const cases: [unknown, unknown][] = [
    [
      { t: "file_list", files: [extra(GOOD)], big, admin: true },
      { t: "file_list", files: [summary(GOOD)] },
    ],
    [
      { t: "register", port: 4000, name: "mallory", files: [extra(GOOD)], ip: "10.0.0.1" },
      { t: "register", port: 4000, name: "mallory", files: [summary(GOOD)] },
    ],
    [{ t: "announce", files: [extra(GOOD)], big }, { t: "announce", files: [summary(GOOD)] }],
    [
      {
        t: "found",
        results: [{ ...extra(GOOD), peers: [{ ip: "127.0.0.1", port: 4000, id: PEER_ID, big }] }],
        big,
      },
      {
        t: "found",
        results: [{ ...summary(GOOD), peers: [{ ip: "127.0.0.1", port: 4000, id: PEER_ID }] }],
      },
    ],
    [{ ...descriptor(GOOD), big, path: "../../pwned.txt" }, descriptor(GOOD)],
    [{ t: "describe", name: GOOD, big, path: "../x" }, { t: "describe", name: GOOD }],
    [{ t: "list", big }, { t: "list" }],
    // A key that would reach the prototype, were it copied.
    [
      `{"t":"announce","files":[{"name":"${GOOD}","size":20,"root":"${ROOT}",` +
      `"__proto__":{"polluted":true}}],"__proto__":{"polluted":true}}`,
      { t: "announce", files: [summary(GOOD)] },
    ],
  ];
  for (const [sent, expected] of cases) assert.deepEqual(decodeMessage(wire(sent)), expected);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, "no prototype was touched");
});

Deno.test("wire gate: a megabyte name or value is refused with a short error, never echoed", async () => {
  const huge = "\u001b[2J" + "x".repeat(1 << 20);
  const cases: [Record<string, unknown>, string][] = [
    [{ t: "describe", name: huge }, "BAD_NAME"],
    [descriptor(`fotos/${huge}`), "BAD_NAME"],
    [{ t: "hello", app: "rede-p2p", v: PROTOCOL_VERSION, role: huge }, "BAD_FRAME"],
    [{ t: huge }, "BAD_FRAME"],
  ];
  for (const [value, code] of cases) {
    assert.throws(() => decodeMessage(wire(value)), (e) => {
      assert.ok(e instanceof RedeError && e.code === code, String(e));
      assert.ok(e.message.length < 500, `${code}: a ${e.message.length}-character message`);
      assert.ok(!e.message.includes("\u001b"), "no control character");
      return true;
    });
  }
  // The same, answered by a real peer server to a hand-built client (a member of its network):
  // a short error, and the connection goes on.
  const home = await Deno.makeTempDir({ prefix: "rede-p2p-hostile-" });
  const index = new ShareIndex(home, join(home, "none.txt"));
  await index.refresh();
  const net = await TestNetwork.make();
  const server = await PeerServer.start({
    host: "127.0.0.1",
    port: 0,
    content: index,
    trust: await net.trust("seeder"),
  });
  let ch;
  try {
    ch = await memberChannel(server.address.port, await net.trust("hand-built"), WAIT_MS);
    await ch.send({ t: "describe", name: huge });
    const reply = await ch.recv(WAIT_MS);
    assert.equal(reply?.t, "error");
    assert.ok(reply?.t === "error" && reply.code === "BAD_NAME" && reply.message.length < 500);
    await ch.send({ t: "list" });
    assert.deepEqual(await ch.expect("file_list", WAIT_MS), { t: "file_list", files: [] });
  } finally {
    ch?.close();
    server.close();
    await server.done;
    await Deno.remove(home, { recursive: true });
  }
});

// --- The disk gate ---------------------------------------------------------------------------

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-hostile-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every entry under `dir`, recursively, links not followed: `path`, `path/`, `path -> link`. */
async function tree(dir: string, sizes = false, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isSymlink) out.push(`${rel} -> ${await Deno.readLink(join(dir, rel))}`);
    else if (e.isDirectory) out.push(`${rel}/`, ...(await tree(dir, sizes, rel)));
    else out.push(sizes ? `${rel} (${(await Deno.lstat(join(dir, rel))).size} B)` : rel);
  }
  return out.sort();
}

/** A source serving {@link DATA} from memory, counting what it is asked. */
class MemorySource implements Source {
  readonly label = "memory";
  asked = 0;
  #queue: number[] = [];
  request(index: number): Promise<void> {
    this.asked++;
    this.#queue.push(index);
    return Promise.resolve();
  }
  receive(buf: Uint8Array): Promise<{ index: number; size: number }> {
    const index = this.#queue.shift()!;
    buf.set(DATA);
    return Promise.resolve({ index, size: DATA.length });
  }
  close(): void {}
}

Deno.test("disk gate: sharedPath refuses every unsafe name and keeps a safe one inside", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "share");
    await Deno.mkdir(dir);
    for (const name of UNSAFE) {
      assert.throws(() => sharedPath(dir, name), isBadName, JSON.stringify(name));
    }
    const path = sharedPath(dir, "fotos/2024/a.jpg");
    assert.equal(path, join(resolve(dir), "fotos", "2024", "a.jpg"));
    const rel = relative(dir, path);
    assert.ok(!isAbsolute(rel) && !rel.startsWith(".."), path);
    assert.deepEqual(await tree(root), ["share/"], "a path is only computed, never made");
  });
});

Deno.test("disk gate: downloadContent refuses an unsafe name and writes nothing", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "home", "share");
    await Deno.mkdir(join(dir, "fotos"), { recursive: true });
    const before = await tree(root);
    for (const name of UNSAFE) {
      const src = new MemorySource();
      let opened = 0;
      await assert.rejects(
        downloadContent({
          dir,
          name,
          desc: DESC,
          sources: [() => Promise.resolve(src).finally(() => opened++)],
        }),
        isBadName,
        JSON.stringify(name),
      );
      assert.equal(opened, 0, `no source opened for ${JSON.stringify(name)}`);
      assert.deepEqual(await tree(root), before, `nothing written for ${JSON.stringify(name)}`);
    }
    // The same download under a safe name lands, inside: the refusal was the name's alone.
    const ok = await downloadContent({
      dir,
      name: "fotos/2024/ok.txt",
      desc: DESC,
      sources: [() => Promise.resolve(new MemorySource())],
    });
    assert.equal(ok.path, join(resolve(dir), "fotos", "2024", "ok.txt"));
    assert.deepEqual(await Deno.readFile(ok.path), DATA);
  });
});

Deno.test({
  name: "disk gate: nothing is made or written through a link that leads out of the share",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await withTempDir(async (root) => {
      const dir = join(root, "share");
      const outside = join(root, "outside");
      await Deno.mkdir(dir);
      await Deno.mkdir(outside);
      await Deno.symlink(outside, join(dir, "fotos"));
      const before = await tree(root);
      for (const name of ["fotos/x.txt", "fotos/sub/x.txt"]) {
        await assert.rejects(
          downloadContent({
            dir,
            name,
            desc: DESC,
            sources: [() => Promise.resolve(new MemorySource())],
          }),
          (e) => isBadName(e) && /leads outside the shared folder/.test((e as Error).message),
          name,
        );
      }
      assert.deepEqual(await tree(outside), [], "the folder outside stays empty");
      assert.deepEqual(await tree(root), before);
    });
  },
});

// --- End to end, playing the attacker ----------------------------------------------------------

/** What the hostile peer lists: every unsafe name, one with an escape sequence, and a decoy. */
const LISTED = [...UNSAFE, "\u001b[2J\u001b[31mred.txt", GOOD].map(summary);

/**
 * A peer, running in this process and built from the net layer, that lists unsafe names beside
 * a decoy and answers every `describe` with a true descriptor of a real content under the name
 * `fotos/../../pwned.txt`. It serves chunk bytes if asked. It is a member of the network of the
 * tracker at `trackerPort` (admitted with the join code, as the identity `mallory`) and
 * registered there with its list, so downloaders take it for any peer. It ends with the scene.
 *
 * @returns Its port, and every message it received (a `hello` per connection).
 */
async function startHostilePeer(
  s: Scene,
  trackerPort: number,
): Promise<{ port: number; received: string[] }> {
  const received: string[] = [];
  // Its membership is only known once admitted, and the port only once it listens.
  const admitted: { member?: Trust } = {};
  const port = await hostileServer(s, async (ch) => {
    await ch.accept("peer", ["client", "peer"], WAIT_MS, () => ({
      member: admitted.member?.network?.mine,
    }));
    received.push("hello");
    while (true) {
      const m = await ch.recv(WAIT_MS);
      if (m === null) return;
      received.push(m.t);
      if (m.t === "list") await ch.send({ t: "file_list", files: LISTED });
      else if (m.t === "describe") {
        // `send` does not validate: the name our own gate would refuse goes out as is.
        await ch.send({ t: "descriptor", name: UNSAFE[0], ...DESC });
      } else if (m.t === "chunk") {
        await ch.send({ t: "chunk_data", root: ROOT, index: m.index, size: DATA.length });
        await ch.writeRaw(DATA);
      } else throw new RedeError("BAD_REQUEST", `Unexpected '${m.t}'`);
    }
  }, "mallory");
  admitted.member = await registerByHand(s, trackerPort, "mallory", {
    port,
    name: "mallory",
    files: LISTED,
  });
  return { port, received };
}

/** Whether something is at `path`, and its size and time, to tell whether it changed. */
async function stamp(path: string): Promise<string> {
  try {
    const st = await Deno.lstat(path);
    return `${st.size} B, ${st.mtime?.getTime()}`;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return "absent";
    throw err;
  }
}

/** The line a `get` ends with. */
const GET_DONE = /^(Saved '|error: )/;

/** The names in the rows of an `ls` table. */
function lsNames(lines: string[]): string[] {
  return lines.flatMap((l) => {
    const m = /^│ (.*?) +│ [\d.]+ [KMG]?i?B +│ [0-9a-f]{12} │$/.exec(l);
    return m ? [m[1]] : [];
  });
}

sceneTest(SOURCE, "hostile: a peer sending unsafe names gets nothing written", async (s) => {
  const t = await s.tracker();
  const mallory = await startHostilePeer(s, t.port);
  const joined = await t.waitFor(
    new RegExp(`join +127\\.0\\.0\\.1:${mallory.port} "mallory" \\((\\d+) files?\\)`),
  );
  const addr = `127.0.0.1:${mallory.port}`;
  const home = await s.home();
  const down = await s.peer(t.port, home);
  const share = relative(home.home, home.dir);
  const outsideShare = async () =>
    (await tree(home.home, true)).filter((p) => p !== `${share}/` && !p.startsWith(`${share}/`));
  const before = await outsideShare();
  const above = [join(home.dir, ".."), join(home.dir, "..", "..")].map((d) => join(d, "pwned.txt"));
  const aboveBefore = await Promise.all(above.map(stamp));
  const refused = "Invalid file name 'fotos/../../pwned.txt': part '..' must not be '.' or '..'";

  // ls: the decoy, and none of the unsafe names.
  const ls = await run(down, `ls ${addr}`, /^\d+ files?, .* at |^error: /);
  assert.deepEqual(lsNames(ls), [GOOD], ls.join("\n"));
  assert.equal(ls.at(-1), `1 file, 20 B at mallory (${addr})`);

  // get of the folder: the decoy is described, and the descriptor that names another place is
  // refused at the gate, before any chunk is asked for.
  const got = await run(down, `get ${addr} fotos`, GET_DONE);
  assert.equal(
    got.find((l) => GET_DONE.test(l)),
    `error: ${addr} sent a bad 'descriptor': ${refused}`,
  );
  assert.ok(mallory.received.includes("describe"), mallory.received.join());

  // get of the unsafe name itself: refused as typed, before anything is asked of anyone.
  const asked = mallory.received.length;
  const typed = await run(down, `get ${addr} "${UNSAFE[0]}"`, GET_DONE);
  assert.equal(typed.find((l) => GET_DONE.test(l)), `error: ${refused}`);
  assert.equal(mallory.received.length, asked, "nothing was asked of the peer");

  // The tracker left the unsafe names out: it counted the decoy alone of the eight names, and
  // only the decoy can be found.
  assert.equal(joined[1], "1", joined.input ?? "");
  const none = await run(down, "find pwned", /files? match(?:es)?/);
  assert.match(none.at(-1)!, /^0 files match 'pwned'/);
  const decoy = await run(down, "find ok.txt", /files? match(?:es)?/);
  assert.match(decoy.at(-1)!, /^1 file matches 'ok\.txt'/);

  // The shell goes on.
  const peers = await run(down, "peers", /^\d+ peers? connected/);
  assert.match(peers.at(-1)!, /^2 peers connected/);
  assert.ok(peers.some((l) => l.includes(`│ ${mallory.port} `) && l.includes("mallory")));

  // One error line for each refused get, nothing saved, no stack trace, no control character.
  assert.deepEqual(down.lines.filter((l) => l.startsWith("error: ")), [
    `error: ${addr} sent a bad 'descriptor': ${refused}`,
    `error: ${refused}`,
  ]);
  assert.ok(!down.lines.some((l) => /^(Saved|Downloading) /.test(l)), down.lines.join("\n"));
  assert.ok(!down.lines.some((l) => /^\s+at /.test(l)), "no stack trace");
  const control = down.lines.filter((l) =>
    // deno-lint-ignore no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(l)
  );
  assert.deepEqual(control, [], "no control character reaches the output");
  assert.ok(!mallory.received.includes("chunk"), "no chunk was asked for");

  // Nothing was written outside the share, nor above it.
  assert.deepEqual(await outsideShare(), before);
  assert.deepEqual(await Promise.all(above.map(stamp)), aboveBefore);
  assert.ok(
    !(await tree(home.dir)).some((p) => p.includes("pwned")),
    "no trace of the name in the share",
  );
});
