/**
 * A hand-built tracker client for hostile tests and the tracker benchmark: a raw socket from any
 * loopback source address (node:net `localAddress`), frames built with the product's encoder,
 * and nothing of the product's checks on what it sends. It is not a product module.
 */
import { Buffer } from "node:buffer";
import * as net from "node:net";
import { encodeFrame } from "../net/framing.ts";
import { decodeMessage, type Message } from "../net/protocol.ts";
import { PROTOCOL_VERSION } from "../core/limits.ts";

const enc = new TextEncoder();

/** One raw connection to a tracker. */
export class RawClient {
  #sock: net.Socket;
  #buf: Buffer = Buffer.alloc(0);
  #waiters: ((m: Message | null) => void)[] = [];
  #queue: (Message | null)[] = [];
  #closed: Promise<void>;
  /** Whether the other side closed (or the socket failed). */
  ended = false;

  private constructor(sock: net.Socket) {
    this.#sock = sock;
    this.#closed = new Promise((resolve) => sock.once("close", () => resolve()));
    sock.on("data", (d: Buffer) => this.#data(d));
    sock.on("error", () => {});
    sock.on("close", () => {
      this.ended = true;
      this.#push(null);
    });
  }

  /** Connects from `localAddress` (127.0.0.1 unless given) to the tracker on 127.0.0.1. */
  static open(port: number, localAddress = "127.0.0.1"): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host: "127.0.0.1", port, localAddress });
      sock.setNoDelay(true);
      sock.once("connect", () => {
        sock.removeListener("error", reject);
        resolve(new RawClient(sock));
      });
      sock.once("error", reject);
    });
  }

  /** Connects and says hello as a peer. */
  static async hello(port: number, localAddress?: string): Promise<RawClient> {
    const c = await RawClient.open(port, localAddress);
    c.send({ t: "hello", app: "rede-p2p", v: PROTOCOL_VERSION, role: "peer" });
    const m = await c.next();
    if (m?.t !== "hello") {
      await c.close();
      throw new Error(`no hello: ${JSON.stringify(m)}`);
    }
    return c;
  }

  /** Sends any JSON object as a frame (checked by nothing). */
  send(m: unknown): void {
    this.sendPayload(enc.encode(JSON.stringify(m)));
  }

  /** Sends a payload in a frame; the promise settles once it was handed to the system. */
  sendPayload(payload: Uint8Array): Promise<void> {
    const frame = encodeFrame(payload, Number.MAX_SAFE_INTEGER);
    return new Promise((resolve) => this.#sock.write(frame, () => resolve()));
  }

  /** Messages received and not yet taken with {@link next}. */
  get pending(): number {
    return this.#queue.length;
  }

  /** The next message, or null when the connection ended. */
  next(): Promise<Message | null> {
    const m = this.#queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Sends a request and returns the next message. */
  ask(m: unknown): Promise<Message | null> {
    this.send(m);
    return this.next();
  }

  /** Closes and waits until the socket is gone. */
  async close(): Promise<void> {
    this.#sock.destroy();
    await this.#closed;
  }

  #push(m: Message | null): void {
    const w = this.#waiters.shift();
    if (w) w(m);
    else if (m !== null) this.#queue.push(m);
  }

  #data(d: Buffer): void {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, d]) : d;
    while (this.#buf.length >= 6) {
      const len = this.#buf.readUInt32BE(2);
      if (this.#buf.length < 6 + len) return;
      const payload = new Uint8Array(this.#buf.subarray(6, 6 + len));
      this.#buf = this.#buf.subarray(6 + len);
      this.#push(decodeMessage(payload));
    }
  }
}
