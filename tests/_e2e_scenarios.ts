/**
 * End-to-end scenarios, run with real processes on 127.0.0.1: against the sources once in each
 * language (`e2e_source_test.ts`, one test each), and against the bundled single file
 * (`bundle_e2e_test.ts`, one step each of the test that owns the bundle). A scenario reads what
 * the programs print in the scene's language, through the catalogue (`line`), so the same steps
 * prove the Portuguese and the English program alike.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CATALOGUES, type MessageKey, pattern } from "../core/i18n.ts";
import { memberChannel, memberOf, RawClient } from "../testing/raw_client.ts";
import {
  joinArgs,
  langEnv,
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

/**
 * A printed line of `key` in the scene's language, from its start: placeholders in `params`
 * match exactly, the others match anything.
 */
function line(s: Scene, key: MessageKey, params?: Record<string, string | number>): RegExp {
  return new RegExp(`^${pattern(key, s.lang, { params }).source}`);
}

/** Either of two lines. */
function either(a: RegExp, b: RegExp): RegExp {
  return new RegExp(`(?:${a.source})|(?:${b.source})`);
}

/** The tracker's log line of the peer on `port` leaving, for `reason` if given. */
function leave(s: Scene, port: number, reason?: "serve.reason.quit" | "serve.reason.lost"): RegExp {
  const params: Record<string, string> = { key: `127.0.0.1:${port}` };
  if (reason) params.reason = CATALOGUES[s.lang][reason] as string;
  return pattern("serve.log.leave", s.lang, { params });
}

/** The lines that end each verb the scenarios type, in the scene's language. */
function ends(s: Scene) {
  const error = line(s, "cli.error");
  return {
    peers: line(s, "peers.summary"),
    ls: line(s, "ls.summary"),
    get: either(line(s, "fetch.saved"), error),
    error,
  };
}

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
  const done = ends(s);
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

  const rows = peerRows(await run(down, "peers", done.peers));
  assert.deepEqual(rows.map((r) => r.port).sort(), [seed.port, down.port].sort());
  assert.deepEqual(rows.filter((r) => r.self).map((r) => r.port), [down.port]);
  const seedRow = rows.find((r) => r.port === seed.port)!;

  for (const target of [`127.0.0.1:${seed.port}`, `127.0.0.1 ${seed.port}`, `${seedRow.n}`]) {
    const out = await run(down, `ls ${target}`, done.ls);
    assert.match(out.join("\n"), /│ a\.txt +│ 6 B +│ [0-9a-f]{12} │/);
    assert.match(out.join("\n"), /│ meu doc\.txt +│/);
    assert.match(out.at(-1)!, line(s, "ls.summary", { count: 4 }));
  }

  for (const name of ["a.txt", "imagem.png", "meu doc.txt"]) {
    const out = await run(down, `get 127.0.0.1:${seed.port} "${name}"`, done.get);
    assert.match(out.at(-1)!, line(s, "fetch.saved", { name }));
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
  const skipped = line(s, "fetch.skipped", { name: "a.txt", here: "a.txt" });
  const same = await run(down, `get --from ${seedRow.n} a.txt`, either(skipped, done.error));
  assert.match(same.at(-1)!, skipped);
  await Deno.writeTextFile(join(downHome.dir, "notes.txt"), "mine");
  const other = await run(down, `get --from ${seedRow.n} notes.txt`, done.get);
  const renamed = line(s, "fetch.renamed", { name: "notes.txt", saved: "notes (1).txt" });
  assert.ok(other.some((l) => renamed.test(l)), other.join("\n"));
  assert.equal(await Deno.readTextFile(join(downHome.dir, "notes.txt")), "mine");
  assert.equal(await Deno.readTextFile(join(downHome.dir, "notes (1).txt")), "theirs");

  // What was downloaded is shared on: with the seeder gone, a third peer gets it from the
  // downloader.
  const mark = t.mark();
  seed.kill("SIGKILL");
  await t.waitFor(leave(s, seed.port), mark);
  const thirdHome = await s.home({});
  const third = await s.peer(t.port, thirdHome);
  const out = await run(third, `get 127.0.0.1:${down.port} imagem.png`, done.get);
  assert.match(out.at(-1)!, line(s, "fetch.saved", { name: "imagem.png" }));
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
  const out = await run(down, `get 127.0.0.1:${seed.port} big.bin`, ends(s).get);
  assert.match(out.at(-1)!, line(s, "fetch.saved", { name: "big.bin", size: "200 MiB" }));
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
  await down.waitFor(line(s, "fetch.downloading", { name: "big.bin" }), mark);
  down.kill("SIGINT");
  const cancelled = pattern("partial.cancelled", s.lang, {
    params: { name: "big.bin", count: 64 },
  });
  await down.waitFor(new RegExp(`${line(s, "cli.error").source}${cancelled.source}$`), mark);
  assert.deepEqual(
    await listing(downHome.dir),
    [".big.bin.rede-part", ".big.bin.rede-part.json"],
    "no file under the final name; the partial file is kept to resume",
  );
  assert.equal(peerRows(await run(down, "peers", ends(s).peers)).length, 2, "the shell goes on");
});

