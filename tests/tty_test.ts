/**
 * The shell in a real pseudo-terminal (tmux), as a person sees it (issue 10): bars, lines and the
 * prompt share the screen (fault 2), rows fit the width and follow a resize (fault 5), and the
 * history outlives the shell (fault 13). Skipped, saying so, where tmux is missing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CATALOGUES } from "../core/i18n.ts";
import {
  codeOf,
  joinArgs,
  langEnv,
  type PeerSetup,
  type Scene,
  sceneTest,
  SOURCE,
} from "../testing/harness.ts";
import { writeRandomFile } from "../testing/harness.ts";
import { HAVE_TMUX, Tty } from "../testing/tty.ts";

if (!HAVE_TMUX) {
  console.log("tty_test: tmux is not installed; the pseudo-terminal tests are skipped");
}

const test = (name: string, fn: (s: Scene, ttys: Tty[]) => Promise<void>) =>
  HAVE_TMUX
    ? sceneTest(SOURCE, name, async (s) => {
      const ttys: Tty[] = [];
      s.defer(async () => void await Promise.all(ttys.map((t) => t.close())));
      await fn(s, ttys);
    })
    : Deno.test({ name, ignore: true, fn: () => {} });

const PROMPT = /^rede-p2p>/;
const BAR = /[█░]{10}|\d+% .*ETA /;

/** A seeder sharing the folder `fotos` of three 3 MiB files, uploading at 1.5 MiB/s. */
async function slowFotos(s: Scene): Promise<number> {
  const t = await s.tracker();
  const home = await s.home();
  await Deno.mkdir(join(home.dir, "fotos"));
  for (let i = 1; i <= 3; i++) {
    await writeRandomFile(join(home.dir, "fotos", `foto ${i}.bin`), 3 << 20, i);
  }
  await Deno.writeTextFile(home.manifest, "fotos share/fotos\n");
  await s.peer(t.port, home, ["--max-upload-rate", "1.5MiB"]);
  return t.port;
}

async function shell(
  ttys: Tty[],
  port: number,
  home: PeerSetup,
  size = { cols: 80, rows: 24 },
  env: Record<string, string> = {},
): Promise<Tty> {
  const tty = await Tty.start(SOURCE, joinArgs(port, home), { ...size, cwd: home.home, env });
  ttys.push(tty);
  await tty.waitScreen((rows) => PROMPT.test(rows.findLast((r) => r !== "") ?? ""));
  return tty;
}

test(
  "tty: typing while bars run stays on the prompt under them; finished bars go",
  async (s, ttys) => {
    const port = await slowFotos(s);
    const home = await s.home();
    const tty = await shell(ttys, port, home);
    await tty.type("get fotos");
    await tty.press("Enter");
    await tty.waitScreen((rows) => rows.filter((r) => BAR.test(r)).length === 3);
    await tty.type("peers");
    // While the bars run: the prompt, with what was typed, is the last row, and the bars above it.
    const during = await tty.waitScreen((rows) => rows.some((r) => r === "rede-p2p> peers"));
    const last = during.findLastIndex((r) => r !== "");
    assert.equal(during[last], "rede-p2p> peers", during.join("\n"));
    assert.ok(BAR.test(during[last - 1]), during.join("\n"));
    assert.ok(during.every((r) => r.length <= 80), during.join("\n"));
    // Each download done: its line above, its bar gone; none is left behind, none at 0%.
    const after = await tty.waitScreen(
      (rows) => rows.filter((r) => /^Saved 'fotos\/foto \d\.bin'/.test(r)).length === 3,
      30_000,
    );
    const end = await tty.waitScreen((rows) => !rows.some((r) => BAR.test(r)));
    assert.equal(end.findLast((r) => r !== ""), "rede-p2p> peers", end.join("\n"));
    assert.ok(after.every((r) => !/rede-p2p>.*rede-p2p>/.test(r)), "no prompt drawn over another");
    // What was typed is still there, whole, and runs.
    await tty.press("Enter");
    await tty.waitScreen(/^\d+ peers? connected/);
    const rows = await tty.screen();
    assert.equal(rows.filter((r) => /^rede-p2p> peers$/.test(r)).length, 1, rows.join("\n"));
    assert.equal(rows.findLast((r) => r !== ""), "rede-p2p>", rows.join("\n"));
    for (let i = 1; i <= 3; i++) {
      const data = await Deno.stat(join(home.dir, "fotos", `foto ${i}.bin`));
      assert.equal(data.size, 3 << 20);
    }
  },
);

