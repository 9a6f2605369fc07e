/**
 * `quit`: leaves the tracker and exits. At a terminal, while others download from this peer, it
 * asks first, since leaving breaks their downloads; `quit --force` does not ask. Piped input never
 * asks (scripts keep working), nor do Ctrl-D and SIGTERM.
 */
import { t } from "../core/i18n.ts";
import type { Command } from "./_command.ts";
import { isYes } from "./_push_view.ts";
import { needSession } from "./_shell.ts";

/** Peers named in the question, at most; the others are counted. */
const NAMED = 3;

export const quit: Command = {
  name: "quit",
  aliases: ["exit", "sair"],
  scopes: ["shell"],
  args: [],
  options: {
    force: { type: "boolean" },
  },
  examples: ["quit", "quit --force"],
  async run({ options }, ctx) {
    const session = needSession(ctx);
    const force = options.force === true;
    const ask = session.interactive && !force && session.uploads.running > 0;
    const question = quitQuestion(
      session.interactive,
      force,
      ask ? await session.uploads.list() : [],
    );
    if (question !== undefined && !isYes(await session.ask(question, ctx.signal))) {
      ctx.out(t("quit.notLeaving"));
      return;
    }
    session.quitRequested = true;
  },
};

/**
 * The question `quit` asks before it leaves, or undefined to leave at once: it asks only a
 * person at a terminal (`interactive`), without `--force`, while uploads run.
 */
export function quitQuestion(
  interactive: boolean,
  force: boolean,
  uploads: readonly { peer: string }[],
): string | undefined {
  if (!interactive || force || uploads.length === 0) return undefined;
  const peers = [...new Set(uploads.map((u) => u.peer))];
  const named = peers.slice(0, NAMED).join(", ");
  const to = peers.length > NAMED
    ? t("quit.morePeers", { named, more: peers.length - NAMED })
    : named;
  return t("quit.question", { count: uploads.length, to });
}
