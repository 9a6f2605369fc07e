/**
 * The tracker side: keeps the list of connected peers, keyed by (address seen, listening port).
 * A peer leaves the list when it says bye, when its connection drops, and when it misses
 * {@link HEARTBEAT_MISSES} heartbeats in a row.
 */
import { errorLine, RedeError } from "./errors.ts";
import {
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_MISSES,
  IDLE_TIMEOUT_MS,
  MAX_PEER_NAME_CHARS,
  TRACKER_MAX_CONNECTIONS,
} from "./limits.ts";
import type { FileSummary, FoundFile, PeerAddress, PeerInfo } from "./protocol.ts";
import { type Address, type Channel, formatAddress, Server } from "./transport.ts";
import { printable, sharePathProblem } from "../storage/names.ts";

export interface TrackerOptions {
  host: string;
  port: number;
  /** Interval peers are told to send heartbeats at. */
  heartbeatMs?: number;
  /** Receives one line per event (join, leave, errors). */
  log: (line: string) => void;
}

interface Entry {
  info: PeerInfo;
  files: FileSummary[];
  channel: Channel;
}

/** Most search results returned for one `find`. */
const MAX_FOUND = 200;

/** A running tracker. */
export class Tracker {
  #server: Server;
  #peers = new Map<string, Entry>();
  #heartbeatMs: number;
  #log: (line: string) => void;

  constructor(opts: TrackerOptions) {
    this.#heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_INTERVAL_MS;
    this.#log = opts.log;
    this.#server = new Server({
      host: opts.host,
      port: opts.port,
      maxConnections: TRACKER_MAX_CONNECTIONS,
      handle: (ch) => this.#handle(ch),
      onError: (err, ch) => {
        if (!(err instanceof RedeError && (err.code === "CLOSED" || err.code === "TIMEOUT"))) {
          this.#log(`client ${formatAddress(ch.remote)}: ${errorLine(err)}`);
        }
      },
    });
  }

  get address(): Address {
    return this.#server.address;
  }

  /** Settles once the tracker is closed. */
  get done(): Promise<void> {
    return this.#server.done;
  }

  /** The peers now connected, sorted by address and port. */
  peers(): PeerInfo[] {
    return [...this.#peers.values()].map((e) => e.info).sort((a, b) =>
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
    await ch.accept("tracker", ["peer", "client"]);
    let key: string | undefined;
    let reason = "connection lost";
    try {
      while (true) {
        const timeout = key ? this.#heartbeatMs * HEARTBEAT_MISSES : IDLE_TIMEOUT_MS;
        let msg;
        try {
          msg = await ch.recv(timeout);
        } catch (err) {
          if (err instanceof RedeError && err.code === "TIMEOUT") reason = "missed heartbeats";
          throw err;
        }
        if (msg === null) return;
        switch (msg.t) {
          case "register": {
            if (key) this.#remove(key, ch, "re-registered");
            key = formatAddress({ host: ch.remote.host, port: msg.port });
            const old = this.#peers.get(key);
            if (old) {
              // The same peer coming back on a new connection: the old one is stale.
              this.#peers.delete(key);
              old.channel.close();
            }
            const name = printable(msg.name).slice(0, MAX_PEER_NAME_CHARS) || "?";
            const info = { ip: ch.remote.host, port: msg.port, name, files: msg.files.length };
            const files = validFiles(msg.files);
            info.files = files.length;
            this.#peers.set(key, { info, files, channel: ch });
            const n = files.length;
            this.#log(`join  ${key} "${name}" (${n} file${n === 1 ? "" : "s"})`);
            await ch.send({
              t: "registered",
              ip: info.ip,
              port: info.port,
              heartbeat_ms: this.#heartbeatMs,
            });
            break;
          }
          case "heartbeat":
            break;
          case "announce": {
            const entry = key ? this.#peers.get(key) : undefined;
            if (entry?.channel === ch) {
              entry.files = validFiles(msg.files);
              entry.info.files = entry.files.length;
            }
            break;
          }
          case "find":
            await ch.send({ t: "found", results: this.find(msg.text) });
            break;
          case "who_has":
            await ch.send({ t: "holders", root: msg.root, peers: this.holders(msg.root) });
            break;
          case "peers":
            await ch.send({ t: "peer_list", peers: this.peers() });
            break;
          case "bye":
            reason = "quit";
            return;
          default:
            throw new RedeError("BAD_REQUEST", `Unexpected message '${msg.t}' for a tracker`);
        }
      }
    } finally {
      if (key) this.#remove(key, ch, reason);
    }
  }

  #remove(key: string, ch: Channel, reason: string): void {
    const entry = this.#peers.get(key);
    if (entry?.channel !== ch) return;
    this.#peers.delete(key);
    this.#log(`leave ${key} "${entry.info.name}" (${reason})`);
  }
}

/** Only names that are safe to use as paths are listed to others. */
function validFiles(files: FileSummary[]): FileSummary[] {
  return files.filter((f) => sharePathProblem(f.name) === undefined);
}
