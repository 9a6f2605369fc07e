/**
 * What a command is: its name, arguments, options, examples and handler, as data. The CLI,
 * the shell and `help` are all built from these declarations. A verb's help texts (summary,
 * description, each argument's and option's) live in the catalogues under
 * `help.<verb>.summary`, `help.<verb>.description`, `help.<verb>.arg.<name>` and
 * `help.<verb>.opt.<name>` (core/messages/en_help.ts, pt_help.ts); `help.ts` reads them there,
 * and falls back on the English fields below while a verb still declares them.
 */
import { parseArgs } from "node:util";
import { t } from "../core/i18n.ts";
import type { Session } from "./_session.ts";

/** Where a verb can be used: on the command line, at the `join` prompt, or both. */
export type Scope = "cli" | "shell";

export interface ArgSpec {
  name: string;
  optional?: boolean;
}

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** Shown in help as the value's placeholder. */
  value?: string;
  default?: string | boolean;
  /** Where the option is taken: every scope of the verb unless given (`--tracker`: "cli"). */
  scopes?: Scope[];
}

/** Parsed input for a command. */
export interface Input {
  /** Positional arguments, in order. */
  args: string[];
  options: Record<string, string | boolean | undefined>;
}

/** What a command can reach while it runs. */
export interface Context {
  /** Prints a line of normal output. */
  out(line: string): void;
  /** Prints a line for the user that is not the command's result (notes, warnings). */
  note(line: string): void;
  /** The running peer, at the `join` prompt. */
  session?: Session;
  /** The verbs of the scope being run, for `help`. */
  commands: readonly Command[];
  /** Every verb of every scope (the registry), for `join` to build its shell from. */
  registry: readonly Command[];
  scope: Scope;
  /** Aborted when the user presses Ctrl-C during the command. */
  signal: AbortSignal;
  /**
   * Set with `--json`: the verb hands its result here, one document (docs/JSON.md), instead of
   * printing its lines.
   */
  json?: (doc: unknown) => void;
}

export interface Command {
  name: string;
  aliases?: string[];
  scopes: Scope[];
  args: ArgSpec[];
  /** The last argument takes any number of values. */
  variadic?: boolean;
  options?: Record<string, OptionSpec>;
  examples?: string[];
  /** Examples of the command line, when they differ from the shell's (a one-shot verb). */
  cliExamples?: string[];
  /**
   * A shell verb that also runs once from the command line (`rede-p2p peers`): how much of a
   * peer that run needs (commands/_oneshot.ts): a `look` at the network (admitted, not listed),
   * a `fetch` (the shared folder's node, admitted, not listed), or a `serve` (registered).
   */
  oneShot?: (input: Input) => "look" | "fetch" | "serve";
  /** Runs the command; the number returned is the exit status when it is not 0. */
  run(input: Input, ctx: Context): Promise<number | void>;
}

/** A mistake in how a command was called: shown with the command's usage. */
export class UsageError extends Error {
  readonly command?: Command;

  constructor(message: string, command?: Command) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

/** The usage line of a command in `scope`, e.g. `get <peer> <file>...`. */
export function usage(cmd: Command, scope: Scope = cmd.scopes[0]): string {
  const args = cmd.args.map((a, i) => {
    const dots = cmd.variadic && i === cmd.args.length - 1 ? "..." : "";
    return a.optional ? `[${a.name}${dots}]` : `<${a.name}>${dots}`;
  });
  const opts = optionsIn(cmd, scope).length ? [t("usage.options")] : [];
  return [cmd.name, ...args, ...opts].join(" ");
}

/**
 * Parses an argument list against a command's declaration, with the options of `scope`.
 *
 * @throws {UsageError} for unknown options, missing values, or a wrong number of arguments.
 */
export function parseInput(cmd: Command, argv: string[], scope: Scope = "shell"): Input {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(
        optionsIn(cmd, scope).map(([k, o]) => [
          k,
          {
            type: o.type,
            ...(o.short ? { short: o.short } : {}),
            ...(o.default !== undefined ? { default: o.default } : {}),
          },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(tidyParseError((err as Error).message), cmd);
  }
  const args = parsed.positionals;
  const required = cmd.args.filter((a) => !a.optional);
  if (args.length < required.length) {
    const missing = required[args.length];
    throw new UsageError(t("usage.missingArg", { name: missing.name }), cmd);
  }
  if (!cmd.variadic && args.length > cmd.args.length) {
    const extra = args[cmd.args.length];
    const message = /\s/.test(extra)
      ? t("usage.extraArg", { arg: extra })
      : t("usage.extraArgQuote", { arg: extra });
    throw new UsageError(message, cmd);
  }
  return { args, options: parsed.values as Input["options"] };
}

/** The options a verb takes in `scope`, as declared. */
export function optionsIn(cmd: Command, scope: Scope): [string, OptionSpec][] {
  return Object.entries(cmd.options ?? {}).filter(([, o]) => o.scopes?.includes(scope) ?? true);
}

/** The message of a `parseArgs` error in the user's language, when it is one we know. */
function tidyParseError(message: string): string {
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return t("usage.unknownOption", { option: unknown[1] });
  const first = message.split("\n")[0].replace(/\. To specify.*$/, "");
  // `Option '-f, --from <value>' argument missing`: the option is named by its long form.
  const missing = /^Option '(?:-\w, )?([^' ]+)[^']*'.*argument missing$/.exec(first);
  if (missing) return t("usage.optionNeedsValue", { option: missing[1] });
  const extra = /^Option '(?:-\w, )?([^' ]+)[^']*' does not take an argument$/.exec(first);
  if (extra) return t("usage.optionTakesNoValue", { option: extra[1] });
  return first;
}
