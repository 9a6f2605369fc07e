/**
 * End-to-end tests of chunked transfers, with real processes on 127.0.0.1: several sources,
 * sources that die or lie, a downloader killed and resumed, search, and folders.
 */
import assert from "node:assert/strict";
import { startLyingPeer } from "./_hostile.ts";
import { join } from "node:path";
import { CHUNK_BYTES } from "../core/limits.ts";
import {
  codeOf,
  contributions,
  run,
  type Scene,
  sceneTest,
  sha256File,
  SOURCE,
} from "../testing/harness.ts";
import { RawClient } from "../testing/raw_client.ts";

const MIB = 1024 * 1024;

function e2e(name: string, fn: (s: Scene) => Promise<void>): void {
  sceneTest(SOURCE, `transfer: ${name}`, fn);
}

const SAVED = /^(Saved '|error: )/;

/** The indexes of the chunks a `--verbose` downloader reported written. */
function chunkIndexes(lines: string[]): Set<number> {
  return new Set(lines.flatMap((l) => {
    const m = /^ {2}chunk (\d+) in \(/.exec(l);
    return m ? [Number(m[1])] : [];
  }));
}

e2e("a 300 MiB file held by three peers comes from all three", async (s) => {
  const t = await s.tracker();
  const data = await s.file(300 * MIB, 11);
  const seeders = [];
  for (let i = 0; i < 3; i++) {
    // Each holder is held to the same rate, so that every one of them has to contribute.
    const home = await s.seedHome(data, "big.bin");
    seeders.push(await s.peer(t.port, home, ["--max-upload-rate", "60MB"]));
  }
  const downHome = await s.home();
  const down = await s.peer(t.port, downHome);
  const out = await run(down, "get big.bin", /^ {2}sources: |^error: /);
  assert.match(
    out.find((l) => l.startsWith("Saved"))!,
    /^Saved 'big\.bin' \(300 MiB\) from 3 sources/,
  );
  const bySource = contributions(out);
  assert.deepEqual([...bySource.keys()].sort(), seeders.map((p) => `127.0.0.1:${p.port}`).sort());
  for (const [label, n] of bySource) assert.ok(n >= 20 * MIB, `${label} sent only ${n} bytes`);
  assert.equal(await sha256File(join(downHome.dir, "big.bin")), await sha256File(data));
});

e2e("a source killed mid-download does not stop it", async (s) => {
  const t = await s.tracker();
  const data = await s.file(64 * MIB, 12);
  const a = await s.peer(t.port, await s.seedHome(data, "f.bin"), ["--max-upload-rate", "16MB"]);
  const b = await s.peer(t.port, await s.seedHome(data, "f.bin"), ["--max-upload-rate", "16MB"]);
  const downHome = await s.home();
  const down = await s.peer(t.port, downHome, ["--verbose"]);
  const mark = down.mark();
  await down.send(`get 127.0.0.1:${a.port} f.bin`);
  await down.waitFor(/^ {2}chunk \d+ in \(2 of 64\)/, mark); // 1 MiB chunks.
  a.kill("SIGKILL");
  const done = await down.waitFor(SAVED, mark);
  assert.match(done.input!, /^Saved 'f\.bin'/);
  const dropped = new RegExp(`^Dropped source \\S+ \\(127\\.0\\.0\\.1:${a.port}\\): `);
  assert.ok(down.since(mark).some((l) => dropped.test(l)), down.since(mark).join("\n"));
  assert.equal(await sha256File(join(downHome.dir, "f.bin")), await sha256File(data));
  void b;
});

e2e("a downloader killed with SIGKILL resumes and re-fetches no written chunk", async (s) => {
  const t = await s.tracker();
  const data = await s.file(64 * MIB, 13);
  const total = 64 * MIB / CHUNK_BYTES;
  const seed = await s.peer(t.port, await s.seedHome(data, "f.bin"), ["--max-upload-rate", "16MB"]);
  const downHome = await s.home();
  const first = await s.peer(t.port, downHome, ["--verbose"]);
  const mark = first.mark();
  await first.send(`get 127.0.0.1:${seed.port} f.bin`);
  await first.waitFor(new RegExp(`^ {2}chunk \\d+ in \\(4 of ${total}\\)`), mark);
  first.kill("SIGKILL");
  await first.done;
  // Every chunk the first run reported written (it may have written a few more unreported).
  const written = chunkIndexes(first.since(mark));
  assert.ok(written.size >= 4 && written.size < total, `killed mid-way: ${written.size}`);

  const second = await s.peer(t.port, downHome, ["--verbose"]);
  const out = await run(second, `get 127.0.0.1:${seed.port} f.bin`, SAVED);
  const saved = out.find((l) => l.startsWith("Saved"))!;
  const resumed = /; ([\d.]+) MiB resumed$/.exec(saved);
  assert.ok(resumed, saved);
  const resumedChunks = Math.round((Number(resumed[1]) * MIB) / CHUNK_BYTES);
  const fetched = chunkIndexes(out);
  const fetchedAgain = [...fetched].filter((i) => written.has(i));
  assert.deepEqual(fetchedAgain, [], "no chunk known to be written is fetched again");
  assert.ok(resumedChunks >= written.size, `${resumedChunks} resumed < ${written.size} written`);
  assert.equal(fetched.size + resumedChunks, total, "the second run fetched only the rest");
  assert.equal(await sha256File(join(downHome.dir, "f.bin")), await sha256File(data));
});

e2e("a source serving corrupted bytes is detected and dropped", async (s) => {
  const t = await s.tracker();
  const data = await s.file(24 * MIB, 14);
  // The liar runs in this process, built from the net layer; the honest source is held back, so
  // that the liar surely answers first.
  const liarPort = await startLyingPeer(s, t.port, await s.seedHome(data, "f.bin"));
  await s.peer(t.port, await s.seedHome(data, "f.bin"), ["--max-upload-rate", "8MB"]);
  const downHome = await s.home();
  const down = await s.peer(t.port, downHome);
  const out = await run(down, "get f.bin", SAVED);
  assert.ok(
    out.some((l) =>
      l.startsWith(`Dropped source liar (127.0.0.1:${liarPort}):`) &&
      l.includes("does not match its hash")
    ),
    out.join("\n"),
  );
  assert.match(out.find((l) => l.startsWith("Saved"))!, /^Saved 'f\.bin'/);
  assert.equal(await sha256File(join(downHome.dir, "f.bin")), await sha256File(data));
});

e2e("find finds a file on another peer, and get takes its row", async (s) => {
  const t = await s.tracker();
  await s.peer(t.port, await s.home({ "relatorio-final.pdf": "pdf", "outro.txt": "x" }));
  const downHome = await s.home();
  const down = await s.peer(t.port, downHome);
  const out = await run(down, "find RELATORIO", /files? match(?:es)?/);
  assert.ok(
    out.some((l) => /│ 1 │ relatorio-final\.pdf │ 3 B +│ [0-9a-f]{12} │ 1 +│/.test(l)),
    out.join("\n"),
  );
  assert.match(out.at(-1)!, /^1 file matches 'RELATORIO'/);
  const got = await run(down, "get #1", SAVED);
  assert.match(got.at(-1)!, /^Saved 'relatorio-final\.pdf'/);
  assert.equal(await Deno.readTextFile(join(downHome.dir, "relatorio-final.pdf")), "pdf");
});

e2e("a shared folder is fetched whole and shared on", async (s) => {
  const t = await s.tracker();
  const seedHome = await s.home();
  const files: Record<string, string> = {
    "fotos/a.jpg": "A",
    "fotos/2024/b.jpg": "BB",
    "fotos/2024/viagem/c d.jpg": "CCC",
  };
  for (const [name, text] of Object.entries(files)) {
    await Deno.mkdir(join(seedHome.dir, ...name.split("/").slice(0, -1)), { recursive: true });
    await Deno.writeTextFile(join(seedHome.dir, ...name.split("/")), text);
  }
  await Deno.writeTextFile(seedHome.manifest, "fotos share/fotos\n");
  const seed = await s.peer(t.port, seedHome);
  const downHome = await s.home();
  const down = await s.peer(t.port, downHome);
  const mark = down.mark();
  await down.send(`get 127.0.0.1:${seed.port} fotos`);
  await down.waitFor(/^Saved 'fotos\/2024\/viagem\/c d\.jpg'/, mark);
  await down.waitFor(/^Saved 'fotos\/a\.jpg'/, mark);
  await down.waitFor(/^Saved 'fotos\/2024\/b\.jpg'/, mark);
  for (const [name, text] of Object.entries(files)) {
    assert.equal(await Deno.readTextFile(join(downHome.dir, ...name.split("/"))), text);
  }
  const manifest = await Deno.readTextFile(downHome.manifest);
  assert.deepEqual(manifest.split("\n").filter((l) => l.trim()), ["fotos share/fotos"]);
  const third = await s.peer(t.port, await s.home());
  const ls = await run(third, `ls 127.0.0.1:${down.port}`, /files?, .* at /);
  assert.ok(ls.some((l) => l.includes("fotos/2024/viagem/c d.jpg")), ls.join("\n"));
});

e2e("names a peer announces that could leave a folder are never listed", async (s) => {
  const t = await s.tracker();
  // A member admitted with the code, whose register is built by hand (checked by nothing).
  const ch = await RawClient.hello(t.port, undefined, { code: codeOf(t.port) });
  try {
    const reg = await ch.ask({
      t: "register",
      port: 9,
      name: "liar",
      files: [
        { name: "../../evil.txt", size: 1, root: "a".repeat(64) },
        { name: "fine/../../evil.txt", size: 1, root: "b".repeat(64) },
        { name: "evil-but-fine.txt", size: 1, root: "c".repeat(64) },
      ],
    });
    assert.equal(reg?.t, "registered", JSON.stringify(reg));
    const asker = await s.peer(t.port, await s.home());
    const out = await run(asker, "find evil", /files? match(?:es)?/);
    assert.match(out.at(-1)!, /^1 file matches 'evil'/);
    assert.ok(out.some((l) => l.includes("evil-but-fine.txt")));
  } finally {
    await ch.close();
  }
});
