/**
 * The command registry: the one place that lists every verb. The CLI, the shell and `help`
 * are built from it. Adding a verb means one module in this folder and one line here.
 */
import type { Command } from "./_command.ts";
import { collect } from "./collect.ts";
import { doctor } from "./doctor.ts";
import { downloads } from "./downloads.ts";
import { find } from "./find.ts";
import { get } from "./get.ts";
import { handIn } from "./hand_in.ts";
import { help } from "./help.ts";
import { id } from "./id.ts";
import { join } from "./join.ts";
import { ls } from "./ls.ts";
import { peers } from "./peers.ts";
import { push } from "./push.ts";
import { quit } from "./quit.ts";
import { receipts } from "./receipts.ts";
import { serve } from "./serve.ts";
import { uploads } from "./uploads.ts";
import { verifyReceipt } from "./verify_receipt.ts";

export const COMMANDS: readonly Command[] = [
  serve,
  join,
  id,
  verifyReceipt,
  doctor,
  peers,
  ls,
  find,
  get,
  push,
  downloads,
  uploads,
  collect,
  handIn,
  receipts,
  help,
  quit,
];

/** Verbs of the command line. */
export const CLI_COMMANDS: readonly Command[] = COMMANDS.filter((c) => c.scopes.includes("cli"));
/** Verbs of the `join` shell. */
export const SHELL_COMMANDS: readonly Command[] = COMMANDS.filter((c) =>
  c.scopes.includes("shell")
);
