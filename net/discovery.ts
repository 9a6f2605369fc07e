/**
 * Finding the tracker on the LAN (issue 11; docs/PROTOCOL.md, Discovery): a listener multicasts
 * a small query to {@link DISCOVERY_GROUP}, and every tracker that hears it answers, unicast,
 * with its port, ID, network name and access. The answer's source address is the tracker's
 * host. What an answer says is a hint only: the tracker's ID pinned for that address and the
 * join code still decide, when the peer connects.
 *
 * Every datagram is hostile: read only up to {@link MAX_DISCOVERY_BYTES}, strict UTF-8 and JSON,
 * every field checked, the network name made a safe name ({@link cleanPeerName}) before anyone
 * prints it, and both the datagrams a listener reads and the answers a tracker sends bounded.
 */
import dgram from "node:dgram";
import { Buffer } from "node:buffer";
import { errorLine, RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { cleanPeerName } from "../core/peer_name.ts";
import {
  DEFAULT_DISCOVERY_PORT,
  DISCOVERY_ANSWERS_PER_SECOND,
  DISCOVERY_ANSWERS_PER_SOURCE,
  DISCOVERY_GROUP,
  DISCOVERY_QUERY_AT,
  DISCOVERY_TTL,
  DISCOVERY_VERSION,
  MAX_DISCOVERED_TRACKERS,
  MAX_DISCOVERY_BYTES,
  MAX_DISCOVERY_DATAGRAMS,
  MAX_DISCOVERY_INTERFACES,
} from "../core/limits_discovery.ts";
import { normalizeIp } from "./address.ts";

/** What a tracker says of itself in an answer. */
export interface TrackerAd {
  /** Its TCP port. */
  port: number;
  /** Its ID: the SHA-256 of its certificate, 64 lowercase hex digits. */
  id: string;
  /** Its network's name, a peer-name-like word (`sala-12`). */
  network: string;
  /** Whether anyone may join (no join code). */
  open: boolean;
}

/** A tracker found: its answer, and the address the answer came from. */
export interface Discovered extends TrackerAd {
  host: string;
}

const APP = "rede-p2p";
const ID = /^[0-9a-f]{64}$/;

/** The query datagram. */
export function encodeQuery(): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ app: APP, v: DISCOVERY_VERSION, t: "query" }));
}

/** The answer datagram of a tracker. */
export function encodeAd(ad: TrackerAd): Uint8Array {
  const bytes = new TextEncoder().encode(JSON.stringify({
    app: APP,
    v: DISCOVERY_VERSION,
    t: "tracker",
    port: ad.port,
    id: ad.id,
    network: cleanPeerName(ad.network),
    access: ad.open ? "open" : "code",
  }));
  if (bytes.length > MAX_DISCOVERY_BYTES) throw new Error("discovery answer over its bound");
  return bytes;
}

/** A datagram as a JSON object of this application and version, or `undefined`. */
function readDatagram(buf: Uint8Array): Record<string, unknown> | undefined {
  if (buf.length === 0 || buf.length > MAX_DISCOVERY_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(buf));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  return o.app === APP && o.v === DISCOVERY_VERSION ? o : undefined;
}

/** Whether a datagram is a query. */
export function isQuery(buf: Uint8Array): boolean {
  return readDatagram(buf)?.t === "query";
}

/** A datagram as a tracker's answer, checked field by field, or `undefined`. */
export function parseAd(buf: Uint8Array): TrackerAd | undefined {
  const o = readDatagram(buf);
  if (o?.t !== "tracker") return undefined;
  const { port, id, network, access } = o;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) return;
  if (typeof id !== "string" || !ID.test(id)) return undefined;
  if (typeof network !== "string" || network.length === 0) return undefined;
  if (access !== "open" && access !== "code") return undefined;
  return { port, id, network: cleanPeerName(network), open: access === "open" };
}

/**
 * The machine's IPv4 addresses (loopback included), or none when they cannot be read (the
 * program may not: it never prompts for it).
 */
export function localIPv4s(): string[] {
  try {
    const may = Deno.permissions.querySync({ name: "sys", kind: "networkInterfaces" });
    if (may.state !== "granted") return [];
    const all = Deno.networkInterfaces().filter((i) => i.family === "IPv4").map((i) => i.address);
    return [...new Set(all)].slice(0, MAX_DISCOVERY_INTERFACES);
  } catch {
    return [];
  }
}

