/**
 * The shell's faults a new user met in the first hour (issue 10), each reproduced by a test that
 * failed before its fix.
 */
import assert from "node:assert/strict";
import { Proc, run, type Scene, sceneTest, SOURCE } from "../testing/harness.ts";
import { parseRate } from "../core/rate.ts";
import { readGetArgs } from "../commands/get.ts";
import { ProgressBoard, progressRow, RateMeter } from "../commands/_progress.ts";
import { type Screen, wrap } from "../commands/_screen.ts";
import { fitColumns, table } from "../commands/_ui.ts";
import { widthOf } from "../commands/_width.ts";
import { History } from "../storage/history.ts";
import { SHELL_HISTORY_LINES } from "../core/limits.ts";

const test = (name: string, fn: (s: Scene) => Promise<void>) => sceneTest(SOURCE, name, fn);

// --- 4. Rate units ----------------------------------------------------------------------------

Deno.test("rates: the units people write, bytes binary and bits decimal", () => {
  const rate = (text: string) => {
    const r = parseRate(text);
    assert.ok("bytesPerSecond" in r, `${text}: ${JSON.stringify(r)}`);
    return r.bytesPerSecond;
  };
  assert.equal(rate("10Mbps"), 1_250_000); // Read as 10 bytes a second before.
  assert.equal(rate("10mbit"), 1_250_000);
  assert.equal(rate("100 Mbit/s"), 12_500_000);
  assert.equal(rate("2M"), 2 * 1024 ** 2); // Read as 2 bytes a second before.
  assert.equal(rate("2MB"), 2 * 1024 ** 2);
  assert.equal(rate("2MiB/s"), 2 * 1024 ** 2);
  assert.equal(rate("500KB"), 500 * 1024);
  assert.equal(rate("500kib"), 500 * 1024);
  assert.equal(rate("64kbit"), 8000);
  assert.equal(rate("1.5GB"), 1.5 * 1024 ** 3);
  assert.equal(rate("4096"), 4096);
  for (const bad of ["fast", "10 furlongs", "2mb", "10Kb", "-1MB", "0", "0.1", "1e3MB", ""]) {
    const r = parseRate(bad);
    assert.ok("problem" in r, `${bad} should be refused`);
  }
  assert.match(
    (parseRate("2mb") as { problem: string }).problem,
    /ambiguous: say MB \(bytes\) or Mbit/,
  );
});

test("rates: --max-upload-rate with a unit it does not know is a usage error, before anything starts", async (s) => {
  const home = await s.home();
  const { code, lines } = await s.cli([
    "join",
    "127.0.0.1:9",
    "--dir",
    home.dir,
    "--manifest",
    home.manifest,
    "--max-upload-rate",
    "10 furlongs",
  ]);
  assert.equal(code, 2, lines.join("\n"));
  assert.match(lines.join("\n"), /Invalid rate: '10 furlongs' has an unknown unit 'furlongs'/);
  assert.ok(!lines.some((l) => l.startsWith("Registered")), lines.join("\n"));
});

// --- 11. A mistyped --dir -------------------------------------------------------------------

test("--dir: a named folder that does not exist is refused with a hint, not created", async (s) => {
  const home = await s.home();
  const typo = `${home.dir}-typo`;
  const { code, lines } = await s.cli([
    "join",
    "127.0.0.1:9",
    "--dir",
    typo,
    "--manifest",
    home.manifest,
  ]);
  assert.equal(code, 2, lines.join("\n"));
  assert.equal(lines.length, 1, lines.join("\n"));
  assert.match(
    lines[0],
    /^error: No folder '.*-typo' \(--dir\): create it first, or leave --dir out/,
  );
  await assert.rejects(Deno.stat(typo), Deno.errors.NotFound);
});

test("--dir: the default folder is made when missing", async (s) => {
  const home = await s.home();
  const cwd = await Deno.makeTempDir({ dir: home.home });
  const p = s.track(
    new Proc(SOURCE, ["join", "127.0.0.1:9", "--manifest", home.manifest], { cwd }),
  );
  // No tracker there: the peer shares anyway, and its input (none) ends it.
  const { code } = await p.done;
  assert.equal(code, 0, p.lines.join("\n"));
  assert.ok(p.lines.some((l) => l.startsWith("Serving peers on ")), p.lines.join("\n"));
  assert.ok((await Deno.stat(`${cwd}/arquivos_compartilhaveis`)).isDirectory);
});

// --- 12. One `error:` line ------------------------------------------------------------------

