/**
 * Push, the offering side: one file or folder this peer shares, offered to other peers. Each
 * target gets a connection and an `offer`, and answers on it with `push_status` messages (asked,
 * then accepted or declined, then downloading, then done or failed), which this module turns
 * into one {@link Target} per peer. The targets download through their own engine, from this
 * peer's listener and every other holder; nothing here sends file bytes, and an offer holds no
 * upload slot. Aborting the signal withdraws the offer from the targets that have not accepted
 * (their connection is closed, which is what withdraws it); those already downloading go on,
 * no longer followed.
 */
import type { FileSummary } from "../core/content.ts";
import { errorLine, RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { PUSH_CONNECTS_AT_ONCE, PUSH_MAX_FILES, type Timings } from "../core/limits.ts";
import { remoteText } from "../core/terminal.ts";
import type { Address } from "../net/address.ts";
import { type Channel, wireError } from "../net/channel.ts";
import { open } from "../net/peer_client.ts";
import type { PushState } from "../net/protocol.ts";
import type { Node } from "./node.ts";

/** What is offered: a shared name, and the files it covers (itself, or a folder's). */
export interface Offer {
  name: string;
  files: FileSummary[];
  /** Bytes of all the files. */
  size: number;
  /** Whether the name is a folder, whose files are `name/...`. */
  folder: boolean;
}

/**
 * The offer of a name among the files this peer shares: the file of that name, or every file of
 * the folder of that name.
 *
 * @throws {RedeError} `NOT_FOUND` when nothing shared has that name; `BAD_INPUT` for a folder of
 * more than {@link PUSH_MAX_FILES} files.
 */
export function offerOf(shared: FileSummary[], name: string): Offer {
  const exact = shared.filter((f) => f.name === name);
  const files = exact.length ? exact : shared.filter((f) => f.name.startsWith(`${name}/`));
  if (files.length === 0) {
    throw new RedeError("NOT_FOUND", t("push.noSuchName", { name }));
  }
  if (files.length > PUSH_MAX_FILES) {
    throw new RedeError(
      "BAD_INPUT",
      t("push.folderTooBig", { name, count: files.length, max: PUSH_MAX_FILES }),
    );
  }
  const size = files.reduce((n, f) => n + f.size, 0);
  return { name, files, size, folder: exact.length === 0 };
}

/** Where a target stands, as the pusher sees it. */
export type TargetState = "connecting" | PushState | "withdrawn";

/** One peer offered to. */
export interface Target {
  /** Its name as the tracker lists it (make it printable before showing it). */
  name: string;
  address: Address;
  state: TargetState;
  /** Bytes it has of the offer, as it reports them. */
  received: number;
  /** Bytes per second since it accepted. */
  rate: number;
  /** Why it declined or failed: printable, one line. */
  note?: string;
  /** It accepted, and downloads on after the push was ended here (no longer followed). */
  unfollowed?: boolean;
}

export interface PushOptions {
  /** Aborting it withdraws the offer from the targets that have not accepted. */
  signal: AbortSignal;
  /** Told of the targets before the first is offered to. */
  onStart?: (targets: Target[]) => void;
  /** Told of each change of a target (state, bytes). */
  onChange?: (t: Target) => void;
}

/**
 * Offers `offer` to each target and follows each to its end: declined, done, failed, withdrawn
 * (the signal aborted before it accepted), or unfollowed (it aborted after).
 *
 * @returns The targets, in the order given, as they ended.
 */
export async function pushOffer(
  node: Node,
  offer: Offer,
  targets: { name: string; address: Address }[],
  opts: PushOptions,
): Promise<Target[]> {
  const views = targets.map((t): Target => ({ ...t, state: "connecting", received: 0, rate: 0 }));
  opts.onStart?.(views);
  const slots = new Slots(PUSH_CONNECTS_AT_ONCE);
  await Promise.all(views.map((v) => offerTo(node, offer, v, slots, opts)));
  return views;
}

/** Connects to one target, offers, and follows its answers until it ends. */
async function offerTo(
  node: Node,
  offer: Offer,
  view: Target,
  slots: Slots,
  opts: PushOptions,
): Promise<void> {
  const change = (patch: Partial<Target>) => {
    Object.assign(view, patch);
    opts.onChange?.(view);
  };
  let ch: Channel | undefined;
  const stop = () => ch?.close();
  opts.signal.addEventListener("abort", stop, { once: true });
  try {
    const release = await slots.take(opts.signal);
    try {
      ch = await open(view.address, node.trust, node.timings, opts.signal);
      await ch.send({ t: "offer", name: offer.name, files: offer.files });
    } finally {
      release();
    }
    await follow(ch, offer, view, node.timings, change);
  } catch (err) {
    if (!opts.signal.aborted) change({ state: "failed", note: remoteText(errorLine(err)) });
    else if (view.state === "accepted" || view.state === "downloading") {
      change({ unfollowed: true });
    } else change({ state: "withdrawn" });
  } finally {
    opts.signal.removeEventListener("abort", stop);
    ch?.close();
  }
}

/** The states each state may move to; anything else from a target breaks the protocol. */
const NEXT: Record<TargetState, readonly TargetState[]> = {
  connecting: ["asked", "accepted", "declined"],
  asked: ["accepted", "declined"],
  accepted: ["downloading", "done", "failed"],
  downloading: ["downloading", "done", "failed"],
  declined: [],
  done: [],
  failed: [],
  withdrawn: [],
};

/**
 * Reads a target's statuses until it ends. Its first status must come within `replyMs`; its
 * answer within `pushAnswerMs` more; then, while it downloads, a status every `replyMs` at
 * least (it sends one every few seconds even when nothing moved).
 */
async function follow(
  ch: Channel,
  offer: Offer,
  view: Target,
  times: Timings,
  change: (patch: Partial<Target>) => void,
): Promise<void> {
  let since = 0;
  let from = 0;
  while (true) {
    const wait = view.state === "asked" ? times.pushAnswerMs + times.replyMs : times.replyMs;
    const m = await ch.recv(wait);
    if (m === null) throw new RedeError("CLOSED", t("push.closedEarly"));
    if (m.t === "error") throw wireError(m);
    if (m.t !== "push_status") {
      throw new RedeError("BAD_PEER", t("push.unexpected", { message: m.t }));
    }
    if (!NEXT[view.state].includes(m.state)) {
      throw new RedeError("BAD_PEER", t("push.badStep", { from: view.state, to: m.state }));
    }
    const received = Math.min(m.received, offer.size);
    const note = m.message === undefined ? undefined : remoteText(m.message);
    const now = performance.now();
    if (m.state === "accepted") {
      since = now;
      from = received;
    }
    // The rate since it accepted; none for a `done` that says why (it had the files already).
    const bytes = m.state === "done" ? offer.size : received;
    const rate = since && now > since && !note ? ((bytes - from) * 1000) / (now - since) : 0;
    if (m.state === "done") return change({ state: "done", received: offer.size, rate, note });
    change({ state: m.state, received, rate: Math.max(0, rate), note });
    if (m.state === "declined" || m.state === "failed") return;
  }
}

/** A few places at once; the rest wait their turn (or give up when the signal aborts). */
class Slots {
  #free: number;
  #waiting: (() => void)[] = [];

  constructor(n: number) {
    this.#free = n;
  }

  /** Takes a place; the function returned gives it back. */
  async take(signal: AbortSignal): Promise<() => void> {
    while (this.#free === 0) {
      signal.throwIfAborted();
      await new Promise<void>((resolve) => {
        this.#waiting.push(resolve);
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
    }
    signal.throwIfAborted();
    this.#free--;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.#free++;
      this.#waiting.shift()?.();
    };
  }
}