/** Whether `ip` is an IPv4 loopback address. */
function isLoopback(ip: string): boolean {
  return normalizeIp(ip).startsWith("127.");
}

/** Binds a UDP socket; rejects with the bind error. */
function bind(sock: dgram.Socket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => reject(err);
    sock.once("error", fail);
    sock.bind({ port, address: host, exclusive: false }, () => {
      sock.off("error", fail);
      resolve();
    });
  });
}

/** Sends one datagram; resolves once handed to the system, whether it went or not. */
function send(sock: dgram.Socket, data: Uint8Array, port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      sock.send(Buffer.from(data), port, host, (err) => resolve(!err));
    } catch {
      resolve(false);
    }
  });
}

/** Closes a socket, whatever state it is in. */
function closeSocket(sock: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      sock.close(() => resolve());
    } catch {
      resolve();
    }
  });
}

export interface ResponderOptions {
  /** The address the tracker is bound to: its interfaces are the ones answered on. */
  host: string;
  ad: TrackerAd;
  /** The UDP port of discovery; {@link DEFAULT_DISCOVERY_PORT} unless given. */
  port?: number;
  /** The multicast group; {@link DISCOVERY_GROUP} unless given. */
  group?: string;
}

/**
 * A tracker's side: answers every query heard on the interfaces of its address (every IPv4
 * interface when bound to `0.0.0.0` or `::`; loopback queries only when bound to loopback), at
 * most {@link DISCOVERY_ANSWERS_PER_SECOND} a second and {@link DISCOVERY_ANSWERS_PER_SOURCE}
 * to one source.
 */
export class DiscoveryResponder {
  readonly port: number;
  readonly group: string;
  #sock: dgram.Socket;
  #reply: dgram.Socket;
  #answer: Buffer;
  #loopbackOnly: boolean;
  #window = 0;
  #total = 0;
  #perSource = new Map<string, number>();

