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
      ["#", "IP", "Port", "Name", "Files", "ID"],
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
        ? `${total} peer(s) connected, the first ${list.length} by address shown; * marks you`
        : `${list.length} peer(s) connected; * marks you`,
    );
  },
};
