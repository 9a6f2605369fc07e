/**
 * The command registry: the one place that lists every verb. The CLI, the shell and `help`
 * are built from it. Adding a verb means one module in this folder and one line here.
 */
import type { Command } from "./_command.ts";
import { downloads } from "./downloads.ts";
import { find } from "./find.ts";
import { get } from "./get.ts";
import { help } from "./help.ts";
import { id } from "./id.ts";
import { join } from "./join.ts";
import { ls } from "./ls.ts";
import { peers } from "./peers.ts";
import { push } from "./push.ts";
import { quit } from "./quit.ts";
import { serve } from "./serve.ts";

export const COMMANDS: readonly Command[] = [
  serve,
  join,
  id,
  peers,
  ls,
  find,
  get,
  push,
  downloads,
  help,
  quit,
];

/** Verbs of the command line. */
export const CLI_COMMANDS: readonly Command[] = COMMANDS.filter((c) => c.scopes.includes("cli"));
/** Verbs of the `join` shell. */
export const SHELL_COMMANDS: readonly Command[] = COMMANDS.filter((c) =>
  c.scopes.includes("shell")
);
