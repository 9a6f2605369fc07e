import { t } from "../core/i18n.ts";
import { formatPeer, parsePort } from "../net/address.ts";
import { listFiles } from "../net/peer_client.ts";
import { type Command, UsageError } from "./_command.ts";
import { ONE_SHOT_OPTIONS } from "./_oneshot.ts";
import { needSession } from "./_shell.ts";
import { bytes, shortHash, table } from "./_ui.ts";

export const ls: Command = {
  name: "ls",
  scopes: ["shell", "cli"],
  args: [
    { name: "peer" },
    { name: "port", optional: true },
  ],
  options: { ...ONE_SHOT_OPTIONS },
  examples: ["ls carla", "ls 192.168.0.7 50123", "ls 192.168.0.7:50123", "ls 2"],
  oneShot: () => "look",
  async run({ args }, ctx) {
    const session = needSession(ctx);
    let port: number | undefined;
    if (args[1] !== undefined) {
      port = parsePort(args[1]);
      if (port === undefined) throw new UsageError(t("ls.badPort", { port: args[1] }), ls);
    }
    const addr = await session.resolvePeer(args[0], port);
    const { trust, timings } = session.link;
    const files = await listFiles(addr, trust, timings);
    for (const f of files) session.knownNames.add(f.name);
    const total = files.reduce((s, f) => s + f.size, 0);
    if (ctx.json) {
      return ctx.json({
        peer: { ip: addr.host, port: addr.port, id: addr.id ?? null, name: addr.name ?? null },
        files: files.map((f) => ({ name: f.name, size: f.size, root: f.root })),
        count: files.length,
        size: total,
      });
    }
    ctx.out(table(
      [t("table.name"), t("table.size"), t("table.root")],
      files.map((f) => [f.name, bytes(f.size), shortHash(f.root)]),
    ));
    ctx.out(t("ls.summary", { count: files.length, size: bytes(total), peer: formatPeer(addr) }));
  },
};
