/**
 * The sharing peer's files: it serves only what it indexed. A shared file swapped for a link to
 * a secret, a file replaced by another of the same size and time, or rewritten in place with
 * its modification time put back, is never sent under the old description; rede-p2p's own state
 * and partial downloads are never shared; and a hostile peer cannot make a downloader share
 * them. Hand-built clients ask a real peer server; the end-to-end case drives a real `join`.
 */
import assert from "node:assert/strict";
import { hostileServer, registerByHand } from "./_hostile.ts";
import type { Trust } from "../net/membership.ts";
import { promises as fsp } from "node:fs";
import { join } from "node:path";
import { hashChunk, rootHash } from "../core/content.ts";
import { RedeError } from "../core/errors.ts";
import { CHUNK_BYTES } from "../core/limits.ts";
import type { Channel } from "../net/channel.ts";
import { PeerServer } from "../net/peer_server.ts";
import { decodeMessage, type Message } from "../net/protocol.ts";
import { isRacy, NotAFileError, openFile, stampOf } from "../storage/chunks.ts";
import { sharedPath } from "../storage/paths.ts";
import { ShareIndex, STATE_DIR } from "../storage/share_index.ts";
import { run, type Scene, sceneTest, SOURCE, TestNetwork, WAIT_MS } from "../testing/harness.ts";
import { memberChannel, memberOf } from "../testing/raw_client.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The root of a small content (one chunk). */
function rootOf(text: string): string {
  const data = encoder.encode(text);
  return rootHash(data.length, data.length ? [hashChunk(data)] : [], CHUNK_BYTES);
}

/** The network of this file's in-process peer servers and their clients (no tracker process). */
const NET = await TestNetwork.make("share-test-network");

interface Served {
  home: string;
  dir: string;
  index: ShareIndex;
  /** Sends a request and returns the reply, with the raw bytes of a chunk as text. */
  ask(m: Message): Promise<{ reply: Message; bytes?: string }>;
}

/**
 * A real peer server over a share in a temporary home, and a hand-built client connected to
 * it. `files` go into `home/share`; `manifest` (if given) is written to `home/list.txt`.
 */
async function withServed(
  files: Record<string, string>,
  manifest: string | undefined,
  fn: (s: Served) => Promise<void>,
): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "rede-p2p-share-" });
  const dir = join(home, "share");
  await Deno.mkdir(dir);
  for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(join(dir, name), text);
  const manifestPath = join(home, "list.txt");
  if (manifest !== undefined) await Deno.writeTextFile(manifestPath, manifest);
  const index = new ShareIndex(dir, manifestPath);
  await index.refresh();
  const trust = await NET.trust("share-server");
  const server = await PeerServer.start({ host: "127.0.0.1", port: 0, content: index, trust });
  let ch: Channel | undefined;
  try {
    // A member of the server's network: what it serves, not who may ask, is under test here.
    ch = await memberChannel(server.address.port, await NET.trust("share-client"), WAIT_MS);
    const client = ch;
    const ask = async (m: Message) => {
      await client.send(m);
      const reply = await client.recv(WAIT_MS);
      assert.ok(reply, "the server answered");
      if (reply.t !== "chunk_data") return { reply };
      const buf = new Uint8Array(reply.size);
      await client.readRaw(buf, WAIT_MS);
      return { reply, bytes: decoder.decode(buf) };
    };
    await fn({ home, dir, index, ask });
  } finally {
    ch?.close();
    server.close();
    await server.done;
    await Deno.remove(home, { recursive: true });
  }
}

const notFound = (r: { reply: Message; bytes?: string }, what: string) => {
  assert.equal(r.bytes, undefined, `${what}: no byte was sent`);
  assert.equal(r.reply.t === "error" && r.reply.code, "NOT_FOUND", `${what}: ${r.reply.t}`);
};

// --- A file swapped for a link -------------------------------------------------------------------

