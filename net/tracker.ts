/**
 * The tracker side: keeps the list of connected peers, keyed by (address seen, listening port).
 * A peer leaves the list when it says bye, when its connection drops, and when it misses
 * `heartbeatMisses` heartbeats in a row. What happens is told as {@link TrackerEvent}s; the
 * tracker itself prints nothing.
 *
 * Whatever clients send, it stays within its bounds (docs/PROTOCOL.md, Tracker limits): frames
 * of at most `TRACKER_MAX_FRAME_BYTES`, `TRACKER_CONNECTIONS_PER_IP` connections per source
 * address, and a state ({@link TrackerState}) with bounded peers, files and bytes. A live
 * registration can only be replaced by its own connection or by a reconnect that shows the
 * token the tracker handed it. Names are unique on the network (`peer_names.ts`).
 */
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import { hasCode, RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import {
  MAX_HOLDERS,
  MAX_PEER_LIST,
  type Timings,
  timings,
  TRACKER_CONNECTIONS_PER_IP,
  TRACKER_MAX_CONNECTIONS,
  TRACKER_MAX_FILES_PER_PEER,
  TRACKER_MAX_FRAME_BYTES,
  TRACKER_MAX_PEERS,
  TRACKER_REFUSED_FRAME_WORK as REFUSED_FRAME_WORK,
  TRACKER_WORK_BURST,
  TRACKER_WORK_PER_SECOND,
  TRACKER_WORK_TICKET as WORK_TICKET,
} from "../core/limits.ts";
import { type Address, formatAddress, normalizeIp, sourceKey } from "./address.ts";
import { ReachBack } from "./tracker_reach.ts";
import type { Channel } from "./channel.ts";
import type { FoundFile, Holder, Message, MessageOf, MessageType, PeerInfo } from "./protocol.ts";
import { type BudgetClock, IpBudget } from "./ip_budget.ts";
import { mayTake, PeerNames, Reservations } from "./peer_names.ts";
import { type PeerRecord, type StateLimits, TrackerState } from "./tracker_state.ts";
import type { Credentials } from "./secure.ts";
import { TrackerGate } from "./tracker_gate.ts";
import { PartialHoldings } from "./tracker_partials.ts";
import { Server } from "./transport.ts";

/** Something that happened at the tracker. */
export type TrackerEvent =
  | { kind: "join"; key: string; name: string; files: number }
  | { kind: "leave"; key: string; name: string; reason: string }
  | { kind: "heartbeat"; key: string }
  | { kind: "refused"; client: Address; reason: string }
  | { kind: "error"; client: Address; error: unknown };

export interface TrackerOptions {
  host: string;
  port: number;
  /** The tracker's identity, shown in TLS and signing memberships. */
  creds: Credentials;
  /** The join code of a private network; `undefined` for an open one. */
  code?: string;
  /** The network's number (`membership.ts`), kept by a restarted tracker; new when absent. */
  net?: string;
  /** The clock that times the slow-down of wrong codes (tests move it). */
  gateClock?: () => number;
  /** Hears every event (joins, leaves, heartbeats, refusals, failed clients). */
  onEvent?: (e: TrackerEvent) => void;
  /** `heartbeatMs` is the interval peers are told to keep; `heartbeatMisses` how many may miss. */
  timings?: Partial<Timings>;
  /** Bounds of the state; `core/limits.ts` unless given (tests use small ones). */
  limits?: Partial<StateLimits>;
  /** Work per source address (`TRACKER_WORK_*` unless given) and its clock, for tests. */
  work?: { perSecond?: number; burst?: number; clock?: BudgetClock };
}

/** What the tracker knows of one connection. */
interface Conn {
  ch: Channel;
  /** The peer it registered, if it did. */
  rec?: PeerRecord;
  /** Why it will leave, when it does. */
  reason: string;
  done: boolean;
  /** The work of this connection's last `find`, taken before its reply is sent. */
  findWork: number;
}

type Handlers = { [T in MessageType]?: (c: Conn, m: MessageOf<T>) => Promise<void> | void };

/** A running tracker. */
export class Tracker {
  #server!: Server;
  #gate: TrackerGate;
  #state: TrackerState;
  #conns = new Map<PeerRecord, Conn>();
  /** The connection of each registered identity (`cert_of` answers with its certificate). */
  #byId = new Map<string, Conn>();
  #partials = new PartialHoldings<PeerRecord>();
  #perIp = new Map<string, number>();
  /** Keys whose connection was lost moments ago: only that peer may take them back for now. */
  #vacated = new Reservations(TRACKER_MAX_PEERS);
  #names = new PeerNames(TRACKER_MAX_PEERS);
  #work: IpBudget;
  #t: Timings;
  #emit: (e: TrackerEvent) => void;

  /** One handler per message a tracker answers. */
  #reach = new ReachBack();
  #handlers: Handlers = {
    register: (c, m) => this.#register(c, m),
    heartbeat: (c) => {
      if (c.rec) this.#emit({ kind: "heartbeat", key: c.rec.key });
    },
    announce: (c, m) => {
      if (!c.rec || this.#state.get(c.rec.key) !== c.rec) return;
      // No reply to an announce: a refused one keeps the old list and is logged.
      const why = m.files.length > TRACKER_MAX_FILES_PER_PEER
        ? tooManyFiles(m.files.length)
        : this.#state.announce(c.rec, m.files);
      if (why) this.#emit({ kind: "refused", client: c.ch.remote, reason: why });
    },
    find: (c, m) => {
      const results = this.find(m.text);
      c.findWork = this.#state.lastFindWork; // Before the send: another find may run meanwhile.
      return c.ch.send({ t: "found", results });
    },
    partials: (c, m) => c.rec && this.#partials.set(c.rec, m.list), // No reply.
    who_has: (c, m) => c.ch.send({ t: "holders", root: m.root, peers: this.holders(m.root) }),
    reach: async (c, m) => { // Only ever to the asker's own address (net/tracker_reach.ts).
      const ip = normalizeIp(c.ch.remote.host);
      const seen = await this.#reach.check(sourceKey(c.ch.remote.host), ip, m.port);
      await c.ch.send({ t: "reached", ip, port: m.port, ...seen, time: Date.now() });
    },
    cert_of: (c, m) => { // Not known (any more): the asker is told; its connection goes on.
      const cert = this.#byId.get(m.id)?.ch.peerCert;
      if (!cert) return c.ch.sendError(new RedeError("NOT_FOUND", t("tracker.noSuchPeer")));
      return c.ch.send({ t: "cert", id: m.id, cert: Buffer.from(cert).toString("base64") });
    },
    peers: (c) => c.ch.send({ t: "peer_list", peers: this.peers(), total: this.#state.size }),
    bye: (c) => {
      c.reason = "quit";
      c.done = true;
    },
  };

  private constructor(opts: TrackerOptions) {
    this.#gate = new TrackerGate({
      creds: opts.creds,
      code: opts.code,
      net: opts.net,
      now: opts.gateClock,
    });
    this.#t = timings(opts.timings);
    this.#emit = opts.onEvent ?? (() => {});
    this.#state = new TrackerState(opts.limits);
    this.#work = new IpBudget({
      perSecond: opts.work?.perSecond ?? TRACKER_WORK_PER_SECOND,
      burst: opts.work?.burst ?? TRACKER_WORK_BURST,
      maxAddresses: TRACKER_MAX_CONNECTIONS,
      clock: opts.work?.clock,
    });
  }

  /**
   * Starts a tracker listening on `opts.host:opts.port`.
   *
   * @throws {RedeError} `UNREACHABLE` when it cannot listen there.
   */
  static async start(opts: TrackerOptions): Promise<Tracker> {
    const t = new Tracker(opts);
    t.#server = await Server.open({
      host: opts.host,
      port: opts.port,
      creds: opts.creds,
      helloMs: t.#t.helloMs,
      maxConnections: TRACKER_MAX_CONNECTIONS,
      maxFrameBytes: TRACKER_MAX_FRAME_BYTES,
      writeMs: t.#t.stallMs,
      handle: (ch) => t.#handle(ch),
      onError: (error, ch) => {
        if (!hasCode(error, "CLOSED", "TIMEOUT")) {
          t.#emit({ kind: "error", client: ch.remote, error });
        }
      },
    });
    return t;
  }

  /** The network's number (drawn at the start; see `membership.ts`). */
  get net(): string {
    return this.#gate.signer.net;
  }

  /** Wrong join codes tried since the start. */
  get codeFailures(): number {
    return this.#gate.failures;
  }

  get address(): Address {
    return this.#server.address;
  }

  /** Connections open now. */
  get connections(): number {
    return this.#server.connections;
  }

  /** Settles once the tracker is closed and every connection has ended. */
  get done(): Promise<void> {
    return this.#server.done;
  }

  /** Accounted bytes of state held now (see {@link TrackerState}). */
  get stateBytes(): number {
    return this.#state.bytes;
  }

  /** How many times a connection waited for its address's work budget. */
  get throttled(): number {
    return this.#work.waits;
  }

  /** Names the last `find` examined (its work, at most `FIND_WORK`). */
  get lastFindWork(): number {
    return this.#state.lastFindWork;
  }

  /** The peers now connected, sorted by address and port (at most `MAX_PEER_LIST`). */
  peers(): PeerInfo[] {
    return this.#state.peers();
  }

  /** Files whose name contains `text` (any case), one row per content, with who holds it. */
  find(text: string): FoundFile[] {
    return this.#state.find(text);
  }

  /** The peers that announced a content, then those that hold it in part. */
  holders(root: string): Holder[] {
    return this.#partials.holders(root, this.#state.holders(root), MAX_HOLDERS);
  }

  /** Stops accepting, drops every connection. */
  close(): void {
    this.#server.close();
    for (const c of this.#conns.values()) c.ch.close();
  }

  async #register(c: Conn, m: MessageOf<"register">): Promise<void> {
    const ip = c.ch.remote.host;
    const key = formatAddress({ host: ip, port: m.port });
    const refuse = (code: "BUSY" | "TAKEN" | "BAD_REQUEST", reason: string) => {
      this.#emit({ kind: "refused", client: c.ch.remote, reason });
      return c.ch.sendError(new RedeError(code, reason));
    };
    if (m.files.length > TRACKER_MAX_FILES_PER_PEER) {
      return await refuse("BAD_REQUEST", tooManyFiles(m.files.length));
    }
    // The same connection registering another port gives up the one it had.
    if (c.rec && c.rec.key !== key) this.#remove(c, "re-registered");
    const live = this.#state.get(key);
    // The same peer is its identity, or (a reconnect) the token it was handed.
    const who = { id: c.ch.peerId!, token: m.token };
    const same = (r: { id: string; token: string }) => mayTake(r, who);
    if (live && live !== c.rec && !same(live)) {
      return await refuse(
        "TAKEN",
        `${key} is registered by another live connection; only that peer may replace it`,
      );
    }
    const vacated = live ? undefined : this.#vacated.get(key);
    if (vacated !== undefined && !same(vacated)) {
      return await refuse(
        "TAKEN",
        `${key} was registered until moments ago; only that peer may take it back for now`,
      );
    }
    const why = this.#state.refusal(ip, m.files, live);
    if (why) return await refuse("BUSY", why);
    if (live) {
      // The peer itself (this connection, or a reconnect with its token): the old entry goes.
      const old = this.#conns.get(live);
      this.#state.remove(live);
      this.#names.release(live.name);
      this.#conns.delete(live);
      if (old && old !== c) {
        old.rec = undefined;
        old.ch.close();
      }
    }
    this.#vacated.delete(key);
    const name = this.#names.claim(m.name, who);
    const token = randomBytes(16).toString("hex");
    const rec = this.#state.add({ key, ip, port: m.port, id: c.ch.peerId!, name, token }, m.files);
    c.rec = rec;
    this.#conns.set(rec, c);
    this.#byId.set(rec.id, c);
    this.#emit({ kind: "join", key, name, files: rec.files.length });
    await c.ch.send({
      t: "registered",
      ip,
      port: m.port,
      name,
      token,
      heartbeat_ms: this.#t.heartbeatMs,
    });
  }

  async #handle(ch: Channel): Promise<void> {
    const ip = sourceKey(ch.remote.host); // Counts, work: by source (an IPv6 host by its /64).
    const open = (this.#perIp.get(ip) ?? 0) + 1;
    this.#perIp.set(ip, open);
    const c: Conn = { ch, reason: "connection lost", done: false, findWork: 0 };
    try {
      if (open > TRACKER_CONNECTIONS_PER_IP) {
        throw new RedeError(
          "BUSY",
          t("tracker.tooManyConnections", { ip, max: TRACKER_CONNECTIONS_PER_IP }),
        );
      }
      if (!(await this.#work.ready(ip, () => ch.closed, 0))) return;
      await this.#gate.admit(ch, ip, this.#t.helloMs);
      while (!c.done) {
        // An address that used its share of the tracker waits; its bytes wait in TCP buffers.
        if (!(await this.#work.ready(ip, () => ch.closed, WORK_TICKET))) return;
        // A registered peer must show it is alive; anyone else may idle longer.
        const wait = c.rec ? this.#t.heartbeatMs * this.#t.heartbeatMisses : this.#t.idleMs;
        let m: Message | null;
        try {
          m = await ch.recv(wait);
        } catch (err) {
          if (hasCode(err, "TIMEOUT") && c.rec) c.reason = "missed heartbeats";
          const refused = !hasCode(err, "TIMEOUT", "CLOSED");
          this.#work.charge(ip, (refused ? REFUSED_FRAME_WORK : 0) - WORK_TICKET);
          throw err;
        }
        if (m === null) return this.#work.charge(ip, -WORK_TICKET);
        const handler = this.#handlers[m.t] as
          | ((c: Conn, m: Message) => Promise<void> | void)
          | undefined;
        if (!handler) {
          throw new RedeError("BAD_REQUEST", t("tracker.unexpected", { type: m.t }));
        }
        await handler(c, m);
        this.#work.charge(ip, this.#workOf(m, c) - WORK_TICKET);
      }
    } finally {
      if (c.rec) this.#remove(c, c.reason);
      const left = this.#perIp.get(ip)! - 1;
      if (left === 0) this.#perIp.delete(ip);
      else this.#perIp.set(ip, left);
    }
  }

  /** The work units a message cost (see `TRACKER_WORK_PER_SECOND`). */
  #workOf(m: Message, c: Conn): number {
    switch (m.t) {
      case "register":
      case "announce":
        return 100 + 4 * m.files.length;
      case "find":
        return 100 + c.findWork / 10;
      case "peers":
        return 100 + Math.min(this.#state.size, MAX_PEER_LIST) / 2;
      case "reach": // A connection opened elsewhere: dearer than any lookup.
        return 1_000;
      default:
        return 100;
    }
  }

  #remove(c: Conn, reason: string): void {
    const rec = c.rec;
    c.rec = undefined;
    if (!rec || this.#state.get(rec.key) !== rec) return;
    this.#state.remove(rec);
    this.#partials.drop(rec);
    this.#conns.delete(rec);
    if (this.#byId.get(rec.id) === c) this.#byId.delete(rec.id);
    if (reason !== "quit" && reason !== "re-registered") {
      // Lost, not gone: for a while only this peer takes its key and its name back.
      const until = Date.now() + this.#t.heartbeatMs * this.#t.heartbeatMisses;
      this.#vacated.reserve(rec.key, rec, until);
      this.#names.keep(rec.name, rec, until);
    } else this.#names.release(rec.name);
    this.#emit({ kind: "leave", key: rec.key, name: rec.name, reason });
  }
}

function tooManyFiles(n: number): string {
  return t("tracker.tooManyFiles", { listed: n, max: TRACKER_MAX_FILES_PER_PEER });
}
