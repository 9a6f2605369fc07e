/**
 * Transport: the only code that calls `Deno.listen` and `Deno.connect`, and the {@link Channel}
 * that carries framed messages (and raw file bytes) over one TCP connection.
 */
import { RedeError } from "./errors.ts";
import { printable } from "../storage/names.ts";
import { encodeFrame, FrameReader, writeAll } from "./framing.ts";
import { CONNECT_TIMEOUT_MS, HELLO_TIMEOUT_MS, PROTOCOL_APP, PROTOCOL_VERSION } from "./limits.ts";
import {
  decodeMessage,
  encodeMessage,
  hello,
  type Message,
  type MessageOf,
  type MessageType,
  type Role,
} from "./protocol.ts";

/** A host and port; `host` is bare (no brackets) even for IPv6. */
export interface Address {
  host: string;
  port: number;
}

/** Formats an address as `host:port`, bracketing IPv6 hosts. */
export function formatAddress(a: Address): string {
  return a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/** Parses a port number; `undefined` when the text is not one. */
export function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * Parses `HOST`, `HOST:PORT`, `[IPv6]:PORT`, `[IPv6]` or a bare IPv6 address.
 *
 * @param text What the user typed.
 * @param defaultPort The port when none is given; `undefined` leaves it out.
 * @returns The host and, when known, the port.
 * @throws {RedeError} `BAD_REQUEST` for an empty host or a bad port.
 */
export function parseHostPort(
  text: string,
  defaultPort?: number,
): { host: string; port: number | undefined } {
  let host = text;
  let portText: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracket) {
    host = bracket[1];
    portText = bracket[2];
  } else if (text.split(":").length === 2) {
    [host, portText] = text.split(":");
  }
  if (host === "" || /\s/.test(host)) throw new RedeError("BAD_REQUEST", `Invalid host '${text}'`);
  if (portText === undefined) return { host, port: defaultPort };
  const port = parsePort(portText);
  if (port === undefined) {
    throw new RedeError("BAD_REQUEST", `Invalid port '${portText}' in '${text}'`);
  }
  return { host, port };
}

/** Turns an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) into the IPv4 address it maps. */
export function normalizeIp(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}

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
 * Connects to a host, giving up after {@link CONNECT_TIMEOUT_MS}.
 *
 * @throws {RedeError} `UNREACHABLE` with a one-line reason.
 */
