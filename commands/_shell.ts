/**
 * The `join` shell: reads verbs line by line from a terminal (with line editing, history and
 * completion) or from a pipe (each line run to completion before the next), and runs them.
 */
import * as readline from "node:readline";
import process from "node:process";
import { parseArgsStringToArgv } from "string-argv";
import { errorLine, RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { SHELL_HISTORY_LINES } from "../core/limits.ts";
import { printable } from "../core/terminal.ts";
import {
  type Command,
  type Context,
  parseInput,
  type Scope,
  usage,
  UsageError,
} from "./_command.ts";
import { helpFor } from "./help.ts";
import type { Session } from "./_session.ts";
import { Screen } from "./_screen.ts";
import { print, printError, printTo } from "./_ui.ts";
import { identityHome } from "../storage/identity.ts";
import { History } from "../storage/history.ts";

export const PROMPT = "rede-p2p> ";

/** The session of a shell verb; verbs only run inside `join`. */
export function needSession(ctx: Context): Session {
  if (!ctx.session) throw new UsageError(t("shell.needSession"));
  return ctx.session;
}

/** Finds a verb by name or alias. */
export function findCommand(commands: readonly Command[], name: string): Command | undefined {
  return commands.find((c) => c.name === name || c.aliases?.includes(name));
}

/**
 * Prints an error as one line (two for a usage mistake), with the stack only when verbose. The
 * line may quote what a peer or the user sent, so it is made printable first.
 */
export function reportError(err: unknown, verbose: boolean, scope: Scope = "shell"): void {
  // One line, always: a usage error says the verb's usage (in `scope`) on it too.
  const message = printable(errorLine(err));
  printError(
    err instanceof UsageError && err.command
      ? t("cli.errorWithUsage", {
        message,
        usage: usage(err.command, scope),
        verb: err.command.name,
      })
      : t("cli.error", { message }),
  );
  if (verbose && !(err instanceof UsageError)) {
    const cause = err instanceof RedeError ? err.cause ?? err : err;
    if (cause instanceof Error && cause.stack) printError(cause.stack);
  }
}

export interface ShellOptions {
  session: Session;
  /** The verbs of the shell. */
  commands: readonly Command[];
  /** Every verb, for the context of each. */
  registry: readonly Command[];
  interactive: boolean;
  /**
   * Lets the shell take over how background events are printed. At a terminal they go above
   * the live rows and the prompt (`_screen.ts`), even while a verb runs; `wait` (news, not a
   * question) is kept for callers and needs no holding back there.
   */
  setLog: (log: (line: string, wait?: boolean) => void) => void;
  /** Where the history is kept across runs (the identity folder unless given). */
  historyHome?: string;
}

/**
 * Runs the shell until `quit`, Ctrl-D, end of input, or SIGTERM.
 *
 * @returns The exit status: 1 when input came from a pipe and a command failed, else 0.
 */
export async function runShell(opts: ShellOptions): Promise<number> {
  const { session, commands, interactive } = opts;
  const names = commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]).sort();
  // Only a person at a terminal has a history kept; a script piping lines does not.
  const history = interactive ? new History(opts.historyHome ?? identityHome()) : undefined;
  const rl = readline.createInterface({
    input: process.stdin,
    output: interactive ? process.stdout : undefined,
    terminal: interactive,
    prompt: PROMPT,
    history: await history?.load() ?? [],
    historySize: SHELL_HISTORY_LINES,
    removeHistoryDuplicates: true,
    completer: (line: string) => complete(line, names, session),
  });
  // At a terminal, one screen draws everything: lines above, live rows (bars), the prompt.
  const screen = interactive && Deno.stdout.isTerminal() ? new Screen(rl, PROMPT) : undefined;
  session.screen = screen;
  if (screen) printTo((text) => screen.log(text), () => screen.columns);
  const prompt = () => screen ? screen.redraw() : rl.prompt();
  let current: AbortController | undefined;
  let failed = false;
  const leave = () => {
    session.quitRequested = true;
    current?.abort();
    rl.close();
  };
  const onInterrupt = () => {
    if (current) current.abort();
    else if (interactive) {
      if (screen) screen.log(t("shell.leaveHint"));
      else {
        process.stdout.write(`\n${t("shell.leaveHint")}\n`);
        rl.prompt();
      }
    } else leave();
  };
  rl.on("SIGINT", onInterrupt);
  const signals = listenSignals({ SIGINT: onInterrupt, SIGTERM: leave });
  opts.setLog((line) => print(line));
  // A line typed while a question waits (a push offer) answers it, even while a verb runs; the
  // loop below then skips it (the answer's outcome is a background line, which prompts again).
  const answered: boolean[] = [];
  rl.on("line", (line: string) => {
    const answer = session.answer(line);
    answered.push(answer);
    if (!answer) void history?.add(line); // An answer (a push offer's 'y') is not history.
  });
  if (interactive) prompt();
  try {
    for await (const line of rl) {
      if (answered.shift()) continue;
      current = new AbortController();
      const ok = await runLine(line, {
        out: print,
        note: print,
        session,
        commands,
        registry: opts.registry,
        scope: "shell",
        signal: current.signal,
      });
      current = undefined;
      if (!ok) failed = true;
      if (session.quitRequested) break;
      if (interactive) prompt();
    }
  } finally {
    signals();
    screen?.close();
    printTo();
    session.screen = undefined;
    rl.close();
  }
  if (interactive && !session.quitRequested) process.stdout.write("\n"); // After Ctrl-D.
  return failed && !interactive ? 1 : 0;
}

