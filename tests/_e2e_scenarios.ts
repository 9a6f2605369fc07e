/**
 * End-to-end scenarios, run with real processes on 127.0.0.1: once against the sources
 * (`e2e_source_test.ts`, one test each) and once against the bundled single file
 * (`bundle_e2e_test.ts`, one step each of the test that owns the bundle).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { memberChannel, memberOf, RawClient } from "../testing/raw_client.ts";
import {
  joinArgs,
  Proc,
  run,
  type Scene,
  sha256File,
  writeRandomFile,
} from "../testing/harness.ts";

/** One scenario: a name, and what it does in a scene of its own. */
export interface Scenario {
  name: string;
  fn: (s: Scene) => Promise<void>;
}

/** Every end-to-end scenario; each runs against whatever program its scene runs. */
export const SCENARIOS: Scenario[] = [];

function scenario(name: string, fn: (s: Scene) => Promise<void>): void {
  SCENARIOS.push({ name, fn });
}

const PEERS_DONE = /^\d+ peers? connected/;
const LS_DONE = /^\d+ files?, .* at /;
const GET_DONE = /^(Saved '|error: )/;
const ERROR = /^error: /;

/** The (ip, port) rows of a `peers` table. */
function peerRows(lines: string[]): { n: number; port: number; self: boolean; name: string }[] {
  const rows = [];
  for (const l of lines) {
    const m = /^│ (\d+)( \*)? +│ 127\.0\.0\.1 +│ (\d+) +│ (\S+) /.exec(l);
    if (m) rows.push({ n: Number(m[1]), self: !!m[2], port: Number(m[3]), name: m[4] });
  }
  return rows;
}

async function listing(dir: string): Promise<string[]> {
  const out = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 1, 2, 3]);

scenario("two peers list each other, list files, and download", async (s) => {
  const t = await s.tracker();
  const seedHome = await s.home({
    "a.txt": "alpha\n",
    "imagem.png": PNG,
    "meu doc.txt": "x y",
    "notes.txt": "theirs",
  });
  const seed = await s.peer(t.port, seedHome, ["--name", "seeder"]);
  const downHome = await s.home({});
  const down = await s.peer(t.port, downHome, ["--name", "down"]);

  const rows = peerRows(await run(down, "peers", PEERS_DONE));
  assert.deepEqual(rows.map((r) => r.port).sort(), [seed.port, down.port].sort());
  assert.deepEqual(rows.filter((r) => r.self).map((r) => r.port), [down.port]);
  const seedRow = rows.find((r) => r.port === seed.port)!;

  for (const target of [`127.0.0.1:${seed.port}`, `127.0.0.1 ${seed.port}`, `${seedRow.n}`]) {
    const out = (await run(down, `ls ${target}`, LS_DONE)).join("\n");
    assert.match(out, /│ a\.txt +│ 6 B +│ [0-9a-f]{12} │/);
    assert.match(out, /│ meu doc\.txt +│/);
    assert.match(out, /^4 files/m);
  }

  for (const name of ["a.txt", "imagem.png", "meu doc.txt"]) {
    const out = await run(down, `get 127.0.0.1:${seed.port} "${name}"`, GET_DONE);
    assert.match(out.at(-1)!, new RegExp(`^Saved '${name}' .* verified$`));
    assert.equal(
      await sha256File(join(downHome.dir, name)),
      await sha256File(join(seedHome.dir, name)),
    );
  }
  assert.deepEqual(await listing(downHome.dir), [
    ".rede-p2p",
    "a.txt",
    "imagem.png",
    "meu doc.txt",
  ]);
  const manifest = await Deno.readTextFile(downHome.manifest);
  assert.match(manifest, /^a\.txt share\/a\.txt$/m);
  assert.match(manifest, /^"meu doc\.txt" "share\/meu doc\.txt"$/m);

  // The same content again is a no-op; another content under a taken name gets a free name.
  const same = await run(down, `get --from ${seedRow.n} a.txt`, /already here/);
  assert.match(same.at(-1)!, /^'a\.txt' is already here as 'a\.txt' \(same content\)/);
  await Deno.writeTextFile(join(downHome.dir, "notes.txt"), "mine");
  const other = await run(down, `get --from ${seedRow.n} notes.txt`, GET_DONE);
  assert.ok(other.some((l) => l.includes("saved as 'notes (1).txt'")), other.join("\n"));
  assert.equal(await Deno.readTextFile(join(downHome.dir, "notes.txt")), "mine");
  assert.equal(await Deno.readTextFile(join(downHome.dir, "notes (1).txt")), "theirs");

  // What was downloaded is shared on: with the seeder gone, a third peer gets it from the
  // downloader.
  const mark = t.mark();
  seed.kill("SIGKILL");
  await t.waitFor(new RegExp(`leave 127\\.0\\.0\\.1:${seed.port} `), mark);
  const thirdHome = await s.home({});
  const third = await s.peer(t.port, thirdHome);
  const out = await run(third, `get 127.0.0.1:${down.port} imagem.png`, GET_DONE);
  assert.match(out.at(-1)!, /^Saved 'imagem\.png'/);
  assert.deepEqual(await Deno.readFile(join(thirdHome.dir, "imagem.png")), PNG);
});

