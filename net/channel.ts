/**
 * A channel: framed messages, and the raw chunk bytes between them, over one connection that it
 * owns. Nobody else reads or writes the connection. Every wait has a deadline; when one runs out
 * the connection is closed, which ends whatever was waiting on it.
 *
 * Two ways to read, one at a time: a server (or a client that streams chunks) reads with
 * {@link Channel.recv} / {@link Channel.expect} / {@link Channel.readRaw}; a client of request
 * and reply uses {@link Channel.request}, whose replies come back in request order, read by the
 * channel itself, which also notices at once when the other side goes away ({@link Channel.done}).
 *
 * This is also where errors cross the wire: {@link wireError} turns a received `error` message
 * into a local error (its text made printable and cut), and {@link toWire} turns a local error
 * into what may be sent (a code that only names a local failure is never sent).
 */
import { hasCode, isWireCode, type LocalCode, RedeError, type WireCode } from "../core/errors.ts";
import { type ByteReader, type ByteWriter, readFull, SerialQueue, writeAll } from "../core/io.ts";
import { currentLang, LOCALES, t } from "../core/i18n.ts";
import { DEFAULT_TIMINGS, PROTOCOL_APP, PROTOCOL_VERSION } from "../core/limits.ts";
import { remoteText } from "../core/terminal.ts";
import { type Address, formatAddress, normalizeIp } from "./address.ts";
import { arm, disarm } from "./deadline.ts";
import { encodeFrame, FrameReader } from "./framing.ts";
import {
  decodeMessage,
  encodeMessage,
  hello,
  type Message,
  type MessageOf,
  type MessageType,
  type Role,
} from "./protocol.ts";

/** What a hello may carry beyond app, version and role. */
type HelloExtra = Pick<MessageOf<"hello">, "access" | "sid" | "member" | "cert" | "proof">;

/** A two-way byte stream a channel can own: a TCP connection, or anything shaped like one. */
export interface Link extends ByteReader, ByteWriter {
  close(): void;
}

export interface ChannelOptions {
  /** Longest a write may stay blocked (the other side not reading) before the channel closes. */
  writeMs?: number;
  /** Largest frame accepted from the other side (default `MAX_FRAME_BYTES`). */
  maxFrameBytes?: number;
  /** The ID of the certificate the other side showed in TLS. */
  peerId?: string;
  /** That certificate (DER), kept when the caller needs its key (the tracker's). */
  peerCert?: Uint8Array;
}