/**
 * Tab completion: verbs first, verbs after `help`, and after `get` the file names seen in
 * `ls` and `find` (quoted when they have spaces).
 */
export function complete(line: string, verbs: string[], session: Session): [string[], string] {
  const words = line.split(/\s+/);
  const last = words[words.length - 1];
  if (words.length === 1) {
    return [verbs.filter((v) => v.startsWith(last)).map((v) => `${v} `), last];
  }
  if (words[0] === "help") return [verbs.filter((v) => v.startsWith(last)), last];
  if (words[0] !== "get") return [[], last];
  const typed = last.replace(/^"/, "");
  const hits = [...session.knownNames].filter((n) => n.startsWith(typed)).sort();
  return [hits.map((n) => (/\s/.test(n) ? `"${n}"` : n)), last];
}

/** Runs one line of input; false when it failed. */
export async function runLine(line: string, ctx: Context): Promise<boolean> {
  let argv: string[];
  try {
    argv = parseArgsStringToArgv(line);
  } catch {
    reportError(new UsageError(t("shell.cannotParse")), false);
    return false;
  }
  if (argv.length === 0) return true;
  const [verb, ...rest] = argv;
  const cmd = findCommand(ctx.commands, verb);
  if (!cmd) {
    reportError(new UsageError(t("shell.unknownVerb", { verb })), false);
    return false;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    ctx.out(helpFor(cmd, ctx.scope));
    return true;
  }
  try {
    const status = await cmd.run(parseInput(cmd, rest, ctx.scope), ctx);
    return !status;
  } catch (err) {
    reportError(err, ctx.session?.verbose ?? false);
    return false;
  }
}

/** Adds signal listeners where the platform has them; returns a function that removes them. */
export function listenSignals(handlers: Partial<Record<Deno.Signal, () => void>>): () => void {
  const added: [Deno.Signal, () => void][] = [];
  for (const [sig, fn] of Object.entries(handlers) as [Deno.Signal, () => void][]) {
    try {
      Deno.addSignalListener(sig, fn);
      added.push([sig, fn]);
    } catch {
      // Not on this platform (SIGTERM on Windows).
    }
  }
  return () => {
    for (const [sig, fn] of added) Deno.removeSignalListener(sig, fn);
  };
}
