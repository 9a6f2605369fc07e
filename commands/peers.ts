import { t } from "../core/i18n.ts";
import { MAX_PEER_NAME_CHARS } from "../core/limits.ts";
import { remoteText } from "../core/terminal.ts";
import { formatId } from "../storage/identity.ts";
import type { Command } from "./_command.ts";
import { needSession } from "./_shell.ts";
import { table } from "./_ui.ts";

export const peers: Command = {
  name: "peers",
  scopes: ["shell"],
  args: [],
  examples: ["peers"],
  async run(_input, ctx) {
    const session = needSession(ctx);
    const list = await session.refreshPeers();
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
    const total = session.lastPeersTotal;
    ctx.out(
      total > list.length
        ? t("peers.summaryFirst", { count: total, shown: list.length })
        : t("peers.summary", { count: list.length }),
    );
  },
};
