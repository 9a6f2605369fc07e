/**
 * Push, the receiving side: the answer to `offer`, added to the node's listener with
 * `PeerServer.extend`. An offer is bounded before anything else ({@link PUSH_MAX_OFFERS} at
 * once, {@link PUSH_OFFERS_PER_SOURCE} from one source, one waiting for an answer per pusher),
 * checked (its files all under its name, no name twice; the names themselves passed the wire
 * gate and pass `storage/paths.ts` again where they become paths), and put to the user with the
 * pusher's name from the tracker's list, found by the ID the pusher proved (never a name it
 * claims). Only an accepted offer is fetched, through the session's engine, exactly the contents
 * (roots) offered, from the pusher and every other holder; its state goes back on the offer's
 * connection. An offer uses no upload slot: its connection carries only a few messages.
 *
 * The pusher closing the connection before the answer withdraws the offer. Once accepted, the
 * download goes on whatever the pusher does; it stops only when this peer leaves.
 */
import type { FileSummary } from "../core/content.ts";
import { type ErrorCode, RedeError } from "../core/errors.ts";
import { type PlainKey, t } from "../core/i18n.ts";
import {
  PUSH_HOLD_MS,
  PUSH_MAX_OFFERS,
  PUSH_OFFERS_PER_SOURCE,
  PUSH_STATUS_BEAT_MS,
  PUSH_STATUS_GAP_MS,
} from "../core/limits.ts";
import { type Address, sourceKey } from "../net/address.ts";
import type { Channel } from "../net/channel.ts";
import type { MessageOf, PushState } from "../net/protocol.ts";
import type { Fetcher, FetchEvent, Job } from "./fetch.ts";
import type { Node } from "./node.ts";

/** An offer received, checked, with who sent it. */
export interface IncomingOffer {
  /** The pusher as the tracker lists it (its name as listed: make it printable to show it). */
  from: { name: string; address: Address };
  name: string;
  files: FileSummary[];
  /** Bytes of all the files. */
  size: number;
  /** Whether it is a folder's files. */
  folder: boolean;
}

/** Why an offer was not taken. */
export type DeclineReason = "answer" | "timeout" | "policy" | "leaving";

/** What happens to offers, for the user to be told. */
export type PushEvent =
  | { kind: "accepted"; offer: IncomingOffer; auto: boolean }
  | { kind: "declined"; offer: IncomingOffer; why: DeclineReason }
  | { kind: "withdrawn"; offer: IncomingOffer }
  /** In, verified and shared; `already`: every file was here already (same content). */
  | { kind: "received"; offer: IncomingOffer; ms: number; already: boolean }
  | { kind: "failed"; offer: IncomingOffer; errors: unknown[] };

/**
 * Whether offers are taken: all of them (`--accept-push`), none (no one to ask), or as the
 * function answers. The function's signal aborts when the offer is withdrawn, runs out of time
 * or the peer leaves: the question must then go away.
 */
export type AcceptPolicy =
  | "always"
  | "never"
  | ((offer: IncomingOffer, signal: AbortSignal) => Promise<boolean>);

export interface PushReceiverOptions {
  accept: AcceptPolicy;
  onEvent: (e: PushEvent) => void;
}

/** What the pusher is told when an offer is declined. */
const DECLINED: Record<DeclineReason, PlainKey | undefined> = {
  answer: undefined,
  timeout: "push.why.timeout",
  policy: "push.why.policy",
  leaving: "push.why.leaving",
};

/** One offer being handled. */
interface Entry {
  id: string;
  source: string;
  /** Still waiting for its answer. */
  asking: boolean;
}

/** Answers offers for a node. */
export class PushReceiver {
  #node: Node;
  #fetcher: Fetcher;
  #opts: PushReceiverOptions;
  #offers = new Set<Entry>();
  #stop = new AbortController();

  private constructor(node: Node, fetcher: Fetcher, opts: PushReceiverOptions) {
    this.#node = node;
    this.#fetcher = fetcher;
    this.#opts = opts;
  }