export async function connect(addr: Address, what = "peer"): Promise<Deno.TcpConn> {
  const where = formatAddress(addr);
  const timeout = AbortSignal.timeout(CONNECT_TIMEOUT_MS);
  try {
    const conn = await Deno.connect({
      hostname: addr.host,
      port: addr.port,
      transport: "tcp",
      signal: timeout,
    });
    conn.setNoDelay(true);
    return conn;
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

/** Framed messages over one connection, with a deadline on every wait. */
export class Channel {
  readonly conn: Deno.Conn;
  readonly reader: FrameReader;
  readonly remote: Address;
  #closed = false;

  constructor(conn: Deno.Conn) {
    this.conn = conn;
    this.reader = new FrameReader(conn);
    const addr = conn.remoteAddr as Deno.NetAddr;
    this.remote = { host: normalizeIp(addr.hostname), port: addr.port };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends one message. */
  async send(msg: Message): Promise<void> {
    await writeAll(this.conn, encodeFrame(encodeMessage(msg)));
  }

  /** Sends an error reply, ignoring a connection already gone. */
  async sendError(err: RedeError): Promise<void> {
    try {
      await this.send({ t: "error", code: err.code, message: err.message });
    } catch {
      // The other side is gone; nothing to tell it.
    }
  }

  /**
   * Receives the next message.
   *
   * @param timeoutMs How long to wait; the connection is closed when it runs out.
   * @returns The message, or `null` when the other side closed cleanly.
   * @throws {RedeError} `TIMEOUT`, `CLOSED`, `BAD_FRAME` or `FRAME_TOO_LARGE`.
   */
  async recv(timeoutMs: number): Promise<Message | null> {
    const payload = await this.withDeadline(timeoutMs, () => this.reader.readFrame());
    return payload === null ? null : decodeMessage(payload);
  }

  /**
   * Receives a message of one type; an `error` reply becomes a thrown {@link RedeError}.
   *
   * @throws {RedeError} the remote error, or `BAD_REQUEST` for an unexpected message.
   */
  async expect<T extends MessageType>(type: T, timeoutMs: number): Promise<MessageOf<T>> {
    const msg = await this.recv(timeoutMs);
    if (msg === null) throw new RedeError("CLOSED", "Connection closed by the other side");
    if (msg.t === type) return msg as MessageOf<T>;
    if (msg.t === "error") throw new RedeError(msg.code, printable(msg.message).slice(0, 300));
    throw new RedeError("BAD_REQUEST", `Expected '${type}' but got '${msg.t}'`);
  }

  /**
   * Runs a read with a deadline: when it runs out the connection is closed, which ends the read.
   */
  async withDeadline<T>(timeoutMs: number, read: () => Promise<T>): Promise<T> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.close();
    }, timeoutMs);
    try {
      return await read();
    } catch (err) {
      if (timedOut) throw new RedeError("TIMEOUT", "The other side stopped answering");
      if (err instanceof RedeError) throw err;
      throw new RedeError("CLOSED", `Connection lost: ${(err as Error).message}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Client side of the handshake: send our hello, check theirs. */
  async greet(role: Role, expectRole: Role): Promise<void> {
    await this.send(hello(role));
    const theirs = await this.expect("hello", HELLO_TIMEOUT_MS);
    checkHello(theirs, expectRole);
  }

  /** Server side of the handshake: check their hello, answer with ours. */
  async accept(role: Role, allowed: readonly Role[]): Promise<MessageOf<"hello">> {
    const theirs = await this.expect("hello", HELLO_TIMEOUT_MS);
    checkHello(theirs, ...allowed);
    await this.send(hello(role));
    return theirs;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.conn.close();
    } catch {
      // Already closed by the runtime.
    }
  }
}

function checkHello(msg: MessageOf<"hello">, ...roles: Role[]): void {
  if (msg.app !== PROTOCOL_APP) {
    throw new RedeError("BAD_HELLO", `Not a rede-p2p endpoint (it says '${msg.app}')`);
  }
  if (msg.v !== PROTOCOL_VERSION) {
    throw new RedeError(
      "VERSION_MISMATCH",
      `Protocol version ${msg.v} is not supported (this is version ${PROTOCOL_VERSION})`,
    );
  }
  if (!roles.includes(msg.role)) {
    throw new RedeError("BAD_HELLO", `Expected a ${roles.join(" or ")}, found a ${msg.role}`);
  }
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

  constructor(opts: {
    host: string;
    port: number;
    maxConnections: number;
    handle: (ch: Channel) => Promise<void>;
    onError: (err: unknown, ch: Channel) => void;
  }) {
    this.#listener = listen(opts.host, opts.port);
    const addr = this.#listener.addr as Deno.NetAddr;
    this.address = { host: addr.hostname, port: addr.port };
    this.done = this.#serve(opts.maxConnections, opts.handle, opts.onError);
  }

  /** Stops accepting; connections being served end as their handlers return. */
  close(): void {
    try {
      this.#listener.close();
    } catch {
      // Already closed.
    }
  }

  async #serve(
    maxConnections: number,
    handle: (ch: Channel) => Promise<void>,
    onError: (err: unknown, ch: Channel) => void,
  ): Promise<void> {
    const open = new Set<Channel>();
    try {
      for await (const conn of this.#listener) {
        const ch = new Channel(conn);
        if (open.size >= maxConnections) {
          ch.sendError(new RedeError("BUSY", "Too many connections; try again later"))
            .finally(() => ch.close());
          continue;
        }
        open.add(ch);
        (async () => {
          try {
            await handle(ch);
          } catch (err) {
            onError(err, ch);
            if (err instanceof RedeError && !ch.closed && err.code !== "CLOSED") {
              await ch.sendError(err);
            }
          } finally {
            ch.close();
            open.delete(ch);
          }
        })();
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.BadResource)) throw err;
    } finally {
      for (const ch of open) ch.close();
    }
  }
}