scenario("a 200 MiB file arrives byte-identical", async (s) => {
  const t = await s.tracker();
  const seedHome = await s.home({});
  await writeRandomFile(join(seedHome.dir, "big.bin"), 200 * 1024 * 1024, 7);
  await Deno.writeTextFile(seedHome.manifest, "big.bin share/big.bin\n");
  const seed = await s.peer(t.port, seedHome);
  const downHome = await s.home({});
  const down = await s.peer(t.port, downHome);
  const out = await run(down, `get 127.0.0.1:${seed.port} big.bin`, GET_DONE);
  assert.match(out.at(-1)!, /^Saved 'big\.bin' \(200 MiB\)/);
  assert.equal(
    await sha256File(join(downHome.dir, "big.bin")),
    await sha256File(join(seedHome.dir, "big.bin")),
  );
  assert.deepEqual(await listing(downHome.dir), [".rede-p2p", "big.bin"], "no partial file left");
});

scenario("SIGINT during a get cancels it, not the shell", async (s) => {
  const t = await s.tracker();
  const seedHome = await s.home({});
  await writeRandomFile(join(seedHome.dir, "big.bin"), 64 * 1024 * 1024, 3);
  await Deno.writeTextFile(seedHome.manifest, "big.bin share/big.bin\n");
  // Held to 8 MiB/s, the 64 MiB transfer lasts about 8 s: the interrupt lands inside it.
  const seed = await s.peer(t.port, seedHome, ["--max-upload-rate", "8MB"]);
  const downHome = await s.home({});
  const down = await s.peer(t.port, downHome);
  const mark = down.mark();
  await down.send(`get 127.0.0.1:${seed.port} big.bin`);
  await down.waitFor(/^Downloading 'big\.bin'/, mark);
  down.kill("SIGINT");
  await down.waitFor(
    /^error: Download of 'big\.bin' cancelled; \d+ of 64 chunks kept to resume$/,
    mark,
  );
  assert.deepEqual(
    await listing(downHome.dir),
    [".big.bin.rede-part", ".big.bin.rede-part.json"],
    "no file under the final name; the partial file is kept to resume",
  );
  assert.equal(peerRows(await run(down, "peers", PEERS_DONE)).length, 2, "the shell goes on");
});

