/**
 * Transport: the only code that listens and connects. Every connection runs over TLS 1.3: with
 * certificates both ways to a tracker (`secure.ts`); to a peer, with the listener's certificate
 * checked by the client's TLS and the client's identity proved in its hello (`peer_tls.ts`). A
 * {@link Server} accepts connections and hands each, as a {@link Channel}, to its handler.
 */
import * as nodeNet from "node:net";
import { hasCode, RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { MAX_FRAME_BYTES } from "../core/limits.ts";
import { formatId } from "../storage/identity.ts";
import { type Address, formatAddress, normalizeIp, sourceKey } from "./address.ts";
import { Channel, type Link } from "./channel.ts";
import { connectPeerTls, noteStalled, PeerLink, PeerTlsError } from "./peer_tls.ts";
import {
  type Credentials,
  HandshakeTimeout,
  secureAccept,
  secureConnect,
  serverContext,
  type TlsLink,
} from "./secure.ts";

/** How a listen failed, in one line. */
function listenError(err: unknown, host: string, port: number): RedeError {
  const where = formatAddress({ host, port });
  const code = (err as { code?: string }).code;
  const why = code === "EADDRINUSE"
    ? t("net.listen.inUse", { port, address: where })
    : code === "EADDRNOTAVAIL"
    ? t("net.listen.noAddress", { address: where })
    : code === "EACCES" || err instanceof Deno.errors.PermissionDenied
    ? t("net.listen.denied", { address: where })
    : t("net.listen.other", { address: where, detail: (err as Error).message });
  return new RedeError("UNREACHABLE", why, { cause: err });
}

/** Opens a TCP listener; settles once it listens. */
function listen(server: nodeNet.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (err: Error) => reject(listenError(err, host, port));
    server.once("error", failed);
    try {
      server.listen({ host, port }, () => {
        server.removeListener("error", failed);
        resolve();
      });
    } catch (err) {
      failed(err as Error);
    }
  });
}

export interface ConnectOptions {
  /** This side's identity, shown in TLS. */
  creds: Credentials;
  /** How long the connect and the TLS handshake may take. */
  timeoutMs: number;
  /** How long a write may stay blocked on the channel. */
  writeMs?: number;
  /** Aborting it stops the connect or handshake at once. */
  signal?: AbortSignal;
  /**
   * The ID the other side must have (a listed peer, a pinned tracker; `addr.id` unless given);
   * a certificate with another is refused with `IDENTITY`.
   */
  expectId?: string;
  /**
   * A peer's certificate (PEM, as the tracker listed it): the connection runs on the peer TLS
   * of `peer_tls.ts`, and a listener that does not show this certificate is refused with
   * `IDENTITY`. The client then proves its own identity in its hello.
   */
  peerCert?: string;
}

/** What is at the other end of a connection, for its error lines. */
export type Far = "peer" | "tracker";

/** Why the `what` at `address` cannot be reached, in one line. */
function unreachable(what: Far, address: string, reason: string, cause: unknown): RedeError {
  const text = what === "peer"
    ? t("net.reach.peer", { address, reason })
    : t("net.reach.tracker", { address, reason });
  return new RedeError("UNREACHABLE", text, { cause });
}

/** A connection to a peer listener (see {@link ConnectOptions.peerCert}). */
async function connectPeer(addr: Address, what: Far, opts: ConnectOptions): Promise<Channel> {
  const where = formatAddress(addr);
  try {
    const conn = await connectPeerTls(
      addr.host,
      addr.port,
      opts.peerCert!,
      opts.timeoutMs,
      opts.signal,
    );
    return new Channel(new PeerLink(conn), addr, {
      writeMs: opts.writeMs,
      peerId: opts.expectId ?? addr.id,
    });
  } catch (err) {
    const kind = err instanceof PeerTlsError ? err.kind : "other";
    const id = opts.expectId ?? addr.id;
    if (err instanceof PeerTlsError && err.lingers && id !== undefined) noteStalled(id);
    if (kind === "cancelled" || opts.signal?.aborted) {
      throw new RedeError("CANCELLED", t("net.notNeeded"), { cause: err });
    }
    if (kind === "identity") {
      const expected = opts.expectId ?? addr.id;
      const said = { address: where, id: expected === undefined ? "?" : formatId(expected, true) };
      throw new RedeError(
        "IDENTITY",
        what === "peer" ? t("net.hidesId.peer", said) : t("net.hidesId.tracker", said),
        { cause: err },
      );
    }
    const reason = kind === "timeout"
      ? t("net.reason.noAnswer")
      : kind === "refused"
      ? t("net.reason.refused")
      : kind === "reset"
      ? t("net.reason.reset")
      : t("net.reason.noTls", { detail: (err as Error).message });
    throw unreachable(what, where, reason, err);
  }
}

