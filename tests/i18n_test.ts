/**
 * Two languages (issue 10): the catalogues agree key for key, every key is used and every key
 * used exists, the language is chosen from `--lang` and the environment as POSIX says, plurals
 * and sizes follow the language, and real processes speak Portuguese when asked, English
 * otherwise. The end-to-end scenarios run once in each language (`e2e_source_test.ts`); no
 * message outside the catalogues is `i18n_literals_test.ts`'s.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  CATALOGUES,
  detectLang,
  type Entry,
  formatBytes,
  formatDuration,
  LANGS,
  LOCALES,
  pattern,
  placeholders,
  pluralForm,
  setLang,
  t,
} from "../core/i18n.ts";
import { HELP_PARAMS, listingOf } from "../commands/help.ts";
import { COMMANDS } from "../commands/mod.ts";
import { takeLang } from "../main.ts";
import { productSources, ROOT } from "../testing/sources.ts";
import { PERMS, Proc, run, type Scene, sceneTest, SOURCE } from "../testing/harness.ts";

const en = CATALOGUES.en as Record<string, Entry>;
const pt = CATALOGUES.pt as Record<string, Entry>;

// --- The catalogues ---------------------------------------------------------------------------

Deno.test("catalogues: the same keys in both languages, with the same placeholders", () => {
  assert.deepEqual(Object.keys(pt).sort(), Object.keys(en).sort());
  for (const [key, entry] of Object.entries(en)) {
    assert.deepEqual(
      [...placeholders(pt[key])].sort(),
      [...placeholders(entry)].sort(),
      `${key}: placeholders differ`,
    );
  }
});

Deno.test("catalogues: every text well formed, every plural with forms its language has", () => {
  for (const lang of LANGS) {
    const categories = new Set([
      ...new Intl.PluralRules(LOCALES[lang]).resolvedOptions().pluralCategories,
      "zero", // The exact-zero form (core/i18n.ts), not CLDR's category.
    ]);
    for (const [key, entry] of Object.entries(CATALOGUES[lang] as Record<string, Entry>)) {
      assert.match(key, /^[a-zA-Z]+(\.[a-zA-Z0-9-]+)+$/, `${lang} ${key}: <area>.<what>`);
      const forms = typeof entry === "string" ? [entry] : Object.values(entry) as string[];
      if (typeof entry !== "string") {
        assert.ok(entry.other !== undefined, `${lang} ${key}: a plural needs 'other'`);
        for (const c of Object.keys(entry)) {
          assert.ok(categories.has(c), `${lang} ${key}: '${c}' is not a plural form of ${lang}`);
        }
        assert.ok(placeholders(entry).has("count"), `${lang} ${key}: a plural needs {count}`);
      }
      for (const form of forms) {
        assert.ok(form.trim().length > 0, `${lang} ${key}: empty`);
        // Braces only as placeholders: `{name}`.
        assert.doesNotMatch(form.replace(/\{\w+\}/g, ""), /[{}]/, `${lang} ${key}: stray brace`);
      }
    }
  }
});

/**
 * The help keys the registry reads by convention (`help.<verb>.summary`, `.description`,
 * `.arg.<name>`, `.opt.<name>`; commands/help.ts): a verb's keys count as used when the verb
 * is in the registry and declares that argument or option; a shared `help.option.<name>` when a
 * verb declares that option without a text of its own.
 */
function helpKeyUse(key: string): "used" | "unused" | "not a help key" {
  const shared = /^help\.option\.([^.]+)$/.exec(key);
  if (shared) {
    // A shared option text is used by a verb that declares the option and has none of its own.
    return COMMANDS.some((c) =>
        Object.hasOwn(c.options ?? {}, shared[1]) &&
        !Object.hasOwn(en, `help.${c.name}.opt.${shared[1]}`)
      )
      ? "used"
      : "unused";
  }
  const m = /^help\.([^.]+)\.(summary|description|arg\.([^.]+)|opt\.([^.]+))$/.exec(key);
  if (!m) return "not a help key";
  const cmd = COMMANDS.find((c) => c.name === m[1]);
  if (!cmd) return "unused";
  if (m[3] !== undefined) return cmd.args.some((a) => a.name === m[3]) ? "used" : "unused";
  if (m[4] !== undefined) return Object.hasOwn(cmd.options ?? {}, m[4]) ? "used" : "unused";
  return "used";
}