  /** Starts answering offers on the node's listener; downloads go through `fetcher`. */
  static attach(node: Node, fetcher: Fetcher, opts: PushReceiverOptions): PushReceiver {
    const r = new PushReceiver(node, fetcher, opts);
    node.server.extend({ offer: (ch, m) => r.#take(ch, m) });
    return r;
  }

  /** Declines every offer still waiting and cancels pushed downloads: the peer is leaving. */
  close(): void {
    this.#stop.abort();
  }

  async #take(ch: Channel, m: MessageOf<"offer">): Promise<void> {
    const arrived = performance.now();
    const entry = this.#admit(ch);
    this.#offers.add(entry);
    try {
      const offer = { ...checkOffer(m), from: await this.#pusher(entry.id) };
      await ch.send(status("asked", 0, offer.size));
      // The pusher sends nothing more: its closing the connection (or any message, which
      // breaks the protocol) ends the offer, withdrawing it if not answered yet.
      const gone = ch.recv(PUSH_HOLD_MS).then(() => {}, () => {}).finally(() => ch.close());
      const verdict = await this.#ask(offer, gone, arrived);
      entry.asking = false;
      if (verdict === "withdrawn") return this.#opts.onEvent({ kind: "withdrawn", offer });
      if (verdict !== "yes") {
        this.#opts.onEvent({ kind: "declined", offer, why: verdict });
        const why = DECLINED[verdict];
        await quietly(ch.send(status("declined", 0, offer.size, why && t(why))));
      } else {
        this.#opts.onEvent({ kind: "accepted", offer, auto: this.#opts.accept === "always" });
        await this.#download(ch, offer);
      }
      await this.#end(ch, gone);
    } finally {
      this.#offers.delete(entry);
    }
  }

  /** Refuses an offer beyond the bounds (BUSY); else what it will be counted as. */
  #admit(ch: Channel): Entry {
    const id = ch.peerId;
    if (id === undefined) throw new RedeError("BAD_REQUEST", t("push.needIdentity"));
    if (this.#stop.signal.aborted) throw new RedeError("BUSY", t("push.leaving"));
    const source = sourceKey(ch.remote.host);
    const all = [...this.#offers];
    if (all.length >= PUSH_MAX_OFFERS) {
      throw new RedeError("BUSY", t("push.busyAll", { count: all.length }));
    }
    if (all.filter((o) => o.source === source).length >= PUSH_OFFERS_PER_SOURCE) {
      throw new RedeError("BUSY", t("push.busySource", { count: PUSH_OFFERS_PER_SOURCE }));
    }
    if (all.some((o) => o.id === id && o.asking)) {
      throw new RedeError("BUSY", t("push.busyYou"));
    }
    return { id, source, asking: true };
  }

  /** The pusher, as the tracker lists the ID it proved. */
  async #pusher(id: string): Promise<IncomingOffer["from"]> {
    let peers;
    try {
      ({ peers } = await this.#node.tracker.peerList());
    } catch {
      throw new RedeError("BUSY", t("push.noTracker"));
    }
    const p = peers.find((p) => p.id === id);
    if (!p) throw new RedeError("BAD_REQUEST", t("push.notListed"));
    return { name: p.name, address: { host: p.ip, port: p.port, id: p.id } };
  }

  /**
   * The answer to an offer: the policy's, unless the pusher leaves first (withdrawn), the time
   * runs out (from the offer's arrival) or this peer leaves; the question is then dismissed.
   */
  async #ask(
    offer: IncomingOffer,
    gone: Promise<void>,
    arrived: number,
  ): Promise<"yes" | "withdrawn" | DeclineReason> {
    const policy = this.#opts.accept;
    if (this.#stop.signal.aborted) return "leaving";
    if (policy === "always") return "yes";
    if (policy === "never") return "policy";
    const asked = new AbortController();
    let verdict: "yes" | "withdrawn" | DeclineReason | undefined;
    const end = (v: typeof verdict) => {
      verdict ??= v;
      asked.abort();
    };
    const left = this.#node.timings.pushAnswerMs - (performance.now() - arrived);
    const timer = setTimeout(() => end("timeout"), Math.max(0, left));
    const leaving = () => end("leaving");
    this.#stop.signal.addEventListener("abort", leaving, { once: true });
    gone.then(() => end("withdrawn"));
    try {
      policy(offer, asked.signal).then((yes) => end(yes ? "yes" : "answer"), () => end("answer"));
      await new Promise<void>((resolve) => {
        if (asked.signal.aborted) resolve();
        asked.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      return verdict!;
    } finally {
      clearTimeout(timer);
      this.#stop.signal.removeEventListener("abort", leaving);
    }
  }

  /** Fetches an accepted offer, telling the pusher how it goes. */
  async #download(ch: Channel, offer: IncomingOffer): Promise<void> {
    await quietly(ch.send(status("accepted", 0, offer.size)));
    const started = performance.now();
    const jobs: Job[] = offer.files.map((f) => ({
      name: f.name,
      root: f.root,
      from: offer.from.address,
      exact: true,
    }));
    const sizes = new Map(jobs.map((j, i) => [j, offer.files[i].size]));
    const got = new Map<Job, number>();
    let skipped = 0;
    const reporter = new Reporter(ch, offer.size);
    const has = (job: Job, n: number) => {
      reporter.received += n - (got.get(job) ?? 0);
      got.set(job, n);
    };
    const onEvent = (e: FetchEvent) => {
      if (e.kind === "transfer" && e.event.kind === "progress") has(e.job, e.event.received);
      else if (e.kind === "skipped" || e.kind === "saved" || e.kind === "adopted") {
        has(e.job, sizes.get(e.job) ?? 0);
        if (e.kind === "skipped") skipped++;
      }
    };
    let errors: unknown[];
    try {
      errors = await this.#fetcher.fetch(jobs, { signal: this.#stop.signal, onEvent });
    } catch (err) {
      errors = [err];
    }
    if (errors.length === 0) {
      const ms = performance.now() - started;
      const already = skipped === jobs.length;
      this.#opts.onEvent({ kind: "received", offer, ms, already });
      await reporter.end("done", already ? t("push.hadIt") : undefined);
    } else {
      this.#opts.onEvent({ kind: "failed", offer, errors });
      await reporter.end("failed", failureText(errors, jobs.length));
    }
  }

  /**
   * Gives the pusher a moment to close after the last status (it closes as soon as it has read
   * it), then closes; at once when this peer is leaving.
   */
  async #end(ch: Channel, gone: Promise<void>): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = this.#stop.signal;
    const close = () => ch.close();
    stop.addEventListener("abort", close, { once: true });
    if (stop.aborted) close();
    await Promise.race([
      gone,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#node.timings.replyMs))),
    ]);
    clearTimeout(timer);
    stop.removeEventListener("abort", close);
    ch.close();
  }
}

/**
 * The offer's files, checked: one file named as the offer, or files all inside the folder of
 * that name; no name twice; a total that is a count.
 *
 * @throws {RedeError} `BAD_REQUEST`, the connection going on.
 */
function checkOffer(m: MessageOf<"offer">): Omit<IncomingOffer, "from"> {
  const { name, files } = m;
  const folder = !(files.length === 1 && files[0].name === name);
  if (folder && !files.every((f) => f.name.startsWith(`${name}/`))) {
    throw new RedeError("BAD_REQUEST", t("push.outside", { name }));
  }
  if (new Set(files.map((f) => f.name)).size !== files.length) {
    throw new RedeError("BAD_REQUEST", t("push.twice", { name }));
  }
  const size = files.reduce((n, f) => n + f.size, 0);
  if (!Number.isSafeInteger(size)) {
    throw new RedeError("BAD_REQUEST", t("push.tooLarge", { name }));
  }
  return { name, files, size, folder };
}

function status(
  state: PushState,
  received: number,
  size: number,
  message?: string,
): MessageOf<"push_status"> {
  return { t: "push_status", state, received, size, ...(message ? { message } : {}) };
}

/** A send whose failure only means the pusher stopped listening. */
async function quietly(sent: Promise<void>): Promise<void> {
  try {
    await sent;
  } catch {
    // The pusher left or stopped reading; the download (if any) goes on.
  }
}

/**
 * Sends `downloading` statuses: when the bytes moved, at most every {@link PUSH_STATUS_GAP_MS},
 * and every {@link PUSH_STATUS_BEAT_MS} even when they did not (the pusher's sign of life). A
 * status is skipped while the last is still being written, so a pusher that does not read
 * never makes them pile up.
 */
class Reporter {
  received = 0;
  #ch: Channel;
  #size: number;
  #timer: ReturnType<typeof setInterval>;
  #sent = -1;
  #at = 0;
  #sending: Promise<void> = Promise.resolve();
  #busy = false;

  constructor(ch: Channel, size: number) {
    this.#ch = ch;
    this.#size = size;
    this.#timer = setInterval(() => this.#tick(), PUSH_STATUS_GAP_MS);
    this.#tick();
  }

  #tick(): void {
    const now = performance.now();
    if (this.#busy || this.#ch.closed) return;
    if (this.received === this.#sent && now - this.#at < PUSH_STATUS_BEAT_MS) return;
    this.#sent = this.received;
    this.#at = now;
    this.#busy = true;
    this.#sending = quietly(this.#ch.send(status("downloading", this.received, this.#size)))
      .finally(() => (this.#busy = false));
  }

  /** Stops the statuses and sends the last one. */
  async end(state: "done" | "failed", message?: string): Promise<void> {
    clearInterval(this.#timer);
    await this.#sending;
    const received = state === "done" ? this.#size : this.received;
    await quietly(this.#ch.send(status(state, received, this.#size, message)));
  }
}

/** What the pusher is told of a failed download: a reason by code, never a local detail. */
const FAILURES: Partial<Record<ErrorCode, PlainKey>> = {
  NO_SPACE: "push.fail.noSpace",
  CANCELLED: "push.fail.cancelled",
  NOT_FOUND: "push.fail.notFound",
  HASH_MISMATCH: "push.fail.hash",
  BAD_PEER: "push.fail.badPeer",
  IDENTITY: "push.fail.identity",
  BAD_NAME: "push.fail.badName",
  BUSY: "push.fail.busy",
  UNREACHABLE: "push.fail.unreachable",
  CLOSED: "push.fail.closed",
  TIMEOUT: "push.fail.timeout",
};

function failureText(errors: unknown[], total: number): string {
  const first = errors[0];
  const why = t((first instanceof RedeError && FAILURES[first.code]) || "push.fail.other");
  return total > 1 ? t("push.fail.some", { failed: errors.length, count: total, why }) : why;
}
