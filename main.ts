/**
 * rede-p2p: share files peer to peer on one network.
 *
 * The entry point: builds the command line from the registry and dispatches to a verb.
 * Errors become one line on stderr: exit status 2 for a usage mistake, 1 for a failure.
 */
import { type Context, parseInput, UsageError } from "./commands/_command.ts";
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
    ctx.out(`rede-p2p ${VERSION}`);
    return 0;
  }
  const cmd = findCommand(CLI_COMMANDS, verb);
  if (!cmd) {
    printError(
      `error: unknown verb '${verb}' (verbs: ` +
        `${CLI_COMMANDS.map((c) => c.name).join(", ")}; see 'rede-p2p help')`,
    );
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    ctx.out(helpFor(cmd, "cli"));
    return 0;
  }
  try {
    return (await cmd.run(parseInput(cmd, rest), ctx)) ?? 0;
  } catch (err) {
    reportError(
      err instanceof UsageError && !err.command ? new UsageError(err.message, cmd) : err,
      verbose,
    );
    if (err instanceof UsageError) return 2;
    return 1;
  }
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
