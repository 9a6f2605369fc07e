/**
 * Writes docs/SCREENS.md: what a person sees in a real terminal of 80 columns, captured from the
 * real program in tmux (testing/tty.ts), in each language the shell speaks. Scenes: a `get` of a
 * folder of several files while typing under its bars, and after; a download cut with Ctrl-C and
 * resumed; `find` with and without accents. Everything runs on 127.0.0.1 with temporary folders,
 * and ends by itself.
 *
 * Usage: deno task captures [--out docs/SCREENS.md] [--lang en,pt]
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { joinArgs, type Scene, SOURCE, writeRandomFile } from "../testing/harness.ts";
import { Scene as SceneClass } from "../testing/harness.ts";
import { HAVE_TMUX, Tty } from "../testing/tty.ts";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "docs/SCREENS.md" },
    lang: { type: "string", default: "en,pt" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log("deno task captures [--out docs/SCREENS.md] [--lang en,pt]");
  Deno.exit(0);
}
if (!HAVE_TMUX) {
  console.log("captures: tmux is needed (apt-get install tmux); nothing written");
  Deno.exit(0);
}

const COLS = 80;
const ROWS = 22;
const PROMPT = /^rede-p2p>/;

/** The screen's rows, trailing empty rows removed, as a fenced block. */
function block(rows: string[]): string {
  const end = rows.findLastIndex((r) => r !== "");
  return ["```text", ...rows.slice(0, end + 1), "```"].join("\n");
}

async function shell(s: Scene, port: number, lang: string): Promise<Tty> {
  const home = await s.home();
  const tty = await Tty.start(SOURCE, joinArgs(port, home, ["--name", "bruno"]), {
    cols: COLS,
    rows: ROWS,
    cwd: home.home,
    env: { LANG: lang === "pt" ? "pt_BR.UTF-8" : "en_US.UTF-8" },
  });
  s.defer(() => tty.close());
  await tty.waitScreen((rows) => PROMPT.test(rows.findLast((r) => r !== "") ?? ""));
  return tty;
}

async function scenes(lang: string): Promise<string[]> {
  const out: string[] = [];
  // The word before the time left in a progress row (core/messages, "progress.row").
  const eta = lang === "pt" ? "falta" : "ETA";
  const s = new SceneClass(SOURCE);
  try {
    const t = await s.tracker();
    const seed = await s.home({ "relatório final.pdf": "r".repeat(2048), "aula 3.txt": "a" });
    await Deno.mkdir(join(seed.dir, "fotos da turma"));
    for (let i = 1; i <= 4; i++) {
      await writeRandomFile(join(seed.dir, "fotos da turma", `foto ${i}.jpg`), 5 << 20, i);
    }
    await writeRandomFile(join(seed.dir, "video da aula.mp4"), 24 << 20, 9);
    await Deno.writeTextFile(
      seed.manifest,
      '"fotos da turma" "share/fotos da turma"\n"video da aula.mp4" "share/video da aula.mp4"\n',
      { append: true },
    );
    await s.peer(t.port, seed, ["--name", "ana", "--max-upload-rate", "3MiB"]);

    const tty = await shell(s, t.port, lang);
    await tty.type('get "fotos da turma"');
    await tty.press("Enter");
    await tty.waitScreen(
      (rows) => rows.filter((r) => new RegExp(`${eta} \\S*\\d`).test(r)).length >= 3,
      20_000,
    );
    await tty.type("find relat");
    out.push(
      `### A folder of four files, typing under the bars (${lang})`,
      "",
      block(await tty.screen()),
      "",
    );
    await tty.waitScreen(
      (rows) => rows.filter((r) => /foto \d\.jpg'/.test(r)).length === 4,
      60_000,
    );
    await tty.waitScreen((rows) => !rows.some((r) => r.includes(eta)));
    await tty.press("Enter");
    await tty.waitScreen(/'relat'/);
    out.push(
      `### The same, done, and the line typed run (${lang})`,
      "",
      block(await tty.screen()),
      "",
    );

    await tty.press("C-l");
    await tty.type('get "video da aula.mp4"');
    await tty.press("Enter");
    await tty.waitScreen(/video da aula.*[1-9]\d% /, 30_000);
    await tty.press("C-c");
    await tty.waitScreen((rows) =>
      PROMPT.test(rows.findLast((r) => r !== "") ?? "") && !rows.some((r) => r.includes(eta))
    );
    await tty.type('get "video da aula.mp4"');
    await tty.press("Enter");
    await tty.waitScreen(new RegExp(`video da aula.*${eta} \\S*\\ds`), 30_000);
    out.push(
      `### A download cut with Ctrl-C, then resumed (${lang})`,
      "",
      block(await tty.screen()),
      "",
    );
    // The resumed download's own result line (its first row: the line wraps at 80 columns).
    const saved = lang === "pt" ? "Salvo" : "Saved";
    await tty.waitScreen(new RegExp(`^${saved} 'video da aula\\.mp4'`), 60_000);
    await tty.waitScreen((rows) => !rows.some((r) => r.includes(eta)));

    await tty.press("C-l");
    await tty.type("find relatorio");
    await tty.press("Enter");
    await tty.type("find RELATÓRIO");
    await tty.press("Enter");
    await tty.waitScreen((rows) =>
      rows.filter((r) => /relat(ó|o)rio/i.test(r) && /'/.test(r)).length >= 2
    );
    out.push(`### find, with and without accents (${lang})`, "", block(await tty.screen()), "");
  } finally {
    await s.close();
  }
  return out;
}

const parts = [
  "# Screens",
  "",
  `What the shell looks like in a real terminal of ${COLS} columns, captured from the real program in tmux`,
  "by `deno task captures` (scripts/captures.ts), which rewrites this file. Names and addresses differ",
  "from run to run.",
  "",
];
for (const lang of values.lang!.split(",")) parts.push(...await scenes(lang.trim()));
await Deno.writeTextFile(values.out!, parts.join("\n"));
console.log(`captures: wrote ${values.out}`);
