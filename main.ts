/**
 * rede-p2p: share files peer to peer on one network.
 *
 * The entry point: builds the command line from the registry and dispatches to a verb.
 * Errors become one line on stderr: exit status 2 for a usage mistake, 1 for a failure.
 * The language of every text is chosen first: `--lang en|pt` anywhere on the line (before `--`),
 * else the environment (core/i18n.ts).
 */
import { type Lang, parseLang, setLang, systemLang, t } from "./core/i18n.ts";
import { type Context, parseInput, UsageError } from "./commands/_command.ts";
import { printJson, printJsonError } from "./commands/_json.ts";
import { runOneShot } from "./commands/_oneshot.ts";
import { findCommand, reportError } from "./commands/_shell.ts";
import { print, printError } from "./commands/_ui.ts";
import { helpFor, overview } from "./commands/help.ts";
import { CLI_COMMANDS, COMMANDS } from "./commands/mod.ts";
import denoJson from "./deno.json" with { type: "json" };

export const VERSION: string = denoJson.version;

/**
 * Runs the program with a command line.
 *
 * @param argv The arguments after the program name.
 * @returns The exit status.
 */
export async function main(argv: string[]): Promise<number> {
  const chosen = takeLang(argv);
  setLang(chosen.lang ?? systemLang());
  if ("bad" in chosen) {
    const message = chosen.bad === ""
      ? t("cli.langMissing")
      : t("cli.langUnknown", { value: chosen.bad });
    printError(t("cli.error", { message }));
    return 2;
  }
  argv = chosen.rest;
  const verbose = argv.includes("--verbose") || argv.includes("-v");
  const ctx: Context = {
    // Every line goes out through the terminal sanitiser (commands/_ui.ts).
    out: print,
    note: printError,
    commands: CLI_COMMANDS,
    registry: COMMANDS,
    scope: "cli",
    signal: new AbortController().signal,
  };
  const [verb, ...rest] = argv;
  if (verb === undefined) {
    printError(overview(ctx));
    return 2;
  }
  if (verb === "--help" || verb === "-h") {
    ctx.out(overview(ctx));
    return 0;
  }
  if (verb === "--version" || verb === "-V") {
    ctx.out(`rede-p2p ${VERSION}`); // i18n: not a message (the name and version)
    return 0;
  }
  const cmd = findCommand(CLI_COMMANDS, verb);
  if (!cmd) {
    const verbs = CLI_COMMANDS.map((c) => c.name).join(", ");
    printError(t("cli.error", { message: t("cli.unknownVerb", { verb, verbs }) }));
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    ctx.out(helpFor(cmd, "cli"));
    return 0;
  }
  const end = rest.indexOf("--");
  const json = (end < 0 ? rest : rest.slice(0, end)).includes("--json");
  if (json) jsonContext(ctx);
  try {
    const input = parseInput(cmd, rest, "cli");
    return (await (cmd.oneShot ? runOneShot(cmd, input, ctx) : cmd.run(input, ctx))) ?? 0;
  } catch (err) {
    const shown = err instanceof UsageError && !err.command
      ? new UsageError(err.message, cmd)
      : err;
    if (json) printJsonError(shown);
    else reportError(shown, verbose, "cli");
    if (err instanceof UsageError) return 2;
    return 1;
  }
}

/**
 * `--json`: the verb's result is one document on standard output; its other lines (progress,
 * notes) go to standard error, and only when that is a terminal (docs/JSON.md).
 */
function jsonContext(ctx: Context): void {
  const aside = Deno.stderr.isTerminal() ? printError : () => {};
  ctx.out = aside;
  ctx.note = aside;
  let given = false;
  ctx.json = (doc) => {
    if (given) return; // One document, whatever a verb does.
    given = true;
    printJson(doc);
  };
}

/**
 * Takes the global option `--lang en|pt` (or `--lang=pt`) out of a command line: anywhere
 * before a `--`, the last one winning.
 *
 * @returns The language asked for, if any, and the rest of the line; or the value that is not a
 *   language (`""` when it is missing).
 */
export function takeLang(
  argv: string[],
): { lang?: Lang; rest: string[] } | { lang?: undefined; bad: string } {
  const rest: string[] = [];
  let lang: Lang | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg !== "--lang" && !arg.startsWith("--lang=")) {
      rest.push(arg);
      continue;
    }
    const value = arg === "--lang" ? argv[++i] : arg.slice("--lang=".length);
    lang = parseLang(value ?? "");
    if (lang === undefined) return { bad: value ?? "" };
  }
  return { lang, rest };
}

if (import.meta.main) {
  // A last guard: whatever escapes becomes one line, never a stack trace.
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    reportError(e.reason, Deno.args.includes("--verbose"));
  });
  // An uncaught error still ends the program, but its text goes through the sanitiser too.
  globalThis.addEventListener("error", (e) => {
    e.preventDefault();
    reportError(e.error, Deno.args.includes("--verbose"));
    Deno.exit(1);
  });
  Deno.exit(await main(Deno.args));
}