Deno.test("catalogues: every key is used by the product, and every key it uses exists", async () => {
  const sources = await productSources();
  const all = [...sources.values()].join("\n");
  const unused = Object.keys(en).filter((key) => {
    const help = helpKeyUse(key);
    if (help !== "not a help key") return help === "unused";
    return !all.includes(`"${key}"`) && !all.includes(`'${key}'`);
  });
  assert.deepEqual(unused, [], "keys no product file uses");
  const missing: string[] = [];
  for (const [path, code] of sources) {
    for (const m of code.matchAll(/\bt\(\s*["'`]([^"'`$]+)["'`]/g)) {
      if (!Object.hasOwn(en, m[1])) missing.push(`${path}: ${m[1]}`);
    }
  }
  assert.deepEqual(missing, [], "keys used that no catalogue has");
});

Deno.test("catalogues: every verb of the registry has its help texts, with known placeholders", () => {
  for (const cmd of COMMANDS) {
    const keys = [
      `help.${cmd.name}.summary`,
      ...cmd.args.map((a) => `help.${cmd.name}.arg.${a.name}`),
    ];
    for (const key of keys) assert.ok(Object.hasOwn(en, key), `${key} is missing`);
    for (const o of Object.keys(cmd.options ?? {})) {
      const own = `help.${cmd.name}.opt.${o}`;
      assert.ok(
        Object.hasOwn(en, own) || Object.hasOwn(en, `help.option.${o}`),
        `${own} is missing`,
      );
    }
  }
  for (const [key, entry] of Object.entries(en)) {
    if (!key.startsWith("help.")) continue;
    for (const name of placeholders(entry)) {
      assert.ok(Object.hasOwn(HELP_PARAMS, name), `${key}: {${name}} is not in HELP_PARAMS`);
    }
  }
});

// --- Choosing the language --------------------------------------------------------------------

Deno.test("detectLang: LC_ALL, then LC_MESSAGES, then LANG; Portuguese for pt*, else English", () => {
  const vectors: [Record<string, string | undefined>, string, string | undefined, string][] = [
    [{}, "linux", undefined, "en"],
    [{ LANG: "pt_BR.UTF-8" }, "linux", undefined, "pt"],
    [{ LANG: "pt" }, "darwin", undefined, "pt"],
    [{ LANG: "pt-PT" }, "linux", undefined, "pt"],
    [{ LANG: "pt_PT@euro" }, "linux", undefined, "pt"],
    [{ LANG: "PT_br.utf8" }, "linux", undefined, "pt"],
    [{ LANG: "en_US.UTF-8" }, "linux", undefined, "en"],
    [{ LANG: "es_ES.UTF-8" }, "linux", undefined, "en"],
    [{ LANG: "ptx" }, "linux", undefined, "en"],
    [{ LANG: "C" }, "linux", undefined, "en"],
    [{ LANG: "POSIX" }, "linux", undefined, "en"],
    [{ LANG: "C.UTF-8" }, "linux", undefined, "en"],
    [{ LC_ALL: "C", LANG: "pt_BR.UTF-8" }, "linux", undefined, "en"],
    [{ LC_ALL: "pt_BR.UTF-8", LC_MESSAGES: "en_US", LANG: "en_US" }, "linux", undefined, "pt"],
    [{ LC_MESSAGES: "pt_BR", LANG: "en_US.UTF-8" }, "linux", undefined, "pt"],
    [{ LC_MESSAGES: "C", LANG: "pt_BR.UTF-8" }, "linux", undefined, "en"],
    // Empty is unset: the next one decides.
    [{ LC_ALL: "", LC_MESSAGES: "", LANG: "pt_BR.UTF-8" }, "linux", undefined, "pt"],
    [{ LC_ALL: "", LANG: "" }, "linux", "pt-BR", "en"],
    // Windows: the variables if set, else the system's UI language.
    [{}, "windows", "pt-BR", "pt"],
    [{}, "windows", "en-US", "en"],
    [{}, "windows", undefined, "en"],
    [{ LANG: "en_US" }, "windows", "pt-BR", "en"],
    // Elsewhere the system's language does not count: only the variables do.
    [{}, "darwin", "pt-BR", "en"],
  ];
  for (const [env, os, system, want] of vectors) {
    assert.equal(detectLang(env, os, system), want, `${JSON.stringify(env)} ${os} ${system}`);
  }
});

Deno.test("--lang: before or after the verb, taken out of the line; a bad value is refused", () => {
  assert.deepEqual(takeLang(["--lang", "pt", "help"]), { lang: "pt", rest: ["help"] });
  assert.deepEqual(takeLang(["help", "get", "--lang=en"]), { lang: "en", rest: ["help", "get"] });
  assert.deepEqual(takeLang(["join", "h", "--lang", "PT"]), { lang: "pt", rest: ["join", "h"] });
  assert.deepEqual(takeLang(["serve"]), { lang: undefined, rest: ["serve"] });
  assert.deepEqual(takeLang(["x", "--", "--lang", "pt"]), {
    lang: undefined,
    rest: ["x", "--", "--lang", "pt"],
  });
  assert.deepEqual(takeLang(["--lang", "fr", "help"]), { bad: "fr" });
  assert.deepEqual(takeLang(["help", "--lang"]), { bad: "" });
  assert.deepEqual(takeLang(["help", "--lang="]), { bad: "" });
});

// --- Plurals, numbers, sizes ------------------------------------------------------------------

Deno.test("plurals: 0, 1, 2 and a thousand read right in both languages", () => {
  const files = { one: "{count} arquivo", other: "{count} arquivos" };
  assert.equal(pluralForm(files, 0, "pt"), "{count} arquivos"); // CLDR says 'one'; usage not.
  assert.equal(pluralForm(files, 1, "pt"), "{count} arquivo");
  assert.equal(pluralForm(files, 2, "pt"), "{count} arquivos");
  assert.equal(pluralForm({ zero: "nenhum", ...files }, 0, "pt"), "nenhum");
  try {
    const line = (count: number) => t("serve.log.join", { key: "k", name: "n", count });
    setLang("pt");
    assert.deepEqual([0, 1, 2, 1000].map(line), [
      'entrou k "n" (0 arquivos)',
      'entrou k "n" (1 arquivo)',
      'entrou k "n" (2 arquivos)',
      'entrou k "n" (1.000 arquivos)',
    ]);
    setLang("en");
    assert.deepEqual([0, 1, 2, 1000].map(line), [
      'join  k "n" (0 files)',
      'join  k "n" (1 file)',
      'join  k "n" (2 files)',
      'join  k "n" (1,000 files)',
    ]);
  } finally {
    setLang("en");
  }
});

Deno.test("sizes and durations: binary units, the language's decimal separator", () => {
  assert.equal(formatBytes(1792, "en"), "1.75 KiB");
  assert.equal(formatBytes(1792, "pt"), "1,75 KiB");
  assert.equal(formatBytes(60, "pt"), "60 B");
  assert.equal(formatBytes(1.5 * 1024 ** 3, "pt"), "1,5 GiB");
  assert.equal(formatDuration(123, "en"), "0.1 s");
  assert.equal(formatDuration(12_340, "pt"), "12,3 s");
  assert.equal(formatDuration(125_000, "pt"), "2 min 5 s");
});

Deno.test("pattern: matches what t prints in each language, and captures the parameters", () => {
  for (const lang of LANGS) {
    try {
      setLang(lang);
      const line = t("serve.listening", { address: "127.0.0.1:4567" });
      assert.equal(
        line.match(pattern("serve.listening", lang, { line: true }))?.[1],
        "127.0.0.1:4567",
      );
      const join = t("serve.log.join", { key: "1.2.3.4:5", name: "a (b)", count: 3 });
      assert.match(`[2026-01-01 10:00:00] ${join}`, pattern("serve.log.join", lang));
      const other = lang === "en" ? "pt" : "en";
      assert.doesNotMatch(line, pattern("serve.listening", other));
    } finally {
      setLang("en");
    }
  }
});

// --- Real processes ---------------------------------------------------------------------------

/** Runs the program to its end with `env` (over English defaults); its exit code and lines. */
async function cli(s: Scene, args: string[], env: Record<string, string> = {}) {
  const p = s.track(new Proc(SOURCE, args, { env }));
  const { code } = await p.done;
  return { code, lines: p.lines.filter((l) => l !== "") };
}

sceneTest(
  SOURCE,
  "lang: the environment chooses, --lang overrides, before or after the verb",
  async (s) => {
    const pt = await cli(s, ["bogus"], { LANG: "pt_BR.UTF-8" });
    assert.equal(pt.code, 2);
    assert.deepEqual(pt.lines, [
      "erro: verbo desconhecido 'bogus' (verbos: serve, join, id, verify-receipt, doctor, peers, ls, " +
      "find, get, push, hand-in, receipts, help; veja 'rede-p2p help')",
    ]);
    const posix = await cli(s, ["bogus"], { LC_ALL: "C", LANG: "pt_BR.UTF-8" });
    assert.match(posix.lines[0], /^error: unknown verb 'bogus'/);
    const messages = await cli(s, ["bogus"], { LC_MESSAGES: "pt_BR.UTF-8", LANG: "en_US.UTF-8" });
    assert.match(messages.lines[0], /^erro: verbo desconhecido/);
    const before = await cli(s, ["--lang", "pt", "help", "serve"]);
    assert.equal(before.code, 0);
    assert.equal(before.lines[0], "Uso: rede-p2p serve [port] [opções]");
    assert.ok(before.lines.includes("Opções:"), before.lines.join("\n"));
    assert.ok(
      before.lines.some((l) =>
        /--host HOST +endereço em que escutar .*\(padrão: 0\.0\.0\.0\)$/.test(l)
      ),
      before.lines.join("\n"),
    );
    const after = await cli(s, ["help", "serve", "--lang", "en"], { LANG: "pt_BR.UTF-8" });
    assert.equal(after.lines[0], "Usage: rede-p2p serve [port] [options]");
    const bad = await cli(s, ["help", "--lang", "fr"]);
    assert.equal(bad.code, 2);
    assert.deepEqual(bad.lines, ["error: --lang takes en or pt, not 'fr'"]);
    const badPt = await cli(s, ["help", "--lang"], { LANG: "pt_BR.UTF-8" });
    assert.equal(badPt.code, 2);
    assert.deepEqual(badPt.lines, ["erro: --lang precisa de um valor: en ou pt"]);
  },
);

sceneTest(
  SOURCE,
  "lang: without leave to read LANG (older flags) it is English, never a prompt",
  async (s) => {
    const perms = PERMS.map((f) =>
      f.startsWith("--allow-env=") ? "--allow-env=REDE_P2P_HOME,HOME,XDG_CONFIG_HOME,APPDATA" : f
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", ...perms, join(ROOT, "main.ts"), "bogus"],
      env: { LANG: "pt_BR.UTF-8", LC_ALL: "", LC_MESSAGES: "" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    });
    const out = await child.output();
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 2, text);
    assert.match(text, /^error: unknown verb 'bogus'/, text);
    assert.doesNotMatch(text, /NotCapable|permission/i, text);
    void s;
  },
);

sceneTest(
  SOURCE,
  "lang: a tracker in Portuguese; at the prompt 'ajuda' and 'sair' work, and are listed",
  async (s) => {
    const tracker = await s.tracker(); // Waits on its lines in Portuguese (pattern()).
    assert.ok(
      tracker.lines.some((l) => l.startsWith("ID do rastreador: ")),
      tracker.lines.join("\n"),
    );
    assert.ok(
      tracker.lines.some((l) => /^Código de acesso: \S+$/.test(l)),
      tracker.lines.join("\n"),
    );
    const home = await s.home({ "a.txt": "alpha\n" });
    const peer = await s.peer(tracker.port, home, ["--name", "ana"]);
    await tracker.waitFor(/\] entrou 127\.0\.0\.1:\d+ "ana" \(1 arquivo\)$/);
    const shown = await run(peer, "ajuda", /^Digite 'ajuda <verbo>'/);
    assert.equal(shown[0], "Verbos:");
    try {
      setLang("pt");
      const help = COMMANDS.find((c) => c.name === "help")!;
      const quit = COMMANDS.find((c) => c.name === "quit")!;
      const listed = (verb: string) =>
        shown.find((l) => l.startsWith(`  ${verb} `))?.replace(/^ +\S+ +/, "");
      assert.equal(listed("help"), listingOf(help));
      assert.match(listed("help") ?? "", /^Mostra os verbos.* \(também: ajuda\)$/);
      assert.equal(listed("quit"), listingOf(quit));
      assert.match(listingOf(quit), /\(também: exit, sair\)$/);
    } finally {
      setLang("en");
    }
    const mark = peer.mark();
    await peer.send("sair");
    const { code } = await peer.done;
    assert.equal(code, 0, peer.since(mark).join("\n"));
    await tracker.waitFor(/\] saiu +127\.0\.0\.1:\d+ "ana" \(encerrou\)$/);
  },
  "pt",
);