scenario("two peers on one machine are told apart by port", async (s) => {
  const t = await s.tracker();
  const one = await s.peer(t.port, await s.home({ "only-one.txt": "1" }), ["--name", "one"]);
  const two = await s.peer(t.port, await s.home({ "b.txt": "2" }), ["--name", "two"]);
  const asker = await s.peer(t.port, await s.home({}), ["--name", "asker"]);
  const rows = peerRows(await run(asker, "peers", PEERS_DONE));
  assert.equal(rows.length, 3);
  assert.ok(rows.some((r) => r.port === one.port && r.name === "one"));
  assert.ok(rows.some((r) => r.port === two.port && r.name === "two"));

  const ls = await run(asker, "ls 127.0.0.1", ERROR);
  const line = ls.find((l) => ERROR.test(l))!;
  assert.match(line, /Several peers at 127\.0\.0\.1/);
  assert.ok(line.includes(`:${one.port}`) && line.includes(`:${two.port}`), line);

  // With the IP alone, get uses the one peer that has the file.
  const got = await run(asker, "get 127.0.0.1 only-one.txt", GET_DONE);
  assert.match(
    got.at(-1)!,
    new RegExp(`^Saved 'only-one\\.txt' .* from one \\(127\\.0\\.0\\.1:${one.port}\\) in `),
  );
});

scenario("path traversal is refused and nothing lands outside", async (s) => {
  const t = await s.tracker();
  const seedHome = await s.home({ "a.txt": "a" });
  await Deno.writeTextFile(join(seedHome.home, "secret.txt"), "do not share");
  const seed = await s.peer(t.port, seedHome);
  const downHome = await s.home({});
  const down = await s.peer(t.port, downHome);
  const before = await listing(downHome.home);
  for (
    const bad of [
      "../secret.txt",
      "../../etc/passwd",
      "..\\\\secret.txt",
      "/etc/passwd",
      "C:secret",
    ]
  ) {
    const out = await run(down, `get 127.0.0.1:${seed.port} '${bad}'`, ERROR);
    assert.match(out.find((l) => ERROR.test(l))!, /Invalid file name/);
  }
  // The same refusal at the protocol level, bypassing the client's own check.
  const ch = await memberChannel(seed.port, await memberOf(t.port));
  try {
    for (
      const name of ["../secret.txt", "/etc/passwd", "..\\secret.txt", "a\u0000b", "secret.txt"]
    ) {
      await ch.send({ t: "describe", name });
      await assert.rejects(
        ch.expect("descriptor", 10_000),
        (e: Error & { code?: string }) => e.code === "BAD_NAME" || e.code === "NOT_FOUND",
        name,
      );
    }
  } finally {
    ch.close();
  }
  assert.deepEqual(await listing(downHome.home), before, "nothing written in the downloader");
  // The shell went on; a failed command makes the scripted session exit 1.
  await run(down, "peers", PEERS_DONE);
  await down.endInput();
  assert.equal((await down.done).code, 1);
});

scenario("malformed frames get an error, not a crash", async (s) => {
  const t = await s.tracker();
  const seed = await s.peer(t.port, await s.home({ "a.txt": "a" }));
  const oversized = new Uint8Array([0x52, 0x50, 0xff, 0xff, 0xff, 0xff]);
  const garbage = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  for (const port of [t.port, seed.port]) {
    // Outside TLS: a plaintext frame (an older client) is told which version this is; anything
    // else that is not TLS is dropped without a word.
    for (const bytes of [garbage, oversized]) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      try {
        await conn.write(bytes);
        const reply = new Uint8Array(4096);
        let text = "";
        while (true) {
          const n = await conn.read(reply).catch(() => null);
          if (n === null) break; // Closed by the server, as it should after an error.
          text += new TextDecoder().decode(reply.subarray(0, n));
        }
        if (bytes === garbage) assert.equal(text, "");
        else assert.match(text, /"t":"error","code":"VERSION_MISMATCH".*over TLS only/);
      } finally {
        conn.close();
      }
    }
    // Inside TLS, before any hello: the frame is refused with its reason.
    for (const payload of [garbage, new Uint8Array([0x7b])]) {
      const c = await RawClient.open(port);
      try {
        await c.sendPayload(payload);
        const m = await c.next();
        assert.equal(m?.t, "error");
        assert.equal((m as { code: string }).code, "BAD_FRAME");
      } finally {
        await c.close();
      }
    }
  }
  const asker = await s.peer(t.port, await s.home({}));
  assert.equal(peerRows(await run(asker, "peers", PEERS_DONE)).length, 2);
  assert.match((await run(asker, `ls 127.0.0.1:${seed.port}`, LS_DONE)).join("\n"), /a\.txt/);
});