scenario("two peers on one machine are told apart by port", async (s) => {
  const done = ends(s);
  const t = await s.tracker();
  const one = await s.peer(t.port, await s.home({ "only-one.txt": "1" }), ["--name", "one"]);
  const two = await s.peer(t.port, await s.home({ "b.txt": "2" }), ["--name", "two"]);
  const asker = await s.peer(t.port, await s.home({}), ["--name", "asker"]);
  const rows = peerRows(await run(asker, "peers", done.peers));
  assert.equal(rows.length, 3);
  assert.ok(rows.some((r) => r.port === one.port && r.name === "one"));
  assert.ok(rows.some((r) => r.port === two.port && r.name === "two"));

  const ls = await run(asker, "ls 127.0.0.1", done.error);
  const several = ls.find((l) => done.error.test(l))!;
  assert.match(several, pattern("session.severalAt", s.lang, { params: { host: "127.0.0.1" } }));
  assert.ok(several.includes(`:${one.port}`) && several.includes(`:${two.port}`), several);

  // With the IP alone, get uses the one peer that has the file.
  const got = await run(asker, "get 127.0.0.1 only-one.txt", done.get);
  assert.match(
    got.at(-1)!,
    line(s, "fetch.saved", { name: "only-one.txt", from: `one (127.0.0.1:${one.port})` }),
  );
});

scenario("path traversal is refused and nothing lands outside", async (s) => {
  const done = ends(s);
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
    const out = await run(down, `get 127.0.0.1:${seed.port} '${bad}'`, done.error);
    assert.match(out.find((l) => done.error.test(l))!, pattern("names.invalid", s.lang));
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
  await run(down, "peers", done.peers);
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
        else {
          assert.match(text, /"t":"error","code":"VERSION_MISMATCH"/);
          // The text is informational, in the server's language (docs/PROTOCOL.md).
          assert.match(text, pattern("wire.plaintextRefusal", s.lang));
        }
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
  assert.equal(peerRows(await run(asker, "peers", ends(s).peers)).length, 2);
  assert.match((await run(asker, `ls 127.0.0.1:${seed.port}`, ends(s).ls)).join("\n"), /a\.txt/);
});