test("the command line says every failure in one line starting with 'error:'", async (s) => {
  const cases: [string[], number, RegExp][] = [
    [["bogus"], 2, /^error: unknown verb 'bogus' \(verbs: .*; see 'rede-p2p help'\)$/],
    [
      ["join", "--no-discovery"],
      2,
      /^error: Discovery is off \(--no-discovery\): give the tracker's address \(usage: join \[tracker\] \[options\]; see 'help join'\)$/,
    ],
    [["verify-receipt", "/nonexistent/r.json"], 1, /^error: /],
  ];
  for (const [argv, want, re] of cases) {
    const { code, lines } = await s.cli(argv);
    assert.equal(code, want, `${argv.join(" ")}: ${lines.join("\n")}`);
    assert.equal(lines.length, 1, `${argv.join(" ")}: ${lines.join("\n")}`);
    assert.match(lines[0], re);
  }
});

// --- 3. Accents -------------------------------------------------------------------------------

test("find: a search ignores case and accents, in composed and decomposed names", async (s) => {
  const t = await s.tracker();
  const composed = "relatório final.pdf".normalize("NFC");
  const decomposed = "Ação Relatório.txt".normalize("NFD"); // As macOS writes names.
  await s.peer(t.port, await s.home({ [composed]: "a", [decomposed]: "b", "outro.txt": "c" }));
  const me = await s.peer(t.port, await s.home());
  for (const text of ["relatorio", "RELATÓRIO", "relato\u0301rio"]) {
    const mark = me.mark();
    await me.send(`find ${text}`);
    const summary = await me.waitFor(/^\d+ files? match(?:es)? /, mark);
    const out = me.since(mark).join("\n");
    assert.match(summary.input!, /^2 files match /, `${text}:\n${out}`);
    assert.match(out.normalize("NFC"), /relatório final\.pdf/, text);
    assert.match(out.normalize("NFC"), /Ação Relatório\.txt/, text);
    assert.doesNotMatch(out, /outro\.txt/);
  }
});

// --- 10. One peer counted once ----------------------------------------------------------------

test("find: a peer sharing one content under several names counts once, and ranks so", async (s) => {
  const t = await s.tracker();
  // One peer holds X under three names; two peers hold Y.
  await s.peer(t.port, await s.home({ "aula 1.txt": "x", "aula 2.txt": "x", "aula 3.txt": "x" }));
  await s.peer(t.port, await s.home({ "aula y.txt": "y" }));
  await s.peer(t.port, await s.home({ "aula y.txt": "y", "aula 9.txt": "x" }));
  const me = await s.peer(t.port, await s.home());
  const out = await run(me, "find aula", /^\d+ files? match(?:es)? /);
  const rows = out.filter((l) => /^│ \d/.test(l)).map((l) => l.split("│").map((c) => c.trim()));
  assert.equal(rows.length, 2, out.join("\n"));
  // X: held by two peers (one of them under three names), named as most of its holders name it.
  // Y: two peers. Neither counts a peer twice; equal counts rank by name.
  assert.deepEqual(rows.map((r) => [r[2], r[5]]), [["aula 1.txt", "2"], ["aula y.txt", "2"]]);
});

test("find: a content one peer lists three times ranks below one two peers hold", async (s) => {
  const t = await s.tracker();
  await s.peer(t.port, await s.home({ "aula 1.txt": "x", "aula 2.txt": "x", "aula 3.txt": "x" }));
  await s.peer(t.port, await s.home({ "aula y.txt": "y" }));
  await s.peer(t.port, await s.home({ "aula y.txt": "y" }));
  const me = await s.peer(t.port, await s.home());
  const out = await run(me, "find aula", /^\d+ files? match(?:es)? /);
  const rows = out.filter((l) => /^│ \d/.test(l)).map((l) => l.split("│").map((c) => c.trim()));
  assert.deepEqual(rows.map((r) => [r[2], r[5]]), [["aula y.txt", "2"], ["aula 1.txt", "1"]]);
});

// --- 1. The grammar of get ----------------------------------------------------------------------

