/**
 * Every text the program shows, in English and in Brazilian Portuguese (issue 10).
 *
 * HOW TO USE IT
 * - Write the English text once in `core/messages/en.ts` (or, for a verb's help, in
 *   `core/messages/en_help.ts`) under a key `<area>.<what>` (`serve.listening`,
 *   `cli.unknownVerb`), and its translation under the same key in `core/messages/pt.ts`
 *   (`pt_help.ts`). A key missing from either, or present in only one, is a type error; a key
 *   no product file uses fails `tests/i18n_test.ts`.
 * - In code: `t("serve.listening", { address })`. The key and the parameters are type-checked
 *   against the English text. Print the result whole: one message is one entry, never a sentence
 *   built from fragments (translations reorder words).
 * - An entry is either a text with `{name}` placeholders (letters, digits and `_`; no literal
 *   braces in texts), or a plural object `{ one: "{count} file", other: "{count} files" }`
 *   chosen by the number `count` with `Intl.PluralRules` of the language, falling back to
 *   `other`. `count` is printed with `Intl.NumberFormat` (`1,000` / `1.000`); other numbers are
 *   printed as they are (ports, exit codes). A parameter left out stays visible as `{name}`.
 * - Zero: CLDR puts 0 in `one` for Portuguese ("0 arquivo"), but Brazilian usage says "0
 *   arquivos" and English "0 files". So a count of 0 takes the entry's `zero` form if it has
 *   one (for texts such as "No receipts yet"), else `other`, in both languages; every other
 *   count goes through `Intl.PluralRules`.
 * - Help texts of verbs are keyed by convention and read by `commands/help.ts`:
 *   `help.<verb>.summary`, `help.<verb>.description`, `help.<verb>.arg.<name>`,
 *   `help.<verb>.opt.<name>`. Their only placeholders are those of `HELP_PARAMS` there.
 * - Dynamic keys are avoided: pick among literal keys in code (`serve.ts` maps leave reasons
 *   that way), so the unused-key test sees them. `text(key)` exists for the help convention.
 * - Tests wait on printed lines in either language with `pattern(key, lang)`.
 * - Sizes (`formatBytes`), numbers, dates, durations and lists go through `Intl` with the
 *   language's locale (`en-US`, `pt-BR`). Log timestamps (the tracker's) stay ISO 8601 in every
 *   language, so logs sort and grep alike.
 *
 * HOW THE LANGUAGE IS CHOSEN (`systemLang`, `detectLang`): `--lang pt|en` on the command line
 * (main.ts), else the POSIX variables in their order of precedence, `LC_ALL`, `LC_MESSAGES`,
 * `LANG`, the first one set and not empty deciding (`pt`, `pt_BR.UTF-8`, `pt-PT` are Portuguese;
 * `C`, `POSIX` and anything else English); on Windows, where those are rarely set, the user's UI
 * language as Deno reports it in `navigator.language`; else English. A variable the program may
 * not read (narrower `--allow-env`) counts as unset, and is never prompted for.
 *
 * GLOSSARY (keep Portuguese texts consistent): peer = par; tracker = rastreador; share =
 * compartilhar; download = baixar (noun: download); join (a network) = entrar; join code =
 * código de acesso; drop box = caixa de entrega; hand in = entregar (noun: entrega); collector =
 * coletor; sender = remetente; receipt = recibo; root (hash) = raiz; manifest = manifesto;
 * shared folder = pasta compartilhada; verb = verbo; prompt = prompt; source = fonte; chunk =
 * bloco; rate = taxa; check = conferir. Verbs, options and their value names stay as typed
 * (`peers`, `--dir DIR`, `<file>`); "error:" is "erro:".
 */
import prettyBytes from "pretty-bytes";
import { en } from "./messages/en.ts";
import { pt } from "./messages/pt.ts";
import type { Entry, Plural } from "./messages/types.ts";

export type { Entry, Plural };

/** A language of the interface. */
export type Lang = "en" | "pt";

/** Every language, the default first. */
export const LANGS: readonly Lang[] = ["en", "pt"];

/** A key of the catalogues. */
export type MessageKey = keyof typeof en;

/** The catalogue of each language. */
export const CATALOGUES: Readonly<Record<Lang, Readonly<Record<MessageKey, Entry>>>> = { en, pt };