scenario("a peer killed with SIGKILL leaves the list", async (s) => {
  const t = await s.tracker();
  const victim = await s.peer(t.port, await s.home({ "a.txt": "a" }));
  const watcher = await s.peer(t.port, await s.home({}));
  assert.equal(peerRows(await run(watcher, "peers", PEERS_DONE)).length, 2);
  const mark = t.mark();
  victim.kill("SIGKILL");
  await t.waitFor(
    new RegExp(`leave 127\\.0\\.0\\.1:${victim.port} .*\\(connection lost\\)`),
    mark,
  );
  const rows = peerRows(await run(watcher, "peers", PEERS_DONE));
  assert.deepEqual(rows.map((r) => r.port), [watcher.port]);
  const out = await run(watcher, `ls 127.0.0.1:${victim.port}`, ERROR);
  // Refused, or reset when another program on this machine happened to take the port meanwhile.
  assert.match(out.find((l) => ERROR.test(l))!, /Cannot reach peer .* connection (refused|reset)/);
});

scenario("peers come back by themselves when the tracker restarts", async (s) => {
  const t = await s.tracker();
  const a = await s.peer(t.port, await s.home({ "a.txt": "a" }));
  const b = await s.peer(t.port, await s.home({}));
  const [ma, mb] = [a.mark(), b.mark()];
  t.kill("SIGKILL");
  await a.waitFor(/Lost the tracker/, ma);
  await b.waitFor(/Lost the tracker/, mb);
  // Peers keep serving each other while the tracker is away.
  assert.match((await run(b, `ls 127.0.0.1:${a.port}`, LS_DONE)).join("\n"), /a\.txt/);
  const out = await run(b, "peers", ERROR);
  assert.match(out.find((l) => ERROR.test(l))!, /unreachable/);
  await s.tracker(t.port);
  await a.waitFor(/registered again/, ma);
  await b.waitFor(/registered again/, mb);
  const rows = peerRows(await run(b, "peers", PEERS_DONE));
  assert.deepEqual(rows.map((r) => r.port).sort(), [a.port, b.port].sort());
});

scenario("quit, end of input and SIGTERM leave cleanly", async (s) => {
  const t = await s.tracker();
  const quitter = await s.peer(t.port, await s.home({}));
  const mark = t.mark();
  await quitter.send("quit");
  assert.equal((await quitter.done).code, 0);
  await t.waitFor(new RegExp(`leave 127\\.0\\.0\\.1:${quitter.port} .*\\(quit\\)`), mark);

  const eof = await s.peer(t.port, await s.home({}));
  await eof.endInput();
  assert.equal((await eof.done).code, 0);
  await t.waitFor(new RegExp(`leave 127\\.0\\.0\\.1:${eof.port} .*\\(quit\\)`), mark);

  const quiet = await s.peer(t.port, await s.home({ "a.txt": "a" }), ["--no-shell"]);
  await quiet.waitFor(/Sharing until/);
  quiet.kill("SIGTERM");
  assert.equal((await quiet.done).code, 0);
  await t.waitFor(new RegExp(`leave 127\\.0\\.0\\.1:${quiet.port} .*\\(quit\\)`), mark);
});

scenario(
  "a tracker that is not there is one line, and the shell goes on",
  async (s) => {
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (closed.addr as Deno.NetAddr).port;
    closed.close(); // A port nothing listens on.
    const home = await s.home({});

    const p = s.track(
      new Proc(s.program, joinArgs(port, home), { stdin: true }),
    );
    await p.waitFor(
      new RegExp(`Cannot reach tracker at 127\\.0\\.0\\.1:${port}: connection refused`),
    );
    const out = await run(p, "peers", ERROR);
    assert.match(out.find((l) => ERROR.test(l))!, /unreachable \(retrying in the background\)/);
    await p.send("quit");
    assert.equal((await p.done).code, 1, "a scripted session with a failed command exits 1");
    assert.ok(!p.lines.some((l) => /^\s+at /.test(l)), "no stack trace");
  },
);
