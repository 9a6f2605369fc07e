/**
 * Transport: the only code that calls `Deno.listen` and `Deno.connect`. A {@link Server}
 * accepts connections and hands each, as a {@link Channel}, to its handler.
 */
import { hasCode, RedeError } from "../core/errors.ts";
import { type Address, formatAddress, sourceKey } from "./address.ts";
import { Channel } from "./channel.ts";

/**
 * Opens a TCP listener.
 *
 * @throws {RedeError} `UNREACHABLE` with a clear line when the port is taken or not allowed.
 */
export function listen(host: string, port: number): Deno.TcpListener {
  try {
    return Deno.listen({ hostname: host, port, transport: "tcp" });
  } catch (err) {
    const where = formatAddress({ host, port });
    if (err instanceof Deno.errors.AddrInUse) {
      throw new RedeError("UNREACHABLE", `Port ${port} is already in use (${where})`, {
        cause: err,
      });
    }
    if (err instanceof Deno.errors.AddrNotAvailable) {
      throw new RedeError("UNREACHABLE", `Cannot listen on ${where}: no such local address`, {
        cause: err,
      });
    }
    if (err instanceof Deno.errors.PermissionDenied) {
      throw new RedeError("UNREACHABLE", `Not allowed to listen on ${where}`, { cause: err });
    }
    throw new RedeError("UNREACHABLE", `Cannot listen on ${where}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * Connects to a host and wraps the connection in a channel.
 *
 * @param what What is at the other end, for the error line (`peer`, `tracker`).
 * @param timeoutMs How long the connect may take.
 * @param writeMs How long a write may stay blocked on the channel.
 * @throws {RedeError} `UNREACHABLE` with a one-line reason.
 */
export async function connect(
  addr: Address,
  what: string,
  timeoutMs: number,
  writeMs?: number,
): Promise<Channel> {
  const where = formatAddress(addr);
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const conn = await Deno.connect({
      hostname: addr.host,
      port: addr.port,
      transport: "tcp",
      signal: timeout,
    });
    conn.setNoDelay(true);
    return Channel.fromConn(conn, { writeMs });
  } catch (err) {
    let reason = (err as Error).message;
    if (err instanceof Deno.errors.ConnectionRefused) reason = "connection refused";
    else if (err instanceof Deno.errors.ConnectionReset) reason = "connection reset";
    else if (timeout.aborted) reason = "no answer";
    else if (/lookup|resolve|not known|dns/i.test(reason)) reason = "unknown host";
    throw new RedeError("UNREACHABLE", `Cannot reach ${what} at ${where}: ${reason}`, {
      cause: err,
    });
  }
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
  /** Serves one connection; when it returns or throws, the connection is closed. */
  handle: (ch: Channel) => Promise<void>;
  /** Hears of a handler that failed; the client is told, if it still listens. */
  onError: (err: unknown, ch: Channel) => void;
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
  #listener: Deno.TcpListener;
  #open = new Set<Channel>();

  constructor(opts: ServerOptions) {
    this.#listener = listen(opts.host, opts.port);
    const addr = this.#listener.addr as Deno.NetAddr;
    this.address = { host: addr.hostname, port: addr.port };
    this.done = this.#serve(opts);
  }

  /** Connections open now (refused ones included until they are closed). */
  get connections(): number {
    return this.#open.size;
  }

  /** Stops accepting; connections being served end as their handlers return. */
  close(): void {
    try {
      this.#listener.close();
    } catch {
      // Already closed.
    }
  }

  async #serve(opts: ServerOptions): Promise<void> {
    const open = this.#open;
    const running = new Set<Promise<void>>();
    try {
      for await (const conn of this.#listener) {
        const ch = Channel.fromConn(conn, {
          writeMs: opts.writeMs,
          maxFrameBytes: opts.maxFrameBytes,
        });
        const busy = admit(ch, open, opts);
        open.add(ch);
        const run = (async () => {
          try {
            if (busy) throw new RedeError("BUSY", busy);
            await opts.handle(ch);
          } catch (err) {
            opts.onError(err, ch);
            if (!ch.closed && !hasCode(err, "CLOSED")) await ch.sendError(err);
          } finally {
            ch.close();
            open.delete(ch);
          }
        })();
        running.add(run);
        run.finally(() => running.delete(run));
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.BadResource)) throw err;
    } finally {
      for (const ch of open) ch.close();
      await Promise.all(running);
    }
  }
}

/** Why a newcomer is refused, or `undefined` to serve it (having closed a connection for it). */
function admit(ch: Channel, open: Set<Channel>, opts: ServerOptions): string | undefined {
  const ip = sourceKey(ch.remote.host);
  if (opts.maxPerIp !== undefined) {
    let mine = 0;
    for (const other of open) if (sourceKey(other.remote.host) === ip) mine++;
    if (mine >= opts.maxPerIp && !makeRoom(open, opts.evict?.(ip))) {
      return "Too many connections from your address; try again later";
    }
  }
  if (open.size < opts.maxConnections || makeRoom(open, opts.evict?.())) return undefined;
  return "Too many connections; try again later";
}

/** Closes `victim` to make room; false when there is none. */
function makeRoom(open: Set<Channel>, victim: Channel | undefined): boolean {
  if (victim === undefined || !open.has(victim)) return false;
  open.delete(victim);
  victim.close();
  return true;
}
