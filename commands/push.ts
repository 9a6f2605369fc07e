import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { assertShareName } from "../core/names.ts";
import { offerOf, pushOffer } from "../app/push.ts";
import { type Address, formatAddress } from "../net/address.ts";
import type { PeerInfo } from "../net/protocol.ts";
import type { Command } from "./_command.ts";
import { ONE_SHOT_OPTIONS, SHARE_OPTIONS } from "./_oneshot.ts";
import { PushBoard, summary } from "./_push_view.ts";
import type { Session } from "./_session.ts";
import { needSession } from "./_shell.ts";

export const push: Command = {
  name: "push",
  scopes: ["shell", "cli"],
  args: [
    { name: "file" },
    {
      name: "peer",
      optional: true,
    },
  ],
  variadic: true,
  options: { ...ONE_SHOT_OPTIONS, ...SHARE_OPTIONS },
  examples: ["push prova.pdf", "push fotos 2 3", 'push "meu arquivo.txt" ana 192.168.0.7:50123'],
  cliExamples: [
    "push prova.pdf --tracker 192.168.0.10",
    "push fotos ana bruno --tracker 192.168.0.10 --json",
  ],
  // The targets fetch from this peer, and name it as the tracker lists its ID: it is listed.
  oneShot: () => "serve",
  async run({ args }, ctx) {
    const session = needSession(ctx);
    const [name, ...named] = args;
    assertShareName(name); // The gate for names the user typed.
    const { node } = session;
    await node.index.refresh();
    const offer = offerOf(node.index.list(), name);
    const { peers } = await node.tracker.peerList();
    const targets = named.length
      ? await resolveAll(session, named, peers)
      : everyone(session, peers);
    if (targets.length === 0) {
      throw new RedeError("NOT_FOUND", t("push.noOtherPeer"));
    }
    const board = new PushBoard(session.screen, ctx.out, offer);
    const results = await pushOffer(node, offer, targets, {
      signal: ctx.signal,
      onStart: (all) => board.show(all),
      onChange: (x) => board.changed(x),
    }).finally(() => board.stop());
    const failed = results.some((x) => x.state === "failed" || x.state === "withdrawn");
    if (ctx.json) {
      ctx.json({
        name: offer.name,
        folder: offer.folder,
        files: offer.files.length,
        size: offer.size,
        peers: results.map((x) => ({
          name: x.name,
          ip: x.address.host,
          port: x.address.port,
          id: x.address.id ?? null,
          state: x.state,
          received: x.received,
          ...(x.note !== undefined ? { note: x.note } : {}),
          ...(x.unfollowed ? { unfollowed: true } : {}),
        })),
      });
      return failed ? 1 : 0;
    }
    for (const line of summary(offer, results)) ctx.out(line);
    return failed ? 1 : 0;
  },
};

/** Every listed peer but this one. */
function everyone(session: Session, peers: PeerInfo[]): { name: string; address: Address }[] {
  return peers.filter((p) => !session.isSelf(p)).map(target);
}

function target(p: PeerInfo): { name: string; address: Address } {
  return { name: p.name, address: { host: p.ip, port: p.port, id: p.id } };
}

/** The peers named, once each; this peer is refused. */
async function resolveAll(
  session: Session,
  named: string[],
  peers: PeerInfo[],
): Promise<{ name: string; address: Address }[]> {
  const found = new Map<string, { name: string; address: Address }>();
  for (const text of named) {
    const one = await resolve(session, text, peers);
    if (session.node.isSelf(one.address)) {
      throw new RedeError("BAD_INPUT", t("push.isSelf", { peer: text }));
    }
    found.set(formatAddress(one.address), one);
  }
  return [...found.values()];
}

/**
 * A peer named as `#N` (a row of the last `peers`), by its name, or by address (`IP:PORT`, or
 * an IP only one other peer uses): `Session.resolvePeer`.
 */
async function resolve(
  session: Session,
  text: string,
  peers: PeerInfo[],
): Promise<{ name: string; address: Address }> {
  const addr = await session.resolvePeer(text);
  const listed = peers.find((p) => p.ip === addr.host && p.port === addr.port);
  return listed ? target(listed) : { name: addr.name ?? "?", address: addr };
}