scenario("a peer killed with SIGKILL leaves the list", async (s) => {
  const done = ends(s);
  const t = await s.tracker();
  const victim = await s.peer(t.port, await s.home({ "a.txt": "a" }));
  const watcher = await s.peer(t.port, await s.home({}));
  assert.equal(peerRows(await run(watcher, "peers", done.peers)).length, 2);
  const mark = t.mark();
  victim.kill("SIGKILL");
  await t.waitFor(leave(s, victim.port, "serve.reason.lost"), mark);
  const rows = peerRows(await run(watcher, "peers", done.peers));
  assert.deepEqual(rows.map((r) => r.port), [watcher.port]);
  const out = await run(watcher, `ls 127.0.0.1:${victim.port}`, done.error);
  // Refused, or reset when another program on this machine happened to take the port meanwhile.
  const address = `127.0.0.1:${victim.port}`;
  const refused = pattern("net.reason.refused", s.lang).source;
  const reset = pattern("net.reason.reset", s.lang).source;
  const unreachable = pattern("net.reach.peer", s.lang, { params: { address, reason: "@" } });
  assert.match(
    out.find((l) => done.error.test(l))!,
    new RegExp(unreachable.source.replace("@", `(?:${refused}|${reset})`)),
  );
});

scenario("peers come back by themselves when the tracker restarts", async (s) => {
  const done = ends(s);
  const t = await s.tracker();
  const a = await s.peer(t.port, await s.home({ "a.txt": "a" }));
  const b = await s.peer(t.port, await s.home({}));
  const [ma, mb] = [a.mark(), b.mark()];
  t.kill("SIGKILL");
  const lost = pattern("tracker.lost", s.lang, { params: { address: `127.0.0.1:${t.port}` } });
  await a.waitFor(lost, ma);
  await b.waitFor(lost, mb);
  // Peers keep serving each other while the tracker is away.
  assert.match((await run(b, `ls 127.0.0.1:${a.port}`, done.ls)).join("\n"), /a\.txt/);
  const out = await run(b, "peers", done.error);
  assert.match(out.find((l) => done.error.test(l))!, pattern("tracker.unreachable", s.lang));
  await s.tracker(t.port);
  const again = pattern("net.registeredAgain", s.lang);
  await a.waitFor(again, ma);
  await b.waitFor(again, mb);
  const rows = peerRows(await run(b, "peers", done.peers));
  assert.deepEqual(rows.map((r) => r.port).sort(), [a.port, b.port].sort());
});

scenario("quit, end of input and SIGTERM leave cleanly", async (s) => {
  const t = await s.tracker();
  const quitter = await s.peer(t.port, await s.home({}));
  const mark = t.mark();
  await quitter.send("quit");
  assert.equal((await quitter.done).code, 0);
  await t.waitFor(leave(s, quitter.port, "serve.reason.quit"), mark);

  const eof = await s.peer(t.port, await s.home({}));
  await eof.endInput();
  assert.equal((await eof.done).code, 0);
  await t.waitFor(leave(s, eof.port, "serve.reason.quit"), mark);

  const quiet = await s.peer(t.port, await s.home({ "a.txt": "a" }), ["--no-shell"]);
  await quiet.waitFor(line(s, "join.untilSignal"));
  quiet.kill("SIGTERM");
  assert.equal((await quiet.done).code, 0);
  await t.waitFor(leave(s, quiet.port, "serve.reason.quit"), mark);
});

scenario(
  "a tracker that is not there is one line, and the shell goes on",
  async (s) => {
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (closed.addr as Deno.NetAddr).port;
    closed.close(); // A port nothing listens on.
    const home = await s.home({});

    const p = s.track(
      new Proc(s.program, joinArgs(port, home), { stdin: true, env: langEnv(s.lang) }),
    );
    const reason = CATALOGUES[s.lang]["net.reason.refused"] as string;
    const address = `127.0.0.1:${port}`;
    await p.waitFor(pattern("net.reach.tracker", s.lang, { params: { address, reason } }));
    const error = line(s, "cli.error");
    const out = await run(p, "peers", error);
    assert.match(
      out.find((l) => error.test(l))!,
      pattern("tracker.unreachable", s.lang, { params: { address } }),
    );
    await p.send("quit");
    assert.equal((await p.done).code, 1, "a scripted session with a failed command exits 1");
    assert.ok(!p.lines.some((l) => /^\s+at /.test(l)), "no stack trace");
  },
);
