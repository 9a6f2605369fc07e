/**
 * Handing files in (issue 9; docs/PROTOCOL.md, Hand-in), the sender's side: ask another peer's
 * drop box to take some of the files this peer shares, then hear, file by file, a signed
 * receipt or why it was not received. Each receipt is checked (the collector's signature, that
 * the collector is the peer this connection reached, and that it names this peer and a file
 * handed in, as handed in) before it is kept in the receipts folder.
 */
import type { FileSummary } from "../core/content.ts";
import { hasCode, RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { type Receipt, receiptProblem } from "../core/receipt.ts";
import { saveReceipt } from "../storage/receipts.ts";
import { type Address, formatPeer } from "../net/address.ts";
import { type Channel, wireError } from "../net/channel.ts";
import { open } from "../net/peer_client.ts";
import type { Node } from "./node.ts";

/** What a hand-in reports while it runs. */
export type HandInEvent =
  /** A file is in: its receipt checked and kept at `path`. */
  | { kind: "receipt"; receipt: Receipt; path: string }
  /** A file was not received, or its receipt does not hold. */
  | { kind: "failed"; name: string; error: RedeError }
  /** The collector is busy; the hand-in is tried again in `retryMs`. */
  | { kind: "busy"; error: RedeError; retryMs: number };

export interface HandInOptions {
  /** The per-user folder the receipts go in (`identityHome()`). */
  home: string;
  signal: AbortSignal;
  onEvent: (e: HandInEvent) => void;
}

/**
 * Hands `files` in to the box `box` of the peer at `addr`, retrying after each of
 * `busyDelaysMs` while the collector answers BUSY.
 *
 * @throws {RedeError} when the hand-in as a whole is refused (`NO_BOX`, `BUSY`, ...) or the
 * connection ends before every file has its answer; `CANCELLED` when `signal` aborts.
 */
export async function handIn(
  node: Node,
  addr: Address,
  box: string,
  files: FileSummary[],
  opts: HandInOptions,
): Promise<void> {
  const delays = node.timings.busyDelaysMs;
  for (let attempt = 0;; attempt++) {
    try {
      return await handInOnce(node, addr, box, files, opts);
    } catch (err) {
      if (opts.signal.aborted) {
        throw new RedeError("CANCELLED", t("handIn.cancelled", { box }), { cause: err });
      }
      if (!hasCode(err, "BUSY") || attempt >= delays.length) throw err;
      opts.onEvent({ kind: "busy", error: err, retryMs: delays[attempt] });
      await pause(delays[attempt], opts.signal);
      if (opts.signal.aborted) {
        throw new RedeError("CANCELLED", t("handIn.cancelled", { box }));
      }
    }
  }
}

async function handInOnce(
  node: Node,
  addr: Address,
  box: string,
  files: FileSummary[],
  opts: HandInOptions,
): Promise<void> {
  const times = node.timings;
  const ch = await open(addr, node.trust, times, opts.signal);
  const stop = () => ch.close();
  opts.signal.addEventListener("abort", stop, { once: true });
  try {
    await ch.send({ t: "hand_in", box, files });
    const left = new Map(files.map((f) => [f.name, f]));
    const peer = formatPeer(addr);
    while (left.size > 0) {
      const m = await ch.recv(times.handInMs + times.replyMs);
      if (m === null) {
        throw new RedeError("CLOSED", t("handIn.closedEarly", { peer, count: left.size }));
      }
      if (m.t === "error") throw wireError(m);
      if (m.t !== "receipt" && m.t !== "not_received") {
        throw new RedeError("BAD_PEER", t("handIn.unexpected", { peer, message: m.t }));
      }
      const file = left.get(m.name);
      if (!file) {
        throw new RedeError("BAD_PEER", t("handIn.notHandedIn", { peer, name: m.name }));
      }
      left.delete(m.name);
      if (m.t === "not_received") {
        const error = wireError({ t: "error", code: m.code, message: m.message });
        opts.onEvent({ kind: "failed", name: m.name, error });
        continue;
      }
      const { t: _, ...receipt } = m;
      const problem = mismatch(receipt, { box, file, ch, me: node.trust.creds.fingerprint });
      if (problem) {
        const error = new RedeError("BAD_PEER", problem);
        opts.onEvent({ kind: "failed", name: m.name, error });
        continue;
      }
      opts.onEvent({ kind: "receipt", receipt, path: await saveReceipt(opts.home, receipt) });
    }
  } finally {
    opts.signal.removeEventListener("abort", stop);
    ch.close();
  }
}

/** Why a receipt is not the one this hand-in should get (a whole line), or `undefined`. */
function mismatch(
  r: Receipt,
  want: { box: string; file: FileSummary; ch: Channel; me: string },
): string | undefined {
  const problem = receiptProblem(r);
  const name = r.name;
  if (problem) return t("handIn.receiptInvalid", { name, problem });
  if (r.collector_id !== want.ch.peerId) return t("handIn.receiptSigner", { name });
  if (r.sender_id !== want.me) return t("handIn.receiptSender", { name });
  if (r.box !== want.box) return t("handIn.receiptBox", { name });
  if (r.size !== want.file.size || r.root !== want.file.root) {
    return t("handIn.receiptContent", { name });
  }
  return undefined;
}

/** Waits `ms`, or until `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