test(
  "tty: a line entered while bars run goes above them and runs after the get",
  async (s, ttys) => {
    const port = await slowFotos(s);
    const tty = await shell(ttys, port, await s.home());
    await tty.type("get fotos");
    await tty.press("Enter");
    await tty.waitScreen((rows) => rows.filter((r) => BAR.test(r)).length === 3);
    await tty.type("downloads");
    await tty.press("Enter");
    const rows = await tty.waitScreen((r) => r.some((x) => x === "rede-p2p> downloads"));
    const echo = rows.indexOf("rede-p2p> downloads");
    const firstBar = rows.findIndex((r) => BAR.test(r));
    assert.ok(
      firstBar < 0 || echo < firstBar,
      `the line entered is above the bars:\n${rows.join("\n")}`,
    );
    const done = await tty.waitScreen(/^3 downloads: 0 active/, 30_000);
    assert.ok(done.every((r) => r.length <= 80), done.join("\n"));
  },
);

test("tty: at 60 columns rows fit; a resize redraws the bars to the new width", async (s, ttys) => {
  const port = await slowFotos(s);
  const tty = await shell(ttys, port, await s.home(), { cols: 100, rows: 24 });
  await tty.type("get fotos");
  await tty.press("Enter");
  await tty.waitScreen((rows) => rows.filter((r) => /█/.test(r)).length === 3);
  await tty.resize(60, 24);
  const narrow = await tty.waitScreen((rows) =>
    rows.filter((r) => /\d+% .*\/3 MiB .*ETA .* src$/.test(r) && r.length <= 59).length === 3
  );
  const bars = narrow.filter((r) => /ETA/.test(r));
  for (const r of bars) {
    assert.match(r, /^fotos\/foto \d\.bin +\d+% \S+( \w+)?\/3 MiB \S+( \S+)? ETA \S+ \d src$/);
  }
});

test(
  "tty: lines printed before the prompt break at spaces too, in Portuguese at 60 columns",
  async (s, ttys) => {
    const t = await s.tracker();
    const tty = await shell(ttys, t.port, await s.home(), { cols: 60, rows: 24 }, langEnv("pt"));
    const rows = await tty.screen();
    // "Digite 'ajuda' para ver os verbos e, para sair, 'sair' ou Ctrl-D.": 66 columns.
    const hint = CATALOGUES.pt["join.typeHelp"] as string;
    const at = rows.findIndex((r) => r.startsWith("Digite "));
    assert.ok(at >= 0, rows.join("\n"));
    const lines = [rows[at]];
    for (let i = at + 1; rows[i]?.startsWith("  "); i++) lines.push(rows[i]);
    assert.ok(lines.length > 1 && lines.every((r) => r.length <= 59), rows.join("\n"));
    assert.equal(lines.map((r) => r.trim()).join(" "), hint);
  },
);

test(
  "tty: a one-shot get draws its bars at a terminal, and leaves only its result lines",
  async (s, ttys) => {
    const port = await slowFotos(s);
    const home = await s.home();
    const tty = await Tty.start(SOURCE, [
      "get",
      "fotos",
      "--tracker",
      `127.0.0.1:${port}`,
      ...(codeOf(port) ? ["--code", codeOf(port)!] : []),
      "--no-discovery",
      "--dir",
      home.dir,
      "--manifest",
      home.manifest,
    ], { cols: 80, rows: 24, cwd: home.home });
    ttys.push(tty);
    const drawing = await tty.waitScreen(
      (rows) => rows.filter((r) => BAR.test(r)).length >= 2,
      20_000,
    );
    assert.ok(drawing.every((r) => r.length <= 80), drawing.join("\n"));
    const done = await tty.waitScreen(
      (rows) => rows.filter((r) => /^Saved 'fotos\/foto \d\.bin'/.test(r)).length === 3,
      60_000,
    );
    assert.ok(!done.some((r) => BAR.test(r)), `no bar left:\n${done.join("\n")}`);
    await tty.waitEnded(); // Else the guard throws: the run must end by itself.
  },
);

test(
  "tty: history is kept across runs, per user, and a line typed with a leading space is not",
  async (s, ttys) => {
    const t = await s.tracker();
    const home = await s.home();
    const historyHome = await Deno.makeTempDir({ dir: home.home });
    const env = { REDE_P2P_HOME: historyHome };
    const first = await shell(ttys, t.port, home, undefined, env);
    await first.type("find aula");
    await first.press("Enter");
    await first.waitScreen(/files? match(?:es)? 'aula'/);
    await first.type(" find segredo");
    await first.press("Enter");
    await first.waitScreen(/files? match(?:es)? 'segredo'/);
    await first.type("quit");
    await first.press("Enter");
    await first.waitScreen(/^Left the tracker/);
    const kept = await Deno.readTextFile(join(historyHome, "history"));
    assert.equal(kept, "find aula\nquit\n");
    const second = await shell(ttys, t.port, home, undefined, env);
    await second.press("Up", "Up");
    await second.waitScreen((rows) =>
      rows.at(-1) === "rede-p2p> find aula" || rows.some((r) => r === "rede-p2p> find aula")
    );
  },
);