Deno.test("get: every #N is a row of the last find; an address first names a peer; ./ is literal", () => {
  // After a find of 11 rows: `get #1 #2` and `get #9 #10 #11` are all rows (fault 1).
  assert.deepEqual(readGetArgs(["#1", "#2"], undefined, 11).items, [{ row: 1 }, { row: 2 }]);
  assert.deepEqual(readGetArgs(["#9", "#10", "#11"], undefined, 11), {
    peer: undefined,
    items: [{ row: 9 }, { row: 10 }, { row: 11 }],
  });
  // A file named `1`, or named like an address when alone or after --from, is a name.
  assert.deepEqual(readGetArgs(["1"], undefined, 0).items, [{ name: "1" }]);
  assert.deepEqual(readGetArgs(["1", "b.txt"], undefined, 3).items, [
    { name: "1" },
    { name: "b.txt" },
  ]);
  assert.deepEqual(readGetArgs(["10.0.0.1"], undefined, 0).items, [{ name: "10.0.0.1" }]);
  assert.deepEqual(readGetArgs(["host:80"], undefined, 0).items, [{ name: "host:80" }]);
  assert.deepEqual(readGetArgs(["10.0.0.1", "a"], "ana", 0), {
    peer: "ana",
    items: [{ name: "10.0.0.1" }, { name: "a" }],
  });
  // The peer: --from, or an IP address (with or without a port) before names.
  assert.deepEqual(readGetArgs(["a.txt"], "2", 0), { peer: "2", items: [{ name: "a.txt" }] });
  assert.deepEqual(readGetArgs(["192.168.0.7:50123", "a"], undefined, 0).peer, "192.168.0.7:50123");
  assert.deepEqual(readGetArgs(["[::1]:9", "a"], undefined, 0).peer, "[::1]:9");
  // ./ takes a name literally.
  assert.deepEqual(readGetArgs(["./#3"], undefined, 5).items, [{ name: "#3" }]);
  // Mistakes are said, with the way out.
  assert.throws(() => readGetArgs(["#2"], undefined, 0), /no 'find' ran yet .*'\.\/#2'/);
  assert.throws(
    () => readGetArgs(["#1", "#4"], undefined, 3),
    /No row #4: the last 'find' listed 3/,
  );
});

test("get: '#1 #2' after find fetches both rows; a file named '1' is fetched by its name", async (s) => {
  const t = await s.tracker();
  await s.peer(t.port, await s.home({ "a.txt": "A", "b.txt": "BB", "1": "one" }));
  const home = await s.home();
  const me = await s.peer(t.port, home);
  await run(me, "find txt", /^2 files match /);
  const both = await run(me, "get #1 #2", /^Saved 'b\.txt'|^error: /);
  assert.ok(!both.some((l) => l.startsWith("error: ")), both.join("\n"));
  await me.waitFor(/^Saved 'a\.txt'/);
  assert.equal(await Deno.readTextFile(`${home.dir}/a.txt`), "A");
  assert.equal(await Deno.readTextFile(`${home.dir}/b.txt`), "BB");
  const one = await run(me, "get 1", /^Saved '1'|^error: /);
  assert.match(one.at(-1)!, /^Saved '1'/, one.join("\n"));
  assert.equal(await Deno.readTextFile(`${home.dir}/1`), "one");
  // The old way of naming a peer by its row is told how to say it now.
  const old = await run(me, "get 7 a.txt", /^error: /);
  assert.match(old.at(-1)!, /No file or folder named '7' .*'get --from 7 FILE'/);
});

test("names: a file named in decomposed Unicode (as macOS writes it) is shared in NFC and fetched by its name", async (s) => {
  const t = await s.tracker();
  const nfd = "Ação relatório.txt".normalize("NFD");
  const nfc = nfd.normalize("NFC");
  assert.notEqual(nfd, nfc);
  const seed = await s.peer(t.port, await s.home({ [nfd]: "conteúdo", "outra.txt": "x" }));
  const home = await s.home();
  const me = await s.peer(t.port, home);
  const listed = await run(me, `ls 127.0.0.1:${seed.port}`, /^\d+ files?,/);
  assert.ok(listed.some((l) => l.includes(nfc)), listed.join("\n"));
  assert.ok(!listed.some((l) => l.includes(nfd)), "shared in NFC");
  // Typed composed (as most keyboards do): fetched.
  const got = await run(me, `get "${nfc}"`, /^Saved |^error: /);
  assert.match(got.at(-1)!, /^Saved /, got.join("\n"));
  assert.equal(await Deno.readTextFile(`${home.dir}/${nfc}`), "conteúdo");
  // Typed decomposed, from that peer: the same file, already here.
  const again = await run(me, `get 127.0.0.1:${seed.port} "${nfd}"`, /already here|^error: /);
  assert.match(again.at(-1)!, /already here/, again.join("\n"));
});

// --- 5. 80 and 60 columns ---------------------------------------------------------------------

Deno.test("progress: at 80 and 60 columns a row keeps every number; the bar goes first", () => {
  const r = {
    name: "relatório final do projeto de redes.pdf",
    total: 734 * 1024 ** 2,
    done: 312 * 1024 ** 2,
    rate: 11.4 * 1024 ** 2,
    sources: 3,
  };
  for (const columns of [120, 80, 60, 50]) {
    const row = progressRow(r, columns);
    assert.ok(widthOf(row) <= columns - 1, `${columns}: ${row} (${widthOf(row)})`);
    for (const part of ["42%", "312", "734 MiB", "11.4 MiB/s", "ETA 37s", "3 src"]) {
      assert.ok(row.includes(part), `${columns} columns lost '${part}': ${row}`);
    }
  }
  assert.match(progressRow(r, 120), /█+░+/); // Room for a bar.
  assert.match(progressRow(r, 80), /█+░+/);
  assert.doesNotMatch(progressRow(r, 60), /[█░]/); // The bar went, the numbers stayed.
  assert.match(progressRow(r, 60), /^relat.*….*\.pdf /); // The name keeps its end.
});