  private constructor(
    sock: dgram.Socket,
    reply: dgram.Socket,
    opts: ResponderOptions,
  ) {
    this.#sock = sock;
    this.#reply = reply;
    this.port = sock.address().port;
    this.group = opts.group ?? DISCOVERY_GROUP;
    this.#answer = Buffer.from(encodeAd(opts.ad));
    this.#loopbackOnly = isLoopback(opts.host);
    sock.on("message", (msg, rinfo) => this.#heard(msg, rinfo.address, rinfo.port));
  }

  /**
   * Starts answering.
   *
   * @throws {RedeError} `UNREACHABLE` when the tracker's address is IPv6 only, the port cannot
   *   be bound, or no interface joins the group: the tracker runs on without discovery.
   */
  static async start(opts: ResponderOptions): Promise<DiscoveryResponder> {
    const any = opts.host === "0.0.0.0" || opts.host === "::";
    if (!any && opts.host.includes(":")) {
      throw new RedeError("UNREACHABLE", t("discover.ipv6Only", { host: opts.host }));
    }
    const group = opts.group ?? DISCOVERY_GROUP;
    const sock = dgram.createSocket({ type: "udp4", reuseAddr: true });
    sock.on("error", () => {});
    let reply = sock;
    try {
      await bind(sock, opts.port ?? DEFAULT_DISCOVERY_PORT, "0.0.0.0");
      const addresses = any ? localIPv4s() : [opts.host];
      let joined = 0;
      for (const address of addresses.length ? addresses : ["0.0.0.0"]) {
        try {
          if (address === "0.0.0.0") sock.addMembership(group);
          else sock.addMembership(group, address);
          joined++;
        } catch {
          // That interface takes no multicast: the others may.
        }
      }
      if (joined === 0) throw new RedeError("UNREACHABLE", t("discover.noInterface"));
      if (!any) {
        // Answers leave from the tracker's own address, which is the one peers must reach.
        reply = dgram.createSocket({ type: "udp4" });
        reply.on("error", () => {});
        await bind(reply, 0, opts.host);
      }
    } catch (err) {
      await closeSocket(sock);
      if (reply !== sock) await closeSocket(reply);
      throw err instanceof RedeError
        ? err
        : new RedeError("UNREACHABLE", errorLine(err), { cause: err });
    }
    return new DiscoveryResponder(sock, reply, opts);
  }

  #heard(msg: Uint8Array, from: string, port: number): void {
    if (this.#loopbackOnly && !isLoopback(from)) return;
    if (!this.#allow(normalizeIp(from))) return;
    if (!isQuery(msg)) return;
    try {
      this.#reply.send(this.#answer, port, from);
    } catch {
      // Closed meanwhile, or the source is not reachable from here.
    }
  }

  /** Counts a datagram of `source` against the bounds of this second; whether to go on. */
  #allow(source: string): boolean {
    const second = Math.floor(performance.now() / 1000);
    if (second !== this.#window) {
      this.#window = second;
      this.#total = 0;
      this.#perSource.clear();
    }
    const n = this.#perSource.get(source) ?? 0;
    if (this.#total >= DISCOVERY_ANSWERS_PER_SECOND || n >= DISCOVERY_ANSWERS_PER_SOURCE) {
      return false;
    }
    this.#total++;
    this.#perSource.set(source, n + 1);
    return true;
  }

  /** Stops answering. */
  async close(): Promise<void> {
    await closeSocket(this.#sock);
    if (this.#reply !== this.#sock) await closeSocket(this.#reply);
  }
}

export interface DiscoverOptions {
  /** How long to listen (ms). */
  listenMs: number;
  /** The UDP port of discovery; {@link DEFAULT_DISCOVERY_PORT} unless given. */
  port?: number;
  /** The multicast group; {@link DISCOVERY_GROUP} unless given. */
  group?: string;
  /** The local IPv4 addresses whose interfaces are asked; every one ({@link localIPv4s}) else. */
  via?: string[];
  /** Ends the listening early (what was found so far is returned). */
  signal?: AbortSignal;
}

/**
 * Asks the LAN for trackers, and listens `listenMs` for their answers: at most
 * {@link MAX_DISCOVERED_TRACKERS} different ones (by address and port), the first answer of each
 * kept, at most {@link MAX_DISCOVERY_DATAGRAMS} datagrams read. Sorted by network, then address.
 */
export async function discover(opts: DiscoverOptions): Promise<Discovered[]> {
  const port = opts.port ?? DEFAULT_DISCOVERY_PORT;
  const group = opts.group ?? DISCOVERY_GROUP;
  const via = (opts.via ?? localIPv4s()).slice(0, MAX_DISCOVERY_INTERFACES);
  const found = new Map<string, Discovered>();
  let read = 0;
  const sock = dgram.createSocket({ type: "udp4" });
  sock.on("error", () => {});
  sock.on("message", (msg, rinfo) => {
    if (++read > MAX_DISCOVERY_DATAGRAMS || found.size >= MAX_DISCOVERED_TRACKERS) return;
    const ad = parseAd(msg);
    if (!ad) return;
    const host = normalizeIp(rinfo.address);
    const key = `${host}:${ad.port}`;
    if (!found.has(key)) found.set(key, { host, ...ad });
  });
  const timers: ReturnType<typeof setTimeout>[] = [];
  try {
    await bind(sock, 0, "0.0.0.0");
    sock.setMulticastTTL(DISCOVERY_TTL);
    const query = encodeQuery();
    const ask = async () => {
      // Interfaces unknown: the default one, and loopback for a tracker on this machine.
      for (const address of via.length ? via : [undefined, "127.0.0.1"]) {
        try {
          if (address !== undefined) sock.setMulticastInterface(address);
        } catch {
          continue; // Not an address of this machine any more.
        }
        await send(sock, query, port, group); // One at a time: each on its own interface.
      }
    };
    await new Promise<void>((resolve) => {
      const end = () => {
        opts.signal?.removeEventListener("abort", end);
        resolve();
      };
      opts.signal?.addEventListener("abort", end, { once: true });
      if (opts.signal?.aborted) end();
      let asking = Promise.resolve();
      for (const at of DISCOVERY_QUERY_AT) {
        timers.push(setTimeout(() => (asking = asking.then(ask)), at * opts.listenMs));
      }
      timers.push(setTimeout(() => asking.then(end), opts.listenMs));
    });
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await closeSocket(sock);
  }
  return [...found.values()].sort((a, b) =>
    a.network.localeCompare(b.network) || a.host.localeCompare(b.host) || a.port - b.port
  );
}
