/**
 * The downloading side of a peer: asks another peer for its file list, a file's descriptor,
 * or chunks of a content (several requests in flight on one connection). What comes back has
 * passed the wire gate (`protocol.ts`): names are safe, descriptors consistent.
 */
import type { FileSummary, NamedDescriptor } from "../core/content.ts";
import { hasCode, RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { decodeHaveMap } from "../core/have_map.ts";
import { type Timings, timings, UPLOAD_QUEUE } from "../core/limits.ts";
import type { Source } from "../storage/download.ts";
import { type Address, formatAddress, formatPeer } from "./address.ts";
import { type Channel, wireError } from "./channel.ts";
import type { MessageOf } from "./protocol.ts";
import type { Trust } from "./membership.ts";
import { proofOf, stalled } from "./peer_tls.ts";
import { connect } from "./transport.ts";

/**
 * The certificate the tracker lists for the peer at `addr`, when it has an ID and the tracker
 * can be asked: the connection then runs on the faster peer TLS (`peer_tls.ts`). Otherwise
 * (typed by hand, the tracker away, a peer that once left that TLS's handshake hanging)
 * `undefined`: `node:tls`, which checks the ID itself.
 */
async function listedCert(addr: Address, trust: Trust): Promise<string | undefined> {
  if (addr.id === undefined || !trust.certOf || stalled(addr.id)) return undefined;
  try {
    return await trust.certOf(addr.id);
  } catch {
    return undefined; // Left the tracker, or the tracker is away: the ID is still checked.
  }
}

/**
 * Connects over TLS (to the identity the tracker listed, when `addr.id` says which) and greets,
 * each side showing its membership; a peer that is not a member is refused. When `signal`
 * aborts (the caller no longer needs this peer), the connection is closed at once, whatever it
 * was waiting for.
 */
export async function open(
  addr: Address,
  trust: Trust,
  tm: Timings,
  signal?: AbortSignal,
): Promise<Channel> {
  const network = trust.network;
  if (!network) {
    throw new RedeError("UNREACHABLE", t("peer.notAdmitted"));
  }
  const ch = await connect(addr, "peer", {
    creds: trust.creds,
    peerCert: await listedCert(addr, trust),
    timeoutMs: tm.connectMs,
    writeMs: tm.stallMs,
    signal,
  });
  const stop = () => ch.close();
  signal?.addEventListener("abort", stop, { once: true });
  try {
    if (signal?.aborted) throw new RedeError("CANCELLED", t("net.notNeeded"));
    const theirs = await ch.greet("client", "peer", tm.helloMs, {
      member: network.mine,
      ...proofOf(trust.creds, ch.peerId!),
    });
    if (!network.check(theirs.member, ch.peerId)) {
      throw new RedeError("IDENTITY", t("peer.notMember", { address: formatAddress(addr) }));
    }
    return ch;
  } catch (err) {
    ch.close();
    throw err;
  } finally {
    signal?.removeEventListener("abort", stop);
  }
}

/** The files another peer shares (any whose name is unsafe left out). */
export async function listFiles(
  addr: Address,
  trust: Trust,
  over?: Partial<Timings>,
): Promise<FileSummary[]> {
  const tm = timings(over);
  const ch = await open(addr, trust, tm);
  try {
    return (await ch.request({ t: "list" }, "file_list", tm.replyMs)).files;
  } finally {
    ch.close();
  }
}

/**
 * The descriptor of a file another peer shares, by name or by content.
 *
 * @param signal Aborting it closes the connection and fails the call at once.
 * @throws {RedeError} `BAD_PEER` when the descriptor is malformed or inconsistent (the gate),
 * or not the one asked for.
 */
export async function describe(
  addr: Address,
  what: { name: string } | { root: string },
  trust: Trust,
  over?: Partial<Timings>,
  signal?: AbortSignal,
): Promise<NamedDescriptor> {
  const tm = timings(over);
  const ch = await open(addr, trust, tm, signal);
  const stop = () => ch.close();
  signal?.addEventListener("abort", stop, { once: true });
  const peer = formatPeer(addr);
  try {
    const reply = await ch.request({ t: "describe", ...what }, "descriptor", tm.replyMs);
    const { t: _, ...desc } = reply;
    if ("name" in what && desc.name !== what.name) {
      throw new RedeError("BAD_PEER", t("peer.badDescriptorName", { peer }));
    }
    if ("root" in what && desc.root !== what.root) {
      throw new RedeError("BAD_PEER", t("peer.badDescriptorContent", { peer }));
    }
    return desc;
  } finally {
    signal?.removeEventListener("abort", stop);
    ch.close();
  }
}

/** What a source holds of a content of `total` chunks: all of it, or a part. */
export interface Held {
  total: number;
  whole: boolean;
}

/**
 * A connection to one peer that serves chunks of one content. Time spent queued at a busy peer
 * (it sends `queued` notices) does not count against `chunkMs`: between notices it may last
 * `queueMs`. A peer that answers `BUSY` fails with `BUSY`, for the downloader to try it later.
 */
export class PeerSource implements Source {
  readonly label: string;
  #ch: Channel;
  #root: string;
  #t: Timings;
  /** The header of the next chunk, read by {@link ready} ahead of its bytes. */
  #head?: MessageOf<"chunk_data">;
  /**
   * Asks for the peer's have-map (only defined when the chunk count was given): what a holder in
   * part has (each answer adds to it), or the chunks a whole holder suggests (each answer
   * replaces them). Returns the chunks not known before.
   */
  readonly haves?: () => Promise<number[]>;
  readonly has?: (index: number) => boolean;
  /** A holder of the whole content: its have-map is only a suggestion; it serves any chunk. */
  readonly whole: boolean;

  private constructor(ch: Channel, addr: Address, root: string, tm: Timings, held?: Held) {
    this.#ch = ch;
    this.#root = root;
    this.#t = tm;
    this.label = formatPeer(addr);
    this.whole = held?.whole ?? true;
    if (held === undefined) return;
    let have = new Set<number>();
    this.has = (i) => have.has(i);
    this.haves = async () => {
      await ch.send({ t: "have", root });
      const m = await ch.expect("have_map", tm.replyMs);
      if (m.root !== root) {
        throw new RedeError("BAD_PEER", t("peer.otherHaveMap", { peer: this.label }));
      }
      const map = decodeHaveMap(m.map, held.total);
      const fresh = [...map].filter((i) => !have.has(i));
      if (held.whole) have = map;
      else for (const i of fresh) have.add(i);
      return fresh;
    };
  }

  /**
   * Opens a source; aborting `signal` while it opens closes the connection at once. `held`: the
   * content's chunk count and whether the peer holds it whole, for a source asked for its
   * have-map (a holder in part must be; a whole one then suggests chunks).
   */
  static async open(
    addr: Address,
    root: string,
    trust: Trust,
    over?: Partial<Timings>,
    signal?: AbortSignal,
    held?: Held,
  ): Promise<PeerSource> {
    const tm = timings(over);
    try {
      return new PeerSource(await open(addr, trust, tm, signal), addr, root, tm, held);
    } catch (err) {
      throw busyAt(err, formatPeer(addr));
    }
  }

  async request(index: number): Promise<void> {
    await this.#ch.send({ t: "chunk", root: this.#root, index });
  }

  /**
   * Waits for the next chunk's header, telling `onQueued` of every place in the queue meanwhile.
   * Only a place better than the last one gives the request `queueMs` more: a queue that does
   * not move is a stall like any other.
   */
  async ready(onQueued?: (position: number) => void): Promise<void> {
    let deadline = performance.now() + this.#t.chunkMs;
    let place = Infinity;
    while (this.#head === undefined) {
      const m = await this.#ch.recv(Math.max(1, deadline - performance.now()));
      if (m === null) {
        throw new RedeError("CLOSED", t("peer.closedConnection", { peer: this.label }));
      }
      if (m.t === "queued" && m.root === this.#root) {
        // No queue is longer than UPLOAD_QUEUE: a larger place is a lie meant to hold us.
        if (m.position > UPLOAD_QUEUE || m.position < 1) {
          throw new RedeError("BAD_PEER", t("peer.badQueuePlace", { peer: this.label }));
        }
        if (m.position < place) {
          place = m.position;
          deadline = performance.now() + this.#t.queueMs;
          onQueued?.(m.position);
        }
        continue;
      }
      if (m.t === "error") throw busyAt(wireError(m), this.label);
      if (m.t !== "chunk_data" || m.root !== this.#root) {
        throw new RedeError("BAD_PEER", t("peer.unexpectedReply", { peer: this.label, type: m.t }));
      }
      this.#head = m;
    }
  }

  async receive(
    buf: Uint8Array,
    onBytes?: (n: number) => void,
  ): Promise<{ index: number; size: number }> {
    await this.ready();
    const head = this.#head!;
    this.#head = undefined;
    if (head.size > buf.length) {
      throw new RedeError("BAD_PEER", t("peer.unexpectedChunk", { peer: this.label }));
    }
    await this.#ch.readRaw(buf.subarray(0, head.size), this.#t.chunkMs, onBytes);
    return { index: head.index, size: head.size };
  }

  close(): void {
    this.#ch.close();
  }
}

/** A `BUSY` from a peer, saying which peer; any other error as it is. */
function busyAt(err: unknown, label: string): unknown {
  if (!hasCode(err, "BUSY")) return err;
  return new RedeError("BUSY", t("peer.busy", { peer: label, message: err.message }), {
    cause: err,
  });
}