for (const mode of ["manifest", "folder"] as const) {
  Deno.test({
    name: `links: a shared file swapped for a link to a secret is never followed (${mode} mode)`,
    ignore: Deno.build.os === "windows",
    fn: async () => {
      const PUBLIC = "public text, nothing to hide\n";
      const SECRET = "TOP SECRET: the password is hunter2\n";
      const manifest = mode === "manifest" ? "a.txt share/a.txt\n" : undefined;
      await withServed({ "a.txt": PUBLIC }, manifest, async ({ home, dir, ask }) => {
        const secret = join(home, "secret.txt");
        await Deno.writeTextFile(secret, SECRET);
        const got = await ask({ t: "chunk", root: rootOf(PUBLIC), index: 0 });
        assert.equal(got.bytes, PUBLIC, "served while it is the file indexed");

        await Deno.remove(join(dir, "a.txt"));
        await Deno.symlink(secret, join(dir, "a.txt"));
        const asks: [Message, string][] = [
          [{ t: "chunk", root: rootOf(PUBLIC), index: 0 }, "a chunk of the indexed content"],
          [{ t: "describe", name: "a.txt" }, "describe by name"],
          [{ t: "chunk", root: rootOf(SECRET), index: 0 }, "a chunk of the secret's content"],
        ];
        for (const [m, what] of asks) notFound(await ask(m), what);
        // A `list` looks at the share again: the link is not indexed, now or later.
        const list = (await ask({ t: "list" })).reply;
        assert.deepEqual(list, { t: "file_list", files: [] });
        for (const [m, what] of asks) notFound(await ask(m), `${what}, after a refresh`);
      });
    },
  });
}

// --- Replaced or rewritten with the same size and time -----------------------------------------

Deno.test("freshness: a file replaced by another of the same size and time is not sent", async () => {
  const OLD = "first version of the file\n";
  const NEW = "other version of the file\n";
  await withServed({ "a.txt": OLD }, "a.txt share/a.txt\n", async ({ dir, ask }) => {
    const path = join(dir, "a.txt");
    assert.equal((await ask({ t: "chunk", root: rootOf(OLD), index: 0 })).bytes, OLD);
    const before = await Deno.stat(path);
    // A new file of the same size, its times put back, renamed over the old one: a new inode.
    await Deno.writeTextFile(join(dir, "b.tmp"), NEW);
    await Deno.utime(join(dir, "b.tmp"), before.atime!, before.mtime!);
    await Deno.rename(join(dir, "b.tmp"), path);
    const after = await Deno.stat(path);
    assert.equal(after.size, before.size);
    assert.equal(after.mtime?.getTime(), before.mtime?.getTime());

    notFound(await ask({ t: "chunk", root: rootOf(OLD), index: 0 }), "the old root");
    notFound(await ask({ t: "describe", name: "a.txt" }), "describe of a replaced file");
    // The next look at the share indexes the new file, which is then served as what it is.
    await ask({ t: "list" });
    const desc = (await ask({ t: "describe", name: "a.txt" })).reply;
    assert.equal(desc.t === "descriptor" && desc.root, rootOf(NEW));
    assert.equal((await ask({ t: "chunk", root: rootOf(NEW), index: 0 })).bytes, NEW);
  });
});

Deno.test("freshness: a rewrite in place with its time put back is never sent under the old root", async () => {
  const OLD = "first version of the file\n";
  const NEW = "other version of the file\n";
  await withServed({ "a.txt": OLD }, undefined, async ({ dir, ask }) => {
    const path = join(dir, "a.txt");
    assert.equal((await ask({ t: "chunk", root: rootOf(OLD), index: 0 })).bytes, OLD);
    const before = await Deno.stat(path);
    await Deno.writeTextFile(path, NEW); // The same inode, truncated and written again.
    await Deno.utime(path, before.atime!, before.mtime!);
    const after = await Deno.stat(path);
    assert.deepEqual([after.ino, after.size, after.mtime], [before.ino, before.size, before.mtime]);

    notFound(await ask({ t: "chunk", root: rootOf(OLD), index: 0 }), "the old root");
    const desc = (await ask({ t: "describe", name: "a.txt" })).reply;
    assert.equal(desc.t === "descriptor" && desc.root, rootOf(NEW));
    assert.equal((await ask({ t: "chunk", root: rootOf(NEW), index: 0 })).bytes, NEW);
  });
});

