/**
 * The tracker side: keeps the list of connected peers, keyed by (address seen, listening port).
 * A peer leaves the list when it says bye, when its connection drops, and when it misses
 * `heartbeatMisses` heartbeats in a row. What happens is told as {@link TrackerEvent}s; the
 * tracker itself prints nothing.
 */
import type { FileSummary } from "../core/content.ts";
import { hasCode, RedeError } from "../core/errors.ts";
import {
  MAX_FOUND,
  MAX_PEER_NAME_CHARS,
  type Timings,
  timings,
  TRACKER_MAX_CONNECTIONS,
} from "../core/limits.ts";
import { remoteText } from "../core/terminal.ts";
import { type Address, formatAddress } from "./address.ts";
import type { Channel } from "./channel.ts";
import type {
  FoundFile,
  Message,
  MessageOf,
  MessageType,
  PeerAddress,
  PeerInfo,
} from "./protocol.ts";
import { Server } from "./transport.ts";

/** Something that happened at the tracker. */
export type TrackerEvent =
  | { kind: "join"; key: string; name: string; files: number }
  | { kind: "leave"; key: string; name: string; reason: string }
  | { kind: "heartbeat"; key: string }
  | { kind: "error"; client: Address; error: unknown };

export interface TrackerOptions {
  host: string;
  port: number;
  /** Hears every event (joins, leaves, heartbeats, failed clients). */
  onEvent?: (e: TrackerEvent) => void;
  /** `heartbeatMs` is the interval peers are told to keep; `heartbeatMisses` how many may miss. */
  timings?: Partial<Timings>;
}

interface Entry {
  info: PeerInfo;
  files: FileSummary[];
  channel: Channel;
}

/** What the tracker knows of one connection. */
interface Conn {
  ch: Channel;
  /** The peer it registered, if it did. */
  key?: string;
  /** Why it will leave, when it does. */
  reason: string;
  done: boolean;
}

type Handlers = { [T in MessageType]?: (c: Conn, m: MessageOf<T>) => Promise<void> | void };

/** A running tracker. */
export class Tracker {
  #server: Server;
  #peers = new Map<string, Entry>();
  #t: Timings;
  #emit: (e: TrackerEvent) => void;

  /** One handler per message a tracker answers. */
  #handlers: Handlers = {
    register: async (c, m) => {
      if (c.key) this.#remove(c.key, c.ch, "re-registered");
      const key = formatAddress({ host: c.ch.remote.host, port: m.port });
      c.key = key;
      const old = this.#peers.get(key);
      if (old) {
        // The same peer coming back on a new connection: the old one is stale.
        this.#peers.delete(key);
        old.channel.close();
      }
      const name = remoteText(m.name, MAX_PEER_NAME_CHARS) || "?";
      const info = { ip: c.ch.remote.host, port: m.port, name, files: m.files.length };
      this.#peers.set(key, { info, files: m.files, channel: c.ch });
      this.#emit({ kind: "join", key, name, files: m.files.length });
      await c.ch.send({
        t: "registered",
        ip: info.ip,
        port: info.port,
        heartbeat_ms: this.#t.heartbeatMs,
      });
    },
    heartbeat: (c) => {
      if (c.key) this.#emit({ kind: "heartbeat", key: c.key });
    },
    announce: (c, m) => {
      const entry = c.key ? this.#peers.get(c.key) : undefined;
      if (entry?.channel === c.ch) {
        entry.files = m.files;
        entry.info.files = m.files.length;
      }
    },
    find: (c, m) => c.ch.send({ t: "found", results: this.find(m.text) }),
    who_has: (c, m) => c.ch.send({ t: "holders", root: m.root, peers: this.holders(m.root) }),
    peers: (c) => c.ch.send({ t: "peer_list", peers: this.peers() }),
    bye: (c) => {
      c.reason = "quit";
      c.done = true;
    },
  };

  constructor(opts: TrackerOptions) {
    this.#t = timings(opts.timings);
    this.#emit = opts.onEvent ?? (() => {});
    this.#server = new Server({
      host: opts.host,
      port: opts.port,
      maxConnections: TRACKER_MAX_CONNECTIONS,
      writeMs: this.#t.stallMs,
      handle: (ch) => this.#handle(ch),
      onError: (error, ch) => {
        if (!hasCode(error, "CLOSED", "TIMEOUT")) {
          this.#emit({ kind: "error", client: ch.remote, error });
        }
      },
    });
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

  /** The peers now connected, sorted by address and port. */
  peers(): PeerInfo[] {
    return [...this.#peers.values()].map((e) => ({ ...e.info })).sort((a, b) =>
      a.ip.localeCompare(b.ip) || a.port - b.port
    );
  }

  /**
   * Files whose name contains `text` (any case), one row per content, with who holds it.
   */
  find(text: string): FoundFile[] {
    const needle = text.toLowerCase();
    const byRoot = new Map<string, FoundFile>();
    for (const e of this.#peers.values()) {
      for (const f of e.files) {
        if (!f.name.toLowerCase().includes(needle)) continue;
        const row = byRoot.get(f.root) ?? { ...f, peers: [] };
        row.peers.push({ ip: e.info.ip, port: e.info.port });
        byRoot.set(f.root, row);
      }
    }
    return [...byRoot.values()]
      .sort((a, b) => b.peers.length - a.peers.length || a.name.localeCompare(b.name))
      .slice(0, MAX_FOUND);
  }

  /** The peers that announced a content. */
  holders(root: string): PeerAddress[] {
    const out: PeerAddress[] = [];
    for (const e of this.#peers.values()) {
      if (e.files.some((f) => f.root === root)) out.push({ ip: e.info.ip, port: e.info.port });
    }
    return out;
  }

  /** Stops accepting, drops every connection. */
  close(): void {
    this.#server.close();
    for (const e of this.#peers.values()) e.channel.close();
  }

  async #handle(ch: Channel): Promise<void> {
    await ch.accept("tracker", ["peer", "client"], this.#t.helloMs);
    const c: Conn = { ch, reason: "connection lost", done: false };
    try {
      while (!c.done) {
        // A registered peer must show it is alive; anyone else may idle longer.
        const wait = c.key ? this.#t.heartbeatMs * this.#t.heartbeatMisses : this.#t.idleMs;
        let m: Message | null;
        try {
          m = await ch.recv(wait);
        } catch (err) {
          if (hasCode(err, "TIMEOUT") && c.key) c.reason = "missed heartbeats";
          throw err;
        }
        if (m === null) return;
        const handler = this.#handlers[m.t] as
          | ((c: Conn, m: Message) => Promise<void> | void)
          | undefined;
        if (!handler) {
          throw new RedeError("BAD_REQUEST", `Unexpected message '${m.t}' for a tracker`);
        }
        await handler(c, m);
      }
    } finally {
      if (c.key) this.#remove(c.key, ch, c.reason);
    }
  }

  #remove(key: string, ch: Channel, reason: string): void {
    const entry = this.#peers.get(key);
    if (entry?.channel !== ch) return;
    this.#peers.delete(key);
    this.#emit({ kind: "leave", key, name: entry.info.name, reason });
  }
}
