import type { Box } from "../app/collect.ts";
import { errorLine } from "../core/errors.ts";
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
        throw new UsageError("Give the box to close after --close only", collect);
      }
      const box = collector.close(options.close as string);
      ctx.out(
        `Box '${box.name}' closed: ${box.arrivals.length} file(s) from ${
          senders(box)
        } sender(s) arrived; 'collect ${box.name}' opens it again`,
      );
      return;
    }
    const name = args[0];
    if (name === undefined) {
      const boxes = collector.boxes();
      if (boxes.length === 0) ctx.out("No box yet; 'collect BOX' opens one");
      for (const box of boxes) await show(session, box, ctx);
      return;
    }
    const known = collector.box(name);
    if (known?.open) return await show(session, known, ctx);
    const box = await collector.open(name);
    const self = session.node.tracker.self; // Where others reach this peer, as the tracker sees.
    const here = self ? { host: self.ip, port: self.port } : session.node.server.address;
    ctx.out(
      `Box '${box.name}' open at ${formatAddress(here)}: hand-ins land in ` +
        `${collector.folderOf(box.name)}/<sender>/ and are not shared; ` +
        `'collect ${box.name}' shows them, 'collect --close ${box.name}' closes it`,
    );
  },
};

function senders(box: Box): number {
  return new Set(box.arrivals.map((a) => a.senderId)).size;
}

/** A box's table, who has not handed in yet, and a last line that sums it up. */
async function show(session: Session, box: Box, ctx: Context): Promise<void> {
  ctx.out(table(
    ["Sender", "File", "Size", "Root", "Time (UTC)"],
    box.arrivals.map((a) => [
      a.sender,
      a.stored.slice(a.stored.indexOf("/") + 1),
      bytes(a.receipt.size),
      shortHash(a.receipt.root),
      a.receipt.time.replace("T", " ").replace(/\.\d+Z$/, ""),
    ]),
  ));
  const handedIn = new Set(box.arrivals.map((a) => a.senderId));
  try {
    const peers = await session.refreshPeers();
    const missing = peers.filter((p) => !session.isSelf(p) && !handedIn.has(p.id));
    ctx.out(
      missing.length === 0
        ? "Every peer present has handed something in"
        : `Not handed in yet (${missing.length}): ${
          missing.map((p) => remoteText(p.name, MAX_PEER_NAME_CHARS)).join(", ")
        }`,
    );
  } catch (err) {
    ctx.out(`Who has not handed in yet is unknown: ${errorLine(err)}`);
  }
  const under = box.active > 0 ? `, ${box.active} hand-in(s) under way` : "";
  ctx.out(
    `Box '${box.name}' (${box.open ? "open" : "closed"}): ${box.arrivals.length} file(s) from ` +
      `${senders(box)} sender(s)${under}`,
  );
}