/** The `Intl` locale of each language. */
export const LOCALES: Readonly<Record<Lang, string>> = { en: "en-US", pt: "pt-BR" };

/** The placeholders of a text, as a union of their names. */
type Holes<S> = S extends `${string}{${infer P}}${infer R}` ? P | Holes<R> : never;
/** The placeholders of an entry: of its text, or of every form of a plural. */
type EntryHoles<E> = E extends string ? Holes<E>
  : E extends Plural ? Holes<E[Exclude<keyof E, symbol>] & string>
  : never;
/** The parameters a key takes: `count` a number, the rest strings or numbers. */
export type Params<K extends MessageKey> = {
  [P in EntryHoles<(typeof en)[K]>]: P extends "count" ? number : string | number;
};
/** The texts of an entry: itself, or every form of a plural. */
type Forms<E> = E extends Plural ? E[Exclude<keyof E, symbol>] & string : E;
type ParamsArg<K extends MessageKey> = string extends Forms<(typeof en)[K]>
  // A text TypeScript does not know literally (built with `+`): its parameters are unchecked.
  ? [params?: Record<string, string | number>]
  : [EntryHoles<(typeof en)[K]>] extends [never] ? []
  : [params: Params<K>];
/** The keys that take no parameters (for tables of keys chosen at run time). */
export type PlainKey = { [K in MessageKey]: ParamsArg<K> extends [] ? K : never }[MessageKey];

let lang: Lang = "en";

/** Sets the language of every text from now on. */
export function setLang(next: Lang): void {
  lang = next;
}

/** The language texts are shown in. */
export function currentLang(): Lang {
  return lang;
}

/** A language by its code as `--lang` takes it (`pt`, `en`, any case), or `undefined`. */
export function parseLang(code: string): Lang | undefined {
  const c = code.trim().toLowerCase();
  return (LANGS as readonly string[]).includes(c) ? c as Lang : undefined;
}

/** The language a locale name says: Portuguese for `pt` and its variants, else English. */
function langOfLocale(locale: string): Lang {
  return /^pt(?:$|[-_.@])/i.test(locale.trim()) ? "pt" : "en";
}

/**
 * The language the environment asks for.
 *
 * @param env The variables (`LC_ALL`, `LC_MESSAGES`, `LANG`); unset and empty are alike.
 * @param os `Deno.build.os`.
 * @param systemLocale The system's UI language (`navigator.language`), used on Windows only
 *   when no variable is set.
 */
export function detectLang(
  env: Record<string, string | undefined>,
  os: string,
  systemLocale?: string,
): Lang {
  for (const name of ["LC_ALL", "LC_MESSAGES", "LANG"]) {
    const value = env[name];
    if (value) return langOfLocale(value);
  }
  if (os === "windows" && systemLocale) return langOfLocale(systemLocale);
  return "en";
}

/** Reads an environment variable if the program may, without ever prompting for it. */
function readEnv(name: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
      return undefined;
    }
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** The language of this process's environment (see the header). */
export function systemLang(): Lang {
  const env = Object.fromEntries(
    ["LC_ALL", "LC_MESSAGES", "LANG"].map((name) => [name, readEnv(name)]),
  );
  let system: string | undefined;
  try {
    system = navigator.language;
  } catch {
    system = undefined;
  }
  return detectLang(env, Deno.build.os, system);
}

/** Whether `key` is a key of the catalogues (for keys built at run time). */
export function isKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** The form of a plural for `count` in `language`. */
export function pluralForm(entry: Plural, count: number, language: Lang = lang): string {
  if (count === 0) return entry.zero ?? entry.other;
  const category = new Intl.PluralRules(LOCALES[language]).select(count) as keyof Plural;
  return entry[category] ?? entry.other;
}

function fill(
  entry: Entry,
  params: Record<string, string | number>,
  language: Lang,
): string {
  const count = params.count;
  const template = typeof entry === "string"
    ? entry
    : pluralForm(entry, typeof count === "number" ? count : NaN, language);
  return template.replace(/\{(\w+)\}/g, (hole, name: string) => {
    const value = params[name];
    if (value === undefined) return hole;
    if (name === "count" && typeof value === "number") return formatNumber(value, language);
    return String(value);
  });
}

/**
 * The text of `key` in the current language, its placeholders filled.
 *
 * @example
 * ```ts
 * t("receipts.summary", { count: 2, dir: "/home/ana/.config/rede-p2p/receipts" });
 * ```
 */