/**
 * Connects over TLS to a host and wraps the connection in a channel.
 *
 * @param what What is at the other end, for the error line (`peer`, `tracker`).
 * @throws {RedeError} `UNREACHABLE` with a one-line reason; `IDENTITY` when the other side's
 * certificate is not `expectId`.
 */
export async function connect(addr: Address, what: Far, opts: ConnectOptions): Promise<Channel> {
  if (opts.peerCert !== undefined) return connectPeer(addr, what, opts);
  const where = formatAddress(addr);
  let link: TlsLink;
  let peerId: string;
  try {
    ({ link, peerId } = await secureConnect(
      addr.host,
      addr.port,
      opts.creds,
      opts.timeoutMs,
      opts.signal,
    ));
  } catch (err) {
    const code = (err as { code?: string }).code;
    let reason = (err as Error).message;
    if (opts.signal?.aborted) {
      throw new RedeError("CANCELLED", t("net.notNeeded"), { cause: err });
    }
    if (code === "ECONNREFUSED") reason = t("net.reason.refused");
    else if (code === "ECONNRESET") reason = t("net.reason.reset");
    else if (err instanceof HandshakeTimeout) reason = t("net.reason.noAnswer");
    else if (code === "ENOTFOUND" || code === "EAI_AGAIN" || /lookup|not known/i.test(reason)) {
      reason = t("net.reason.unknownHost");
    } else reason = t("net.reason.noTls", { detail: reason });
    throw unreachable(what, where, reason, err);
  }
  const expected = opts.expectId ?? addr.id;
  if (expected !== undefined && peerId !== expected) {
    link.close();
    const said = {
      address: where,
      id: formatId(peerId, true),
      expected: formatId(expected, true),
    };
    throw new RedeError(
      "IDENTITY",
      what === "peer" ? t("net.otherId.peer", said) : t("net.otherId.tracker", said),
    );
  }
  const peerCert = link.socket.getPeerCertificate(true).raw;
  return new Channel(link, addr, { writeMs: opts.writeMs, peerId, peerCert });
}

export interface ServerOptions {
  host: string;
  port: number;
  maxConnections: number;
  /** Connections served at once from one IP address; more are refused with `BUSY`. */
  maxPerIp?: number;
  /**
   * When every connection is taken (`ip` absent), or every one `ip` may have, names one to close
   * to make room for the newcomer (the one idle longest, say); `undefined` refuses the newcomer
   * with `BUSY`.
   */
  evict?: (ip?: string) => Channel | undefined;
  /** How long a write to a client may stay blocked. */
  writeMs: number;
  /** Largest frame accepted from a client (default `MAX_FRAME_BYTES`). */
  maxFrameBytes?: number;
  /** This side's identity, shown in TLS. */
  creds: Credentials;
  /** How long a client may take to finish TLS. */
  helloMs: number;
  /**
   * A peer listener: a client may come without a certificate in TLS (the runtime's TLS cannot
   * show one, `peer_tls.ts`) and prove its identity in its hello, which `handle` checks
   * (`ch.peerId` is unset until then).
   */
  peerTls?: boolean;
  /** Serves one connection; when it returns or throws, the connection is closed. */
  handle: (ch: Channel) => Promise<void>;
  /** Hears of a handler that failed; the client is told, if it still listens. */
  onError: (err: unknown, ch: Channel) => void;
}

/** A connection accepted and not yet through TLS. */
interface Incoming {
  remote: Address;
  /** Finishes TLS (within the server's `helloMs`). */
  secure(): Promise<{ link: Link; peerId?: string; peerCert?: Uint8Array }>;
  drop(): void;
}

/**
 * A TCP server: accepts connections until closed, runs `handle` for each, and refuses
 * connections beyond `maxConnections` (or `maxPerIp` from one address) with `BUSY`, unless
 * `evict` makes room. One handler failing never touches the others.
 */
export class Server {
  readonly address: Address;
  /** Settles once the server is closed and every connection has ended. */
  readonly done: Promise<void>;
  #stop: () => void;
  #open = new Set<Channel>();
  /** Connections still in their TLS handshake, by source. */
  #handshakes = new Map<string, number>();
  /** All of them. */
  #handshaking = 0;
  #running = new Set<Promise<void>>();
  #stopping = false;

