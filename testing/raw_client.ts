/**
 * A hand-built tracker client for hostile tests and the tracker benchmark: a TLS connection (with
 * an identity of the test home) from any loopback source address (`localAddress`), frames built
 * with the product's encoder, and nothing of the product's checks on what it sends; it can run
 * the tracker's admission (the join code's PAKE) itself. It is not a product module.
 */
import { Buffer } from "node:buffer";
import * as net from "node:net";
import { encodeFrame } from "../net/framing.ts";
import { decodeMessage, type Membership, type Message } from "../net/protocol.ts";
import { startPake } from "../net/pake.ts";
import { openTls } from "../net/secure.ts";
import { PROTOCOL_VERSION } from "../core/limits.ts";
import type { Channel } from "../net/channel.ts";
import { Network, type Trust } from "../net/membership.ts";
import { connect } from "../net/transport.ts";
import { codeOf, credentials, homeCertOf } from "./harness.ts";
import * as tls from "node:tls";
import { proofOf } from "../net/peer_tls.ts";
import { fingerprintOf, pemOf, TLS_NAME } from "../storage/identity.ts";

/** How a raw client connects: the identity it shows, plaintext (an old client), its code. */
export interface RawOptions {
  /** Identity name in the test home (default `raw-client`). */
  identity?: string;
  /** No TLS at all: an older, plaintext client. */
  plain?: boolean;
  /** The join code for {@link RawClient.hello} on a private network. */
  code?: string;
}

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
  /** The membership the tracker signed, after {@link RawClient.hello}. */
  member?: Membership;
  /** This client's ID and the server's, over TLS. */
  myId = "";
  theirId = "";
  theirCert = new Uint8Array(0);

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

  /** Connects from `localAddress` (127.0.0.1 unless given) to a server on 127.0.0.1. */
  static async open(
    port: number,
    localAddress = "127.0.0.1",
    opts: RawOptions = {},
  ): Promise<RawClient> {
    if (opts.plain) return new RawClient(await RawClient.#tcp(port, localAddress));
    const creds = await credentials(opts.identity ?? "raw-client");
    const { socket, peerId } = await openTls("127.0.0.1", port, creds, 10_000, { localAddress });
    const c = new RawClient(socket);
    c.myId = creds.fingerprint;
    c.theirId = peerId;
    c.theirCert = new Uint8Array(socket.getPeerCertificate(true).raw);
    return c;
  }

  static #tcp(port: number, localAddress: string): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host: "127.0.0.1", port, localAddress });
      sock.setNoDelay(true);
      sock.once("connect", () => {
        sock.removeListener("error", reject);
        resolve(sock);
      });
      sock.once("error", reject);
    });
  }

  /**
   * Connects and is admitted as a peer: hello, the PAKE with `opts.code` when the tracker asks
   * for one, and the membership it signs.
   */
  static async hello(
    port: number,
    localAddress?: string,
    opts: RawOptions = {},
  ): Promise<RawClient> {
    const c = await RawClient.open(port, localAddress, opts);
    try {
      await c.admit(opts.code);
      return c;
    } catch (err) {
      await c.close();
      throw err;
    }
  }

  /** The tracker's admission, on a connection just opened. */
  async admit(code?: string): Promise<void> {
    this.send({ t: "hello", app: "rede-p2p", v: PROTOCOL_VERSION, role: "peer" });
    const m = await this.next();
    if (m?.t !== "hello") throw new Error(`no hello: ${JSON.stringify(m)}`);
    if (m.access === "code") {
      const pake = startPake({
        role: "initiator",
        code: code ?? "no code given",
        sid: Buffer.from(m.sid!, "hex"),
        initiatorId: Buffer.from(this.myId, "hex"),
        responderId: Buffer.from(this.theirId, "hex"),
      });
      const reply = await this.ask({ t: "pake", share: Buffer.from(pake.share).toString("hex") });
      if (reply?.t !== "pake_reply") throw new Error(`no pake_reply: ${JSON.stringify(reply)}`);
      const done = pake.finish(Buffer.from(reply.share, "hex"));
      this.send({ t: "pake_confirm", confirm: Buffer.from(done.confirm).toString("hex") });
    }
    const admitted = await this.next();
    if (admitted?.t !== "admitted") throw new Error(`not admitted: ${JSON.stringify(admitted)}`);
    this.member = admitted.member;
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

/**
 * A member of the network of the tracker on 127.0.0.1:`trackerPort` (a real process or an
 * in-process one), admitted as identity `identity` with the code the harness knows (or `code`):
 * the trust a hand-built client shows to peers.
 */
export async function memberOf(
  trackerPort: number,
  identity = "hand-built",
  code = codeOf(trackerPort),
): Promise<Trust> {
  const c = await RawClient.hello(trackerPort, undefined, { identity, code });
  try {
    const creds = await credentials(identity);
    return {
      creds,
      network: new Network(c.theirId, c.theirCert, c.member!, creds.fingerprint),
      certOf: homeCertOf,
    };
  } finally {
    await c.close();
  }
}

/**
 * The certificate a peer listener on 127.0.0.1:`port` shows, and its ID: read with a TLS client
 * that checks nothing (a test's way to learn what the tracker would list).
 */
export function peerCertAt(port: number): Promise<{ id: string; pem: string }> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({
      host: "127.0.0.1",
      port,
      servername: TLS_NAME,
      rejectUnauthorized: false,
      minVersion: "TLSv1.3",
    });
    s.once("error", reject);
    s.once("secureConnect", () => {
      const der = s.getPeerCertificate(true).raw;
      s.destroy();
      const pem = pemOf(der);
      resolve({ id: fingerprintOf(pem), pem });
    });
  });
}

/**
 * A channel to the peer listening on 127.0.0.1:`port`, greeted as a client showing `trust` (its
 * membership, and the proof of its identity).
 */
export async function memberChannel(
  port: number,
  trust: Trust,
  timeoutMs = 10_000,
): Promise<Channel> {
  const { id, pem } = await peerCertAt(port);
  const ch = await connect({ host: "127.0.0.1", port, id }, "peer", {
    creds: trust.creds,
    peerCert: pem,
    timeoutMs,
  });
  try {
    await ch.greet("client", "peer", timeoutMs, {
      member: trust.network?.mine,
      ...proofOf(trust.creds, id),
    });
    return ch;
  } catch (err) {
    ch.close();
    throw err;
  }
}