export function t<K extends MessageKey>(key: K, ...params: ParamsArg<K>): string {
  return fill(CATALOGUES[lang][key], (params[0] ?? {}) as Record<string, string | number>, lang);
}

/** The text of a key built at run time, or `undefined` when there is no such key. */
export function text(
  key: string,
  params: Record<string, string | number> = {},
): string | undefined {
  return isKey(key) ? fill(CATALOGUES[lang][key], params, lang) : undefined;
}

/** The placeholders of an entry, every form of a plural together. */
export function placeholders(entry: Entry): Set<string> {
  const forms = typeof entry === "string" ? [entry] : Object.values(entry) as string[];
  return new Set(forms.flatMap((f) => [...f.matchAll(/\{(\w+)\}/g)].map((m) => m[1])));
}

/**
 * A regular expression for the text of `key` in `language`, for tests that wait on printed
 * lines: the text escaped, each `{param}` a lazy capturing group `(.*?)` (numbered in order; a
 * plural gives an alternation of its forms, so take the first group that matched).
 *
 * @param opts.line Anchor it to a whole line (`^...$`), so that a last placeholder captures.
 * @param opts.params Placeholders to match exactly (a name, a size); the others stay groups. A
 *   plural given its `count` matches only the form of that count.
 */
export function pattern(
  key: MessageKey,
  language: Lang,
  opts: { line?: boolean; params?: Record<string, string | number> } = {},
): RegExp {
  const entry = CATALOGUES[language][key];
  const params = opts.params ?? {};
  const count = params.count;
  const forms = typeof entry === "string"
    ? [entry]
    : typeof count === "number"
    ? [pluralForm(entry, count, language)]
    : [...new Set(Object.values(entry) as string[])];
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");
  const sources = forms.map((form: string) =>
    form.split(/(\{\w+\})/).map((part, i) => {
      if (i % 2 === 0) return escape(part);
      const name = part.slice(1, -1);
      const value = params[name];
      if (value === undefined) return "(.*?)";
      return escape(
        name === "count" && typeof value === "number"
          ? formatNumber(value, language)
          : String(value),
      );
    }).join("")
  );
  const body = sources.length === 1 ? sources[0] : `(?:${sources.join("|")})`;
  return new RegExp(opts.line ? `^${body}$` : body);
}

/** A number as the language writes it: `1,234.5` / `1.234,5`. */
export function formatNumber(n: number, language: Lang = lang): string {
  return new Intl.NumberFormat(LOCALES[language]).format(n);
}

/**
 * A byte count in binary units with the language's decimal separator: `1.75 KiB` / `1,75 KiB`.
 * English keeps pretty-bytes' plain digits (`1023 B`), Portuguese groups thousands (`1.023 B`).
 */
export function formatBytes(n: number, language: Lang = lang): string {
  return language === "en"
    ? prettyBytes(n, { binary: true })
    : prettyBytes(n, { binary: true, locale: LOCALES[language] });
}

/**
 * A date and time, numeric, 24-hour clock, in the language's order: `11/24/2026, 10:02:11` /
 * `24/11/2026, 10:02:11`. Local time unless `utc`.
 */
export function formatDate(d: Date, opts: { utc?: boolean } = {}, language: Lang = lang): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    ...(opts.utc ? { timeZone: "UTC" } : {}),
  }).format(d);
}

/**
 * A duration: seconds with one decimal under a minute (`12.3 s` / `12,3 s`), else hours,
 * minutes and whole seconds as `Intl.DurationFormat` writes them narrowly (`2m 5s` / `2 min 5 s`).
 */
export function formatDuration(ms: number, language: Lang = lang): string {
  const locale = LOCALES[language];
  if (ms < 59_950) {
    const s = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })
      .format(Math.max(0, ms) / 1000);
    return `${s} s`;
  }
  const total = Math.round(ms / 1000);
  const parts = {
    hours: Math.floor(total / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
  return new Intl.DurationFormat(locale, { style: "narrow" }).format(parts);
}

/** Items as one list with the language's conjunction: `a, b, and c` / `a, b e c`. */
export function formatList(items: string[], language: Lang = lang): string {
  return new Intl.ListFormat(LOCALES[language], { type: "conjunction" }).format(items);
}