  private constructor(address: Address, stop: (closed: () => void) => void) {
    this.address = address;
    let closed!: () => void;
    const stopped = new Promise<void>((resolve) => (closed = resolve));
    this.#stop = () => {
      this.#stopping = true;
      stop(closed);
      // The listener's close waits for every connection to end: end them now.
      for (const ch of this.#open) ch.close();
    };
    this.done = stopped.then(async () => {
      while (this.#running.size > 0) await Promise.all(this.#running);
    });
  }

  /**
   * Listens on `opts.host:opts.port` (0: any free port).
   *
   * @throws {RedeError} `UNREACHABLE` with a clear line when the port is taken or not allowed.
   */
  static async open(opts: ServerOptions): Promise<Server> {
    const server = nodeNet.createServer();
    await listen(server, opts.host, opts.port);
    const addr = server.address() as nodeNet.AddressInfo;
    const s = new Server(
      { host: normalizeIp(addr.address), port: addr.port },
      (closed) => server.close(() => closed()),
    );
    const ctx = serverContext(opts.creds);
    // A client never needs more in flight than one frame and a little: more is refused.
    const maxQueued = (opts.maxFrameBytes ?? MAX_FRAME_BYTES) + (1 << 20);
    server.on("connection", (socket: nodeNet.Socket) => {
      socket.setNoDelay(true);
      socket.on("error", () => {}); // Seen (and handled) as a closed link.
      s.#accept({
        remote: { host: normalizeIp(socket.remoteAddress ?? "?"), port: socket.remotePort ?? 0 },
        secure: async () => {
          const { link, peerId } = await secureAccept(socket, ctx, opts.helloMs, maxQueued);
          return { link, peerId, peerCert: link.socket.getPeerCertificate(true)?.raw };
        },
        drop: () => socket.destroy(),
      }, opts);
    });
    return s;
  }

  /** Connections open now (refused ones included until they are closed). */
  get connections(): number {
    return this.#open.size;
  }

  /** Stops accepting and closes every connection; `done` settles once their handlers return. */
  close(): void {
    this.#stop();
  }

  #accept(incoming: Incoming, opts: ServerOptions): void {
    const remote = incoming.remote;
    const ip = sourceKey(remote.host);
    const shaking = this.#handshakes.get(ip) ?? 0;
    // A handshake costs CPU and memory before anything is known of the client: bounded too.
    const max = opts.maxConnections;
    if (shaking >= (opts.maxPerIp ?? max) || this.#handshaking >= max) {
      incoming.drop();
      return;
    }
    this.#handshakes.set(ip, shaking + 1);
    this.#handshaking++;
    const run = (async () => {
      let ch: Channel;
      try {
        const { link, peerId, peerCert } = await incoming.secure();
        ch = new Channel(link, remote, {
          writeMs: opts.writeMs,
          maxFrameBytes: opts.maxFrameBytes,
          peerId,
          peerCert,
        });
      } catch {
        incoming.drop();
        return; // Not TLS, or gone: nothing to tell.
      } finally {
        this.#handshaking--;
        const left = this.#handshakes.get(ip)! - 1;
        if (left === 0) this.#handshakes.delete(ip);
        else this.#handshakes.set(ip, left);
      }
      const open = this.#open;
      const busy = admit(ch, open, opts);
      open.add(ch);
      try {
        if (this.#stopping) throw new RedeError("CLOSED", t("net.closing"));
        if (busy) throw new RedeError("BUSY", busy);
        if (ch.peerId === undefined && !opts.peerTls) {
          throw new RedeError("BAD_HELLO", t("net.certRequired"));
        }
        await opts.handle(ch);
      } catch (err) {
        opts.onError(err, ch);
        if (!ch.closed && !hasCode(err, "CLOSED")) await ch.sendError(err);
      } finally {
        ch.close();
        open.delete(ch);
      }
    })();
    this.#running.add(run);
    run.finally(() => this.#running.delete(run));
  }
}

/** Why a newcomer is refused, or `undefined` to serve it (having closed a connection for it). */
function admit(ch: Channel, open: Set<Channel>, opts: ServerOptions): string | undefined {
  const ip = sourceKey(ch.remote.host);
  if (opts.maxPerIp !== undefined) {
    let mine = 0;
    for (const other of open) if (sourceKey(other.remote.host) === ip) mine++;
    if (mine >= opts.maxPerIp && !makeRoom(open, opts.evict?.(ip))) {
      return t("net.busyFromYou");
    }
  }
  if (open.size < opts.maxConnections || makeRoom(open, opts.evict?.())) return undefined;
  return t("net.busy");
}

/** Closes `victim` to make room; false when there is none. */
function makeRoom(open: Set<Channel>, victim: Channel | undefined): boolean {
  if (victim === undefined || !open.has(victim)) return false;
  open.delete(victim);
  victim.close();
  return true;
}