Deno.test({
  name: "a named pipe put in a shared file's place is refused at once, never waited on",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "rede-fifo-" });
    try {
      const pipe = join(dir, "a.txt");
      const made = await new Deno.Command("mkfifo", { args: [pipe] }).output();
      assert.ok(made.success, "mkfifo");
      // Opening a pipe for reading waits for a writer unless the open does not block: the
      // share index opens every file it serves or hashes through openFile.
      await assert.rejects(openFile(pipe), NotAFileError);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("freshness: an unvouched file is vouched for again once each chunk matched in a later second", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rede-vouch-" });
  try {
    const TEXT = "a file given a new hard link after it was indexed\n";
    await Deno.writeTextFile(join(dir, "a.txt"), TEXT);
    let shift = 0;
    const index = new ShareIndex(dir, join(dir, "meus_arquivos.txt"), {
      now: () => Date.now() + shift,
    });
    await index.refresh();
    const root = rootOf(TEXT);
    const buf = new Uint8Array(CHUNK_BYTES);
    await Deno.link(join(dir, "a.txt"), join(dir, ".link")); // Moves the change time only.
    shift = -5_000; // A read in the second of the change (or before) vouches for nothing.
    assert.equal(await index.readChunk(root, 0, buf), TEXT.length);
    assert.equal(index.unvouched, 1, "the new change time leaves the file unvouched");
    assert.equal(await index.readChunk(root, 0, buf), TEXT.length);
    assert.equal(index.unvouched, 1, "still unvouched: no read came after the change's second");
    shift = 2_000; // A later second: a change after this read would move the change time again.
    assert.equal(await index.readChunk(root, 0, buf), TEXT.length);
    assert.equal(index.unvouched, 0, "every chunk matched after the change: vouched for again");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("freshness: the cache is keyed by inode and change time, and an old cache is stale", async () => {
  const home = await Deno.makeTempDir({ prefix: "rede-p2p-share-" });
  try {
    const dir = join(home, "share");
    await Deno.mkdir(join(dir, STATE_DIR), { recursive: true });
    const path = join(dir, "a.txt");
    await Deno.writeTextFile(path, "real");
    const stamp = stampOf(await fsp.lstat(path));
    // A record describing other content of the same size, as a rewrite with its time put back
    // would leave it: trusted only while its stamp is the file's.
    const other = "fake";
    const chunks = [hashChunk(encoder.encode(other))];
    const desc = { size: 4, chunk_size: CHUNK_BYTES, chunks, root: rootOf(other) };
    const buf = new Uint8Array(CHUNK_BYTES);
    const cases: [string, unknown][] = [
      ["the same stamp", { ...stamp }],
      ["another change time", { ...stamp, ctimeMs: stamp.ctimeMs - 5000 }],
      ["another inode", { ...stamp, ino: stamp.ino + 1 }],
      ["another device", { ...stamp, dev: stamp.dev + 1 }],
      ["another size", { ...stamp, size: 5 }],
      ["another modification time", { ...stamp, mtimeMs: stamp.mtimeMs - 5000 }],
    ];
    for (const [what, recorded] of cases) {
      const files = { [path]: { desc, stamp: recorded, unvouched: false } };
      await Deno.writeTextFile(
        join(dir, STATE_DIR, "index.json"),
        JSON.stringify({ version: 3, files }),
      );
      const index = new ShareIndex(dir, join(home, "none.txt"));
      const report = await index.refresh();
      const listed = index.list().map((f) => f.root);
      if (what === "the same stamp") {
        // The stamp vouches for the record: it is believed (which is why it must be strict).
        assert.deepEqual([listed, report.hashed], [[desc.root], 0], what);
      } else if (what === "another change time") {
        // Only the change time moved: not rehashed, but no chunk leaves unchecked, and the file
        // is rehashed once a chunk did not match.
        assert.deepEqual([listed, report.hashed], [[desc.root], 0], what);
        await assert.rejects(
          index.readChunk(desc.root, 0, buf),
          (e) => e instanceof RedeError && e.code === "NOT_FOUND",
          what,
        );
        assert.equal((await index.describe("a.txt")).root, rootOf("real"), what);
        assert.equal(await index.readChunk(rootOf("real"), 0, buf), 4);
      } else {
        assert.deepEqual([listed, report.hashed], [[rootOf("real")], 1], what);
      }
    }
    // The cache of the version before (keyed by size and modification time), or garbage:
    // stale, everything is hashed again, nothing breaks.
    const mtimeMs = (await Deno.stat(path)).mtime!.getTime();
    for (
      const text of [
        JSON.stringify({ version: 2, files: { [path]: { ...desc, mtimeMs } } }),
        JSON.stringify({ version: 3, files: { [path]: { desc: { size: "x" }, stamp: 1 } } }),
        "{ not json",
      ]
    ) {
      await Deno.writeTextFile(join(dir, STATE_DIR, "index.json"), text);
      const index = new ShareIndex(dir, join(home, "none.txt"));
      assert.equal((await index.refresh()).hashed, 1, text);
      assert.deepEqual(index.list().map((f) => f.root), [rootOf("real")], text);
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("freshness: a stamp taken in the second of the last change is not trusted", () => {
  const stamp = { dev: 1, ino: 2, size: 3, mtimeMs: 0, ctimeMs: 10_000 };
  assert.equal(isRacy(stamp, 10_999), true, "changed in the second it was read");
  assert.equal(isRacy(stamp, 11_000), false, "read a second later");
  assert.equal(isRacy({ ...stamp, ctimeMs: 20_000 }, 11_000), false, "a clock ahead: no loop");
});

// --- Hidden names and rede-p2p's own state -------------------------------------------------------

Deno.test("hidden: a name part starting with '.' is refused at the wire gate and the disk gate", () => {
  const root = rootOf(DATA);
  const hidden = [".rede-p2p/index.json", ".rede-p2p", "fotos/.secret", ".a.txt.rede-part"];
  const files = [...hidden, "fotos/ok.txt"].map((name) => ({ name, size: DATA.length, root }));
  const wire = (m: unknown) => decodeMessage(encoder.encode(JSON.stringify(m)));
  assert.deepEqual(wire({ t: "file_list", files }), { t: "file_list", files: [files.at(-1)] });
  for (const name of hidden) {
    const badName = (e: unknown) => e instanceof RedeError && e.code === "BAD_NAME";
    assert.throws(() => wire({ t: "describe", name }), badName, name);
    assert.throws(() => sharedPath("/srv/share", name), badName, name);
  }
});

Deno.test("hidden: the state folder, partial downloads and hidden files are never shared", async () => {
  const home = await Deno.makeTempDir({ prefix: "rede-p2p-share-" });
  try {
    const dir = join(home, "share");
    const other = join(home, "other", "share");
    for (const d of [join(dir, ".hidden"), join(dir, "sub"), join(other, STATE_DIR)]) {
      await Deno.mkdir(d, { recursive: true });
    }
    const write = (path: string) => Deno.writeTextFile(path, path);
    await write(join(dir, "a.txt"));
    await write(join(dir, ".a.txt.rede-part"));
    await write(join(dir, ".a.txt.rede-part.json"));
    await write(join(dir, ".hidden", "x.txt"));
    await write(join(dir, "sub", "b.txt"));
    await write(join(dir, "sub", ".c.txt"));
    await write(join(other, STATE_DIR, "index.json"));
    // A first refresh writes this share's own index.
    const folder = new ShareIndex(dir, join(home, "none.txt"));
    await folder.refresh();
    await Deno.stat(join(dir, STATE_DIR, "index.json"));
    await folder.refresh();
    assert.deepEqual(folder.list().map((f) => f.name), ["a.txt", "sub/b.txt"]);

    const manifest = join(home, "list.txt");
    await Deno.writeTextFile(
      manifest,
      [
        "state share/.rede-p2p",
        "idx share/.rede-p2p/index.json",
        "theirs other/share/.rede-p2p/index.json",
        "part share/.a.txt.rede-part",
        "partjson share/.a.txt.rede-part.json",
        "hid share/.hidden/x.txt",
        "hidden share/.hidden",
        ".rede-p2p share/sub",
        "sub share/sub",
        "a.txt",
      ].join("\n"),
    );
    const listed = new ShareIndex(dir, manifest);
    const report = await listed.refresh();
    assert.deepEqual(listed.list().map((f) => f.name), ["a.txt", "sub/b.txt"]);
    assert.equal(report.problems.length, 8, report.problems.join("\n"));
    assert.match(
      report.problems[0],
      /^Line 8: invalid name '\.rede-p2p': must not start with '\.'/,
    );
    for (const p of report.problems.slice(1)) {
      assert.match(p, /own state is never shared|partial download is never shared|hidden files/);
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

const DATA = "an index that lists absolute paths\n";
/** What the hostile peer lists: rede-p2p's state folder, a hidden file, and a decoy. */
const HIDDEN = [".rede-p2p/index.json", ".rede-p2p/evil.txt", "fotos/.secret", "fotos/ok.txt"];

/**
 * A peer (a member of the network of the tracker at `trackerPort`) that lists {@link HIDDEN}
 * and serves whatever is asked for, under the name asked.
 */
async function startHiddenPeer(s: Scene, trackerPort: number): Promise<number> {
  const root = rootOf(DATA);
  const desc = {
    size: DATA.length,
    chunk_size: CHUNK_BYTES,
    chunks: [hashChunk(encoder.encode(DATA))],
    root,
  };
  const trust: { member?: Trust } = {};
  const port = await hostileServer(s, async (ch) => {
    await ch.accept("peer", ["client", "peer"], WAIT_MS, () => ({
      member: trust.member?.network?.mine,
    }));
    while (true) {
      const m = await ch.recv(WAIT_MS);
      if (m === null) return;
      if (m.t === "list") {
        await ch.send({
          t: "file_list",
          files: HIDDEN.map((name) => ({ name, size: DATA.length, root })),
        });
      } else if (m.t === "describe") {
        await ch.send({ t: "descriptor", name: m.name ?? HIDDEN[0], ...desc });
      } else if (m.t === "chunk") {
        await ch.send({ t: "chunk_data", root, index: m.index, size: DATA.length });
        await ch.writeRaw(encoder.encode(DATA));
      } else {
        // Like an older peer asked for a have-map: refused, and served without one.
        await ch.sendError(new RedeError("BAD_REQUEST", `No '${m.t}' here`));
      }
    }
  }, "hidden-peer");
  trust.member = await registerByHand(s, trackerPort, "hidden-peer", {
    port,
    name: "hidden-peer",
    files: [],
  });
  return port;
}

sceneTest(
  SOURCE,
  "hidden: a peer serving .rede-p2p/index.json cannot make a downloader share its state",
  async (s) => {
    const t = await s.tracker();
    const addr = `127.0.0.1:${await startHiddenPeer(s, t.port)}`;
    const home = await s.home();
    await Deno.writeTextFile(home.manifest, "");
    const down = await s.peer(t.port, home);
    const GET_DONE = /^(Saved '|error: )/;

    const ls = await run(down, `ls ${addr}`, /files?, .* at /);
    assert.ok(ls.some((l) => l.includes("fotos/ok.txt")));
    assert.ok(!ls.some((l) => l.includes("rede-p2p") || l.includes(".secret")), ls.join("\n"));
    const typed = await run(down, `get ${addr} .rede-p2p/index.json`, GET_DONE);
    assert.match(
      typed.at(-1)!,
      /^error: Invalid file name '\.rede-p2p\/index\.json': part '\.rede-p2p' must not start with '\.'/,
    );
    const folder = await run(down, `get ${addr} .rede-p2p`, GET_DONE);
    assert.match(folder.at(-1)!, /^error: Invalid file name '\.rede-p2p'/);
    const fotos = await run(down, `get ${addr} fotos`, GET_DONE);
    assert.match(fotos.at(-1)!, /^Saved 'fotos\/ok\.txt'/);

    // Nothing but the decoy landed, the manifest names the decoy's folder alone, and what the
    // downloader shares now is the decoy alone.
    const state = [];
    for await (const e of Deno.readDir(join(home.dir, STATE_DIR))) state.push(e.name);
    assert.deepEqual(state.sort(), ["index.json"]);
    assert.equal(await Deno.readTextFile(home.manifest), "fotos share/fotos\n");
    const ch = await memberChannel(down.port, await memberOf(t.port, "share-asker"));
    try {
      const list = await ch.request({ t: "list" }, "file_list", WAIT_MS);
      assert.deepEqual(list.files.map((f) => f.name), ["fotos/ok.txt"]);
    } finally {
      ch.close();
    }
    assert.ok(!(await Deno.readTextFile(join(home.dir, STATE_DIR, "index.json"))).includes(DATA));
  },
);
