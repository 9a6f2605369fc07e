/**
 * The serving side of a peer: answers `list`, `describe` and `chunk` from what it shares. It
 * calls up through {@link SharedContent} and never touches a path: only contents the share holds
 * can be asked for, by name or root. Uploads take one of a few slots (the rest wait in a queue,
 * told their place) and may be held to a rate limit.
 *
 * No client can lock it: one address has a few connections and upload slots at most; only an
 * answered request keeps a connection open (refusals do not, and many in a row close it); a
 * client that does not read what it asked for is cut off after `sendMs`; and when every
 * connection is taken, the one that has gone longest without an answer (and holds no upload
 * slot or place in the queue) is closed to make room for a newcomer.
 */
import type { FileSummary, NamedDescriptor } from "../core/content.ts";
import { errorLine, hasCode, RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import {
  MAX_CHUNK_BYTES,
  NON_READER_PENALTY_MS,
  PEER_MAX_CONNECTIONS,
  PEER_MAX_CONNECTIONS_PER_IP,
  PEER_MAX_REFUSALS,
  RATE_SLICE_BYTES,
  type Timings,
  timings,
  UPLOAD_SLOTS,
} from "../core/limits.ts";
import { type Address, formatAddress, normalizeIp, sourceKey } from "./address.ts";
import type { Channel } from "./channel.ts";
import type { Message, MessageOf, MessageType } from "./protocol.ts";
import type { Trust } from "./membership.ts";
import { provenId } from "./peer_tls.ts";
import { Server } from "./transport.ts";
import { UploadGate } from "./upload_gate.ts";
import { Uploads } from "./uploads.ts";

/** What a peer serves: its share index, or anything that answers like one. */
export interface SharedContent {
  /** Looks at the share again (a `list` shows what is there now). */
  refresh(): Promise<unknown>;
  list(): FileSummary[];
  describe(name: string): Promise<NamedDescriptor>;
  describeRoot(root: string): Promise<NamedDescriptor>;
  /**
   * Refuses at once, without touching the disk, a chunk the share cannot have: an unknown root
   * (`NOT_FOUND`) or an index past its end (`BAD_REQUEST`); so such a request never queues.
   */
  checkChunk?(root: string, index: number): void;
  /** Reads chunk `index` of the content `root` into `buf`; returns its length. */
  readChunk(root: string, index: number, buf: Uint8Array): Promise<number>;
  /**
   * The have-map of `root` (`core/have_map.ts`) for the peer at address `from`: what it holds of
   * a content held in part, the chunks it suggests of one held whole; `NOT_FOUND` when it is not
   * here at all.
   */
  haveMap?(root: string, from: string): Promise<string>;
}

export interface PeerServerOptions {
  host: string;
  port: number;
  /**
   * This peer's identity (shown in TLS) and network: only clients with a membership of that
   * network are served (`NOT_MEMBER` otherwise, and before the tracker admitted this peer).
   */
  trust: Trust;
  content: SharedContent;
  /** Most bytes per second sent, across all uploads; unlimited when absent. */
  maxUploadRate?: number;
  /** One line per notable event (refused requests); `undefined` to stay quiet. */
  log?: (line: string) => void;
  timings?: Partial<Timings>;
}

/** Refusals answered with an error while the connection goes on. */
const REFUSALS = ["BAD_NAME", "NOT_FOUND", "BUSY", "BAD_REQUEST"] as const;

/**
 * Request handlers by message type. A handler answers on `ch` (the client's ID, checked a
 * member, is `ch.peerId`); a thrown `RedeError` among the refusals below is sent to the client
 * and the connection goes on.
 */
export type Handlers = {
  [T in MessageType]?: (ch: Channel, m: MessageOf<T>) => Promise<void>;
};

/** What the server knows of one connection it serves. */
interface Conn {
  /** When it was accepted. */
  since: number;
  /** When a request of it was last answered (or it was accepted). */
  answered: number;
  /** Whether it holds an upload slot or waits for one. */
  uploading: boolean;
  /** Whether a request of it is being answered (an offer waiting for its answer, a hand-in). */
  busy: boolean;
  /** Aborts once the connection is closed: a request waiting for a slot gives up. */
  closed: AbortSignal;
  /**
   * The client's next message, read while one of its requests waits in the upload queue: the
   * server keeps reading then, so that a client that hangs up is noticed and loses its place.
   */
  next?: Promise<Message | null>;
}

/** A running peer listener. */
export class PeerServer {
  #server!: Server;
  #trust: Trust;
  #content: SharedContent;
  #gate: UploadGate;
  /** Who downloads what from this peer now. */
  readonly uploads: Uploads;
  #conns = new Map<Channel, Conn>();
  #buffers: Uint8Array[] = [];
  #log: (line: string) => void;
  #t: Timings;

  /** One handler per request a peer answers. */
  #handlers: Handlers = {
    list: async (ch) => {
      await this.#content.refresh();
      await ch.send({ t: "file_list", files: this.#content.list() });
    },
    describe: async (ch, m) => {
      if (m.root === undefined && m.name === undefined) {
        throw new RedeError("BAD_REQUEST", t("peer.describeNeeds"));
      }
      const desc = m.root !== undefined
        ? await this.#content.describeRoot(m.root)
        : await this.#content.describe(m.name!);
      await ch.send({ t: "descriptor", ...desc });
    },
    chunk: (ch, m) => this.#sendChunk(ch, m.root, m.index),
    have: async (ch, m) => {
      if (!this.#content.haveMap) throw new RedeError("BAD_REQUEST", t("peer.noHaveMaps"));
      const map = await this.#content.haveMap(m.root, ch.remote.host);
      await ch.send({ t: "have_map", root: m.root, map });
    },
  };

  private constructor(opts: PeerServerOptions) {
    this.#content = opts.content;
    this.#trust = opts.trust;
    this.#log = opts.log ?? (() => {});
    this.#t = timings(opts.timings);
    this.#gate = new UploadGate(UPLOAD_SLOTS, opts.maxUploadRate);
    this.uploads = new Uploads(this.#t.uploadIdleMs);
  }

  /**
   * Starts a listener on `opts.host:opts.port` (0: any free port).
   *
   * @throws {RedeError} `UNREACHABLE` when it cannot listen there.
   */
  static async start(opts: PeerServerOptions): Promise<PeerServer> {
    const p = new PeerServer(opts);
    p.#server = await Server.open({
      host: opts.host,
      port: opts.port,
      creds: opts.trust.creds,
      peerTls: true,
      helloMs: p.#t.helloMs,
      maxConnections: PEER_MAX_CONNECTIONS,
      maxPerIp: PEER_MAX_CONNECTIONS_PER_IP,
      evict: (ip) => p.#idlest(ip),
      writeMs: p.#t.sendMs,
      handle: (ch) => p.#handle(ch),
      onError: (err, ch) => {
        if (!hasCode(err, "CLOSED")) {
          p.#log(
            t("peer.log.failed", { address: formatAddress(ch.remote), message: errorLine(err) }),
          );
        }
      },
    });
    return p;
  }

  get address(): Address {
    return this.#server.address;
  }

  /**
   * Answers more requests (features above this layer, such as push and hand-in, add theirs).
   * A type it answers already is never replaced.
   */
  extend(handlers: Handlers): void {
    for (const [name, h] of Object.entries(handlers)) {
      const type = name as MessageType;
      if (this.#handlers[type] !== undefined) {
        throw new RedeError("INTERNAL", t("peer.answersAlready", { type }));
      }
      (this.#handlers as Record<string, unknown>)[type] = h;
    }
  }

  /** Connections open now. */
  get connections(): number {
    return this.#server.connections;
  }

  /** Settles once the listener is closed and every connection has ended. */
  get done(): Promise<void> {
    return this.#server.done;
  }

  close(): void {
    this.#server.close();
  }

  async #handle(ch: Channel): Promise<void> {
    const closed = new AbortController();
    const now = performance.now();
    const conn: Conn = {
      since: now,
      answered: now,
      uploading: false,
      busy: false,
      closed: closed.signal,
    };
    this.#conns.set(ch, conn);
    ch.done.then(() => closed.abort());
    try {
      await ch.accept("peer", ["client", "peer"], this.#t.helloMs, (theirs) => {
        const network = this.#trust.network;
        // Its certificate in TLS (`node:tls` clients), or else the proof in its hello.
        ch.peerId ??= provenId(theirs, this.#trust.creds.fingerprint);
        if (!network?.check(theirs.member, ch.peerId)) {
          throw new RedeError("NOT_MEMBER", t("peer.notOurMember"));
        }
        return { member: network.mine };
      });
      await this.#serve(ch, conn);
    } finally {
      this.#conns.delete(ch);
    }
  }

  /**
   * Answers requests until the client leaves. Only an answered request renews the idle deadline:
   * refusals do not, and {@link PEER_MAX_REFUSALS} in a row close the connection.
   */
  async #serve(ch: Channel, conn: Conn): Promise<void> {
    let deadline = performance.now() + this.#t.idleMs;
    let refusals = 0;
    while (true) {
      try {
        const left = deadline - performance.now();
        if (left <= 0) throw new RedeError("TIMEOUT", t("peer.idle"));
        // A whole frame naming an unsafe file is refused here (BAD_NAME), like a request.
        const next = conn.next;
        conn.next = undefined;
        const m = await (next ?? ch.recv(left));
        if (m === null) return;
        const handler = this.#handlers[m.t] as
          | ((ch: Channel, m: Message) => Promise<void>)
          | undefined;
        if (!handler) throw new RedeError("BAD_REQUEST", t("peer.unexpected", { type: m.t }));
        conn.busy = true;
        await handler(ch, m).finally(() => (conn.busy = false));
        refusals = 0;
        conn.answered = performance.now();
        deadline = conn.answered + this.#t.idleMs;
      } catch (err) {
        // A refused request is the client's business: answer, keep the connection.
        if (!hasCode(err, ...REFUSALS) || ch.closed) throw err;
        this.#log(
          t("peer.log.refused", { address: formatAddress(ch.remote), message: err.message }),
        );
        await ch.sendError(err);
        if (++refusals >= PEER_MAX_REFUSALS) {
          throw new RedeError("BAD_REQUEST", t("peer.refusedInARow", { count: refusals }));
        }
      }
    }
  }

  /**
   * The connection to close for a newcomer when every one (from `ip`, if given) is taken: of
   * those older than `graceMs` and neither uploading nor queued, the one whose last answer is
   * oldest.
   */
  #idlest(ip?: string): Channel | undefined {
    const now = performance.now();
    let found: Channel | undefined;
    let oldest = Infinity;
    for (const [ch, conn] of this.#conns) {
      if (conn.uploading || conn.busy || now - conn.since < this.#t.graceMs) continue;
      if (ip !== undefined && sourceKey(ch.remote.host) !== ip) continue;
      if (conn.answered < oldest) {
        found = ch;
        oldest = conn.answered;
      }
    }
    if (found) this.#log(t("peer.log.evicted", { address: formatAddress(found.remote) }));
    return found;
  }

  /**
   * Reads the client's next message while its request waits for a slot (once per wait). End of
   * stream or a broken connection closes the channel, which withdraws the waiting request; a
   * message is kept for the request loop, a refusal too. The read may take `idleMs` beyond the
   * longest a downloader waits in a queue.
   */
  #readAhead(ch: Channel, conn: Conn): void {
    if (conn.next) return;
    const next = ch.recv(this.#t.queueMs + this.#t.idleMs);
    conn.next = next;
    const gone = () => {
      this.#log(t("peer.log.hungUp", { address: formatAddress(ch.remote) }));
      ch.close();
    };
    next.then((m) => m === null && gone(), (err) => !hasCode(err, ...REFUSALS) && gone());
  }

  /** Closes a connection whose write failed; one that did not read puts its address last. */
  #cut(ch: Channel, err: unknown): void {
    if (hasCode(err, "TIMEOUT")) {
      this.#gate.penalize(sourceKey(ch.remote.host), NON_READER_PENALTY_MS);
      this.#log(t("peer.log.cutOff", { address: formatAddress(ch.remote) }));
    }
    ch.close();
  }

  /**
   * Sends a chunk once a slot is free, telling the client its place in the queue meanwhile. Like
   * every write of this server, each slice of the bytes must be taken within `sendMs`.
   */
  async #sendChunk(ch: Channel, root: string, index: number): Promise<void> {
    this.#content.checkChunk?.(root, index);
    const conn = this.#conns.get(ch);
    if (conn) conn.uploading = true;
    const ticket = this.uploads.begin({ id: ch.peerId, host: normalizeIp(ch.remote.host) }, root);
    try {
      const release = await this.#gate.acquire(sourceKey(ch.remote.host), {
        signal: conn?.closed,
        onQueued: (position) => {
          if (conn) this.#readAhead(ch, conn);
          ch.send({ t: "queued", root, index, position }).catch((err) => this.#cut(ch, err));
        },
      });
      ticket.served();
      const buf = this.#buffers.pop() ?? new Uint8Array(MAX_CHUNK_BYTES);
      try {
        const n = await this.#content.readChunk(root, index, buf);
        try {
          await ch.send({ t: "chunk_data", root, index, size: n });
          for (let off = 0; off < n; off += RATE_SLICE_BYTES) {
            const part = buf.subarray(off, Math.min(n, off + RATE_SLICE_BYTES));
            await this.#gate.throttle(part.length, conn?.closed);
            await ch.writeRaw(part);
            ticket.sent(part.length);
          }
        } catch (err) {
          this.#cut(ch, err);
          throw err;
        }
      } finally {
        this.#buffers.push(buf);
        release();
      }
    } finally {
      ticket.end();
      if (conn) conn.uploading = false;
    }
  }
}
