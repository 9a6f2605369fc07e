/**
 * Transport: the only code that calls `Deno.listen` and `Deno.connect`. A {@link Server}
 * accepts connections and hands each, as a {@link Channel}, to its handler.
 */
import { hasCode, RedeError } from "../core/errors.ts";
import { type Address, formatAddress } from "./address.ts";
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
 * connections beyond `maxConnections` with `BUSY`. One handler failing never touches the others.
 */
export class Server {
  readonly address: Address;
  /** Settles once the server is closed and every connection has ended. */
  readonly done: Promise<void>;
  #listener: Deno.TcpListener;

  constructor(opts: ServerOptions) {
    this.#listener = listen(opts.host, opts.port);
    const addr = this.#listener.addr as Deno.NetAddr;
    this.address = { host: addr.hostname, port: addr.port };
    this.done = this.#serve(opts);
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
    const open = new Set<Channel>();
    const running = new Set<Promise<void>>();
    try {
      for await (const conn of this.#listener) {
        const ch = Channel.fromConn(conn, {
          writeMs: opts.writeMs,
          maxFrameBytes: opts.maxFrameBytes,
        });
        const busy = open.size >= opts.maxConnections;
        open.add(ch);
        const run = (async () => {
          try {
            if (busy) throw new RedeError("BUSY", "Too many connections; try again later");
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
