import type { Box } from "../app/collect.ts";
import { errorLine } from "../core/errors.ts";
import { formatDate, formatList, t } from "../core/i18n.ts";
import { MAX_PEER_NAME_CHARS } from "../core/limits.ts";
import { remoteText } from "../core/terminal.ts";
import { formatAddress } from "../net/address.ts";
import { type Command, type Context, UsageError } from "./_command.ts";
import type { Session } from "./_session.ts";
import { needSession } from "./_shell.ts";
import { bytes, shortHash, table } from "./_ui.ts";

export const collect: Command = {
  name: "collect",
  scopes: ["shell"],
  args: [{ name: "box", optional: true }],
  options: {
    close: { type: "string", value: "BOX" },
  },
  examples: ["collect prova1", "collect", "collect --close prova1"],
  async run({ args, options }, ctx) {
    const session = needSession(ctx);
    const { collector } = session;
    if (options.close !== undefined) {
      if (args[0] !== undefined) {
        throw new UsageError(t("collect.closeArgs"), collect);
      }
      const box = collector.close(options.close as string);
      ctx.out(
        t("collect.closed", { box: box.name, count: box.arrivals.length, senders: senders(box) }),
      );
      return;
    }
    const name = args[0];
    if (name === undefined) {
      const boxes = collector.boxes();
      if (boxes.length === 0) ctx.out(t("collect.noBox"));
      for (const box of boxes) await show(session, box, ctx);
      return;
    }
    const known = collector.box(name);
    if (known?.open) return await show(session, known, ctx);
    const box = await collector.open(name);
    const self = session.node.tracker.self; // Where others reach this peer, as the tracker sees.
    const here = self ? { host: self.ip, port: self.port } : session.node.server.address;
    const folder = collector.folderOf(box.name);
    ctx.out(t("collect.opened", { box: box.name, address: formatAddress(here), folder }));
  },
};

/** `3 senders`. */
function senders(box: Box): string {
  return t("collect.senders", { count: new Set(box.arrivals.map((a) => a.senderId)).size });
}

/** A box's table, who has not handed in yet, and a last line that sums it up. */
async function show(session: Session, box: Box, ctx: Context): Promise<void> {
  ctx.out(table(
    [
      t("collect.col.sender"),
      t("collect.col.file"),
      t("collect.col.size"),
      t("collect.col.root"),
      t("collect.col.time"),
    ],
    box.arrivals.map((a) => [
      a.sender,
      a.stored.slice(a.stored.indexOf("/") + 1),
      bytes(a.receipt.size),
      shortHash(a.receipt.root),
      formatDate(new Date(a.receipt.time), { utc: true }),
    ]),
  ));
  const handedIn = new Set(box.arrivals.map((a) => a.senderId));
  try {
    const peers = await session.refreshPeers();
    const missing = peers.filter((p) => !session.isSelf(p) && !handedIn.has(p.id));
    const names = missing.map((p) => remoteText(p.name, MAX_PEER_NAME_CHARS));
    ctx.out(
      missing.length === 0
        ? t("collect.allIn")
        : t("collect.missing", { count: missing.length, peers: formatList(names) }),
    );
  } catch (err) {
    ctx.out(t("collect.missingUnknown", { error: errorLine(err) }));
  }
  const line = {
    box: box.name,
    state: box.open ? t("collect.open") : t("collect.shut"),
    count: box.arrivals.length,
    senders: senders(box),
  };
  ctx.out(
    box.active > 0
      ? t("collect.summaryActive", {
        ...line,
        handIns: t("collect.handIns", { count: box.active }),
      })
      : t("collect.summary", line),
  );
}
