import { t } from "../core/i18n.ts";
import { formatPeer, parsePort } from "../net/address.ts";
import { listFiles } from "../net/peer_client.ts";
import { type Command, UsageError } from "./_command.ts";
import { needSession } from "./_shell.ts";
import { bytes, shortHash, table } from "./_ui.ts";

export const ls: Command = {
  name: "ls",
  scopes: ["shell"],
  args: [
    { name: "peer" },
    { name: "port", optional: true },
  ],
  examples: ["ls carla", "ls 192.168.0.7 50123", "ls 192.168.0.7:50123", "ls 2"],
  async run({ args }, ctx) {
    const session = needSession(ctx);
    let port: number | undefined;
    if (args[1] !== undefined) {
      port = parsePort(args[1]);
      if (port === undefined) throw new UsageError(t("ls.badPort", { port: args[1] }), ls);
    }
    const addr = await session.resolvePeer(args[0], port);
    const files = await listFiles(addr, session.node.trust, session.node.timings);
    for (const f of files) session.knownNames.add(f.name);
    ctx.out(table(
      [t("table.name"), t("table.size"), t("table.root")],
      files.map((f) => [f.name, bytes(f.size), shortHash(f.root)]),
    ));
    const total = files.reduce((s, f) => s + f.size, 0);
    ctx.out(t("ls.summary", { count: files.length, size: bytes(total), peer: formatPeer(addr) }));
  },
};
