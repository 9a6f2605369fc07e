import { t } from "../core/i18n.ts";
import { MAX_PEER_NAME_CHARS } from "../core/limits.ts";
import { remoteText } from "../core/terminal.ts";
import { formatId } from "../storage/identity.ts";
import type { Command } from "./_command.ts";
import { ONE_SHOT_OPTIONS } from "./_oneshot.ts";
import { needSession } from "./_shell.ts";
import { table } from "./_ui.ts";

export const peers: Command = {
  name: "peers",
  scopes: ["shell", "cli"],
  args: [],
  options: { ...ONE_SHOT_OPTIONS },
  examples: ["peers"],
  oneShot: () => "look",
  async run(_input, ctx) {
    const session = needSession(ctx);
    const list = await session.refreshPeers();
    const total = session.lastPeersTotal;
    if (ctx.json) {
      return ctx.json({
        peers: list.map((p, i) => ({
          row: i + 1,
          ip: p.ip,
          port: p.port,
          name: p.name,
          files: p.files,
          id: p.id,
          self: session.isSelf(p),
        })),
        total,
      });
    }
    ctx.out(table(
      ["#", "IP", t("table.port"), t("table.name"), t("table.files"), "ID"],
      list.map((p, i) => [
        `${i + 1}${session.isSelf(p) ? " *" : ""}`,
        p.ip,
        p.port,
        remoteText(p.name, MAX_PEER_NAME_CHARS), // As the tracker sent it: cut, printable.
        p.files,
        formatId(p.id, true),
      ]),
    ));
    // "* marks you" only when a row is marked (a one-shot look is no listed peer).
    const marked = list.some((p) => session.isSelf(p));
    const shown = list.length;
    ctx.out(
      total > shown
        ? marked
          ? t("peers.summaryFirst", { count: total, shown })
          : t("peers.summaryFirstUnmarked", { count: total, shown })
        : marked
        ? t("peers.summary", { count: shown })
        : t("peers.summaryUnmarked", { count: shown }),
    );
  },
};
