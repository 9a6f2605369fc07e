/**
 * Admission to the tracker, the peer's side (docs/PROTOCOL.md, Admission to the tracker): the
 * tracker's ID checked against the pin of its address, the hello, the join code's PAKE on a
 * private network, and the membership statement the tracker signs. A registering peer and a
 * one-shot run that is never listed (`admitOnly`) are admitted alike.
 */
import { Buffer } from "node:buffer";
import { hasCode, RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import type { Timings } from "../core/limits.ts";
import { formatId } from "../storage/identity.ts";
import type { Channel } from "./channel.ts";
import { Network, type Trust } from "./membership.ts";
import { startPake } from "./pake.ts";
import type { MessageOf } from "./protocol.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

export interface AdmitOptions {
  /** The tracker as `host:port`, the key of its pin. */
  where: string;
  /** This peer's identity; its network is set once admitted. */
  trust: Trust;
  /** The tracker IDs met before (trust on first use). */
  pins: {
    get(where: string): Promise<string | undefined>;
    set(where: string, id: string): Promise<void>;
  };
  /** The join code, when known. */
  code: string | undefined;
  timings: Timings;
}

/**
 * Is admitted on `ch`: sets `trust.network` and pins the tracker's ID on first meeting.
 *
 * @returns `"code needed"` when the network is private and no code is known yet (nothing was
 *   sent past the hello: close, ask, connect again).
 * @throws {RedeError} `IDENTITY` for a tracker that is not the one pinned, `WRONG_CODE`, and
 *   the channel's failures.
 */
export async function admit(ch: Channel, a: AdmitOptions): Promise<"admitted" | "code needed"> {
  const { where, trust } = a;
  const tm = a.timings;
  const theirId = ch.peerId!;
  const pinned = await a.pins.get(where);
  if (pinned !== undefined && pinned !== theirId) {
    const ids = { id: formatId(theirId, true), old: formatId(pinned, true) };
    throw new RedeError("IDENTITY", t("tracker.newIdentity", { address: where, ...ids }));
  }
  const theirs = await ch.greet("peer", "tracker", tm.helloMs);
  let admitted: MessageOf<"admitted">;
  if (theirs.access === "code") {
    if (theirs.sid === undefined) throw new RedeError("BAD_PEER", t("tracker.noSid"));
    if (a.code === undefined) return "code needed";
    const wrong = () => new RedeError("WRONG_CODE", t("tracker.wrongCodeAt", { address: where }));
    const pake = startPake({
      role: "initiator",
      code: a.code,
      sid: Buffer.from(theirs.sid, "hex"),
      initiatorId: Buffer.from(trust.creds.fingerprint, "hex"),
      responderId: Buffer.from(theirId, "hex"),
    });
    const reply = await ch.request({ t: "pake", share: hex(pake.share) }, "pake_reply", tm.helloMs);
    const done = pake.finish(Buffer.from(reply.share, "hex"));
    if (!done.verify(Buffer.from(reply.confirm, "hex"))) throw wrong();
    try {
      admitted = await ch.request(
        { t: "pake_confirm", confirm: hex(done.confirm) },
        "admitted",
        tm.helloMs,
      );
    } catch (err) {
      throw hasCode(err, "WRONG_CODE") ? wrong() : err;
    }
  } else {
    admitted = await ch.expect("admitted", tm.helloMs);
  }
  trust.network = new Network(theirId, ch.peerCert!, admitted.member, trust.creds.fingerprint);
  if (pinned === undefined) await a.pins.set(where, theirId);
  return "admitted";
}