interface Pending {
  type: MessageType;
  resolve: (m: Message) => void;
  reject: (err: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** What each local code becomes if it must be told to the other side. */
const LOCAL_TO_WIRE: Record<LocalCode, WireCode> = {
  BAD_PEER: "BAD_REQUEST",
  BAD_INPUT: "BAD_REQUEST",
  UNREACHABLE: "INTERNAL",
  CLOSED: "INTERNAL",
  HASH_MISMATCH: "INTERNAL",
  CANCELLED: "INTERNAL",
  NO_SPACE: "INTERNAL",
  IDENTITY: "BAD_HELLO",
};

/** The `error` message that tells the other side about `err`; local details stay here. */
export function toWire(err: unknown): MessageOf<"error"> {
  if (err instanceof RedeError) {
    const code: WireCode = isWireCode(err.code) ? err.code : LOCAL_TO_WIRE[err.code];
    return { t: "error", code, message: code === "INTERNAL" ? t("wire.internal") : err.message };
  }
  return { t: "error", code: "INTERNAL", message: t("wire.internal") };
}

/** The local error for an `error` message received: its code, its text printable and cut. */
export function wireError(m: MessageOf<"error">): RedeError {
  return new RedeError(m.code, remoteText(m.message));
}

/** Framed messages and raw bytes over one connection, with a deadline on every wait. */
export class Channel {
  readonly remote: Address;
  /** The other side's ID: from TLS, or (a client of a peer listener) once its hello proved it. */
  peerId?: string;
  readonly peerCert?: Uint8Array;
  #link: Link;
  #reader: FrameReader;
  #writes = new SerialQueue();
  #writeMs: number;
  #closed = false;
  #done: Promise<void>;
  #markDone!: () => void;
  #pending: Pending[] = [];
  #pumping = false;

  constructor(link: Link, remote: Address, opts: ChannelOptions = {}) {
    this.#link = link;
    this.#reader = new FrameReader(link, opts.maxFrameBytes);
    this.remote = remote;
    this.peerId = opts.peerId;
    this.peerCert = opts.peerCert;
    this.#writeMs = opts.writeMs ?? DEFAULT_TIMINGS.stallMs;
    this.#done = new Promise((resolve) => (this.#markDone = resolve));
  }

  /** A channel over a TCP connection; the remote address is the one the connection came from. */
  static fromConn(conn: Deno.Conn, opts?: ChannelOptions): Channel {
    const addr = conn.remoteAddr as Deno.NetAddr;
    return new Channel(conn, { host: normalizeIp(addr.hostname), port: addr.port }, opts);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Settles once the channel is closed, by this side or (while replies are read) the other. */
  get done(): Promise<void> {
    return this.#done;
  }

  /** Sends one message. */
  send(m: Message): Promise<void> {
    return this.#write(encodeFrame(encodeMessage(m)));
  }

  /** Tells the other side about an error, ignoring a connection already gone. */
  async sendError(err: unknown): Promise<void> {
    try {
      await this.send(toWire(err));
    } catch {
      // The other side is gone; nothing to tell it.
    }
  }

  /** Sends raw bytes (a chunk after its `chunk_data` header). */
  writeRaw(data: Uint8Array): Promise<void> {
    return this.#write(data);
  }

  /**
   * Receives the next message.
   *
   * @param timeoutMs How long to wait; the connection is closed when it runs out.
   * @returns The message, or `null` when the other side closed cleanly.
   * @throws {RedeError} `TIMEOUT`, `CLOSED`, `BAD_FRAME`, `FRAME_TOO_LARGE`, or `BAD_NAME` for a
   * whole message that names an unsafe file (the connection can go on after that one).
   */
  async recv(timeoutMs: number): Promise<Message | null> {
    this.#notPumping();
    // The deadline written out here rather than through #deadline: a server's idle connections
    // each wait in this call, and one suspended call costs less memory than a chain of them.
    if (this.#closed) throw new RedeError("CLOSED", t("net.closed"));
    const deadline = arm(this, timeoutMs);
    let payload: Uint8Array | null;
    try {
      payload = await this.#reader.readFrame();
    } catch (err) {
      if (deadline.expired) throw new RedeError("TIMEOUT", t("net.stoppedAnswering"));
      throw lost(err);
    } finally {
      disarm(deadline);
    }
    return payload === null ? null : decodeMessage(payload);
  }

  /**
   * Receives a message of one type; an `error` reply becomes a thrown {@link RedeError}.
   *
   * @throws {RedeError} the remote error, `CLOSED`, or `BAD_PEER` for an unexpected message.
   */
  async expect<T extends MessageType>(type: T, timeoutMs: number): Promise<MessageOf<T>> {
    const m = await this.recv(timeoutMs);
    if (m === null) throw new RedeError("CLOSED", t("net.closedByOther"));
    return answer(m, type);
  }

  /** Reads exactly `buf.length` raw bytes (a chunk after its header). */
  async readRaw(
    buf: Uint8Array,
    timeoutMs: number,
    onBytes?: (n: number) => void,
  ): Promise<void> {
    this.#notPumping();
    await this.#deadline(timeoutMs, async () => {
      // Through the frame reader, so that bytes it already read ahead come first.
      const raw = {
        read: async (p: Uint8Array) => {
          const n = await this.#reader.readRaw(p);
          if (n) onBytes?.(n);
          return n;
        },
      };
      if ((await readFull(raw, buf)) < buf.length) {
        throw new RedeError("CLOSED", t("net.closedByOther"));
      }
    });
  }

  /**
   * Sends a request and waits for its reply. Requests may overlap; replies come back in order.
   * From the first request on, the channel reads every reply itself (no more `recv`), and a
   * reply that does not come in time closes the channel, failing every request still waiting.
   *
   * @throws {RedeError} the remote error, `TIMEOUT`, `CLOSED`, or `BAD_PEER`.
   */
  request<T extends MessageType>(m: Message, type: T, timeoutMs: number): Promise<MessageOf<T>> {
    if (this.#closed) {
      return Promise.reject(new RedeError("CLOSED", t("net.closed")));
    }
    const reply = new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(
        () => this.#fail(new RedeError("TIMEOUT", t("net.stoppedAnswering"))),
        timeoutMs,
      );
      this.#pending.push({ type, resolve, reject, timer });
    });
    if (!this.#pumping) {
      this.#pumping = true;
      this.#pump();
    }
    this.send(m).catch((err) => this.#fail(err));
    return reply.then((r) => answer(r, type));
  }

  /**
   * Client side of the handshake: send our hello (with `extra`), check theirs.
   *
   * @returns Their hello, for what it adds (a membership, a tracker's access).
   */
  async greet(
    role: Role,
    expectRole: Role,
    timeoutMs: number,
    extra?: HelloExtra,
  ): Promise<MessageOf<"hello">> {
    await this.send(hello(role, extra));
    const theirs = await this.expect("hello", timeoutMs);
    checkHello(theirs, expectRole);
    return theirs;
  }

  /**
   * Server side of the handshake: check their hello, let `admit` look at it (it throws to
   * refuse, and says what our hello adds), answer with ours.
   */
  async accept(
    role: Role,
    allowed: readonly Role[],
    timeoutMs: number,
    admit: (theirs: MessageOf<"hello">) => HelloExtra = () => ({}),
  ): Promise<MessageOf<"hello">> {
    const theirs = await this.recv(timeoutMs);
    if (theirs === null) throw new RedeError("CLOSED", t("net.closedByOther"));
    // Not `expect`: an `error` in place of a hello is not this side's failure to pass on.
    if (theirs.t !== "hello") {
      throw new RedeError("BAD_PEER", t("net.expected", { expected: "hello", got: theirs.t }));
    }
    checkHello(theirs, ...allowed);
    await this.send(hello(role, admit(theirs)));
    return theirs;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#link.close();
    } catch {
      // Already closed by the runtime.
    }
    this.#rejectPending(new RedeError("CLOSED", t("net.closed")));
    this.#markDone();
  }