Deno.test("tables: fitted to the width, the widest column narrowed and wrapped, numbers whole", () => {
  const rows = [[
    1,
    "um nome de arquivo bem comprido, com acentos, ação.pdf",
    "active",
    "42% 734 MiB",
  ]];
  const text = table(["#", "Name", "Status", "Progress"], rows, 60);
  for (const line of text.split("\n")) assert.ok(widthOf(line) <= 59, `${widthOf(line)}: ${line}`);
  assert.match(text, /42% 734 MiB/);
  assert.equal(fitColumns([["a", "b"]], 80), undefined); // A table that fits is left alone.
});

// --- 6. Rate and ETA after a resume -------------------------------------------------------------

Deno.test("progress: the rate counts only bytes fetched now, not those resumed from disk", () => {
  let now = 0;
  const screen = {
    live: (draw: (c: number) => string[]) => {
      (screen as { draw?: typeof draw }).draw = draw;
      return () => {};
    },
    changed: () => {},
  } as unknown as Screen & { draw: (c: number) => string[] };
  const board = new ProgressBoard(screen, () => now);
  const MIB = 1024 ** 2;
  const bar = board.add("big.bin", 100 * MIB);
  bar.update(90 * MIB, 0, 0); // The transfer starts with 90 MiB already on disk.
  for (let s = 1; s <= 4; s++) {
    now = s * 1000;
    bar.update(90 * MIB + s * MIB - MIB / 2, MIB / 2, 1); // 1 MiB/s, half a chunk arriving.
  }
  const row = screen.draw(120)[0];
  assert.match(row, /\| 1 MiB\/s \|/, row); // Not (94 MiB / 4 s): what was on disk is not rate.
  assert.match(row, /ETA 6s/, row);
  assert.match(row, /94%/, row); // Bytes still arriving count: the bar moves within a chunk.
});

Deno.test("rate meter: over the last seconds, and unknown before a quarter second", () => {
  const m = new RateMeter();
  m.add(0, 0);
  m.add(100, 1000);
  assert.equal(m.rate(), undefined);
  m.add(1000, 1000);
  assert.equal(m.rate(), 1000);
  for (let t = 2000; t <= 20_000; t += 1000) m.add(t, 1000 + (t - 1000) * 10); // Then 10x faster.
  assert.equal(m.rate(), 10_000);
});

// --- 13. History ------------------------------------------------------------------------------

Deno.test("history: kept across runs, bounded, newest first, private lines left out", async () => {
  const home = await Deno.makeTempDir({ prefix: "rede-p2p-history-" });
  try {
    const first = new History(home);
    assert.deepEqual(await first.load(), []); // None yet.
    for (let i = 0; i < SHELL_HISTORY_LINES + 5; i++) await first.add(`find ${i}`);
    await first.add(" get segredo.txt"); // A leading space: not kept.
    await first.add("x".repeat(5000)); // Too long: not kept.
    await first.add("");
    const lines = await new History(home).load();
    assert.equal(lines.length, SHELL_HISTORY_LINES);
    assert.equal(lines[0], `find ${SHELL_HISTORY_LINES + 4}`); // Newest first, as readline takes.
    assert.equal(lines.at(-1), "find 5"); // The oldest dropped.
    const file = await Deno.readTextFile(`${home}/history`);
    assert.equal(file.split("\n").length - 1, SHELL_HISTORY_LINES); // Trimmed on disk too.
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(`${home}/history`)).mode! & 0o077, 0); // Its owner's only.
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("screen: a long line is broken at spaces to the width, tables are left whole", () => {
  const saved = "Saved 'fotos da turma/foto 1.jpg' (5 MiB) from 127.0.0.1:39165 in 4.5 s " +
    "(1.11 MiB/s); root 29b5a3e21284 verified";
  const rows = wrap(saved, 79);
  assert.equal(rows.length, 2);
  assert.ok(rows.every((r) => widthOf(r) <= 79), rows.join("\n"));
  assert.match(rows[1], /^ {2}\S/);
  assert.equal(rows.join(" ").replace(/ {3}/, " "), saved);
  assert.deepEqual(wrap("│ 1 │ x │", 4), ["│ 1 │ x │"]);
});