  /** Reads replies and hands each to the request waiting longest, until the connection ends. */
  async #pump(): Promise<void> {
    try {
      while (true) {
        const payload = await this.#reader.readFrame();
        if (payload === null) break;
        const head = this.#pending.shift();
        let reply: Message;
        try {
          reply = decodeMessage(payload);
        } catch (err) {
          // The gate refused the reply: the other side's fault. A whole frame with a bad name
          // fails its request only; anything else leaves the stream untrustworthy.
          const said = { peer: formatAddress(this.remote), detail: (err as Error).message };
          const bad = new RedeError(
            "BAD_PEER",
            head ? t("net.badReply", { ...said, type: head.type }) : t("net.badMessage", said),
            { cause: err },
          );
          if (head) {
            clearTimeout(head.timer);
            head.reject(bad);
          }
          if (!head || !hasCode(err, "BAD_NAME")) throw bad;
          continue;
        }
        if (!head) {
          throw new RedeError(
            "BAD_PEER",
            t("net.unexpectedFrom", { type: reply.t, peer: formatAddress(this.remote) }),
          );
        }
        clearTimeout(head.timer);
        head.resolve(reply);
      }
      this.#fail(new RedeError("CLOSED", t("net.closedByOther")));
    } catch (err) {
      this.#fail(this.#closed ? new RedeError("CLOSED", t("net.closed")) : lost(err));
    }
  }

  #fail(err: unknown): void {
    this.#rejectPending(err);
    this.close();
  }

  #rejectPending(err: unknown): void {
    for (const p of this.#pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(err);
    }
  }

  #notPumping(): void {
    if (this.#pumping) throw new Error("This channel reads its replies itself; use request()");
  }

  #write(bytes: Uint8Array): Promise<void> {
    return this.#writes.run(() => this.#deadline(this.#writeMs, () => writeAll(this.#link, bytes)));
  }

  /** Runs a read or write with a deadline: when it runs out the connection is closed. */
  async #deadline<T>(timeoutMs: number, io: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new RedeError("CLOSED", t("net.closed"));
    const deadline = arm(this, timeoutMs);
    try {
      return await io();
    } catch (err) {
      if (deadline.expired) throw new RedeError("TIMEOUT", t("net.stoppedAnswering"));
      throw lost(err);
    } finally {
      disarm(deadline);
    }
  }
}

/** A reply of the expected type; an `error` becomes its local error. */
function answer<T extends MessageType>(m: Message, type: T): MessageOf<T> {
  if (m.t === type) return m as MessageOf<T>;
  if (m.t === "error") throw wireError(m);
  throw new RedeError("BAD_PEER", t("net.expected", { expected: type, got: m.t }));
}

/** A failure of the connection itself, as a {@link RedeError}. */
function lost(err: unknown): RedeError {
  if (err instanceof RedeError) return err;
  return new RedeError("CLOSED", t("net.lost", { detail: (err as Error).message }), { cause: err });
}

function checkHello(m: MessageOf<"hello">, ...roles: Role[]): void {
  if (m.app !== PROTOCOL_APP) {
    throw new RedeError("BAD_HELLO", t("net.notRede", { app: remoteText(m.app) }));
  }
  if (m.v !== PROTOCOL_VERSION) {
    throw new RedeError(
      "VERSION_MISMATCH",
      t("net.version", { theirs: m.v, ours: PROTOCOL_VERSION }),
    );
  }
  if (!roles.includes(m.role)) {
    const expected = new Intl.ListFormat(LOCALES[currentLang()], { type: "disjunction" })
      .format(roles);
    throw new RedeError("BAD_HELLO", t("net.role", { expected, role: m.role }));
  }
}
