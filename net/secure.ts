/**
 * TLS under every connection (protocol version 4; docs/SECURITY.md). `node:tls`, TLS 1.3 only,
 * both ways: each side shows the self-signed certificate of its identity, and since there is no
 * CA to check it against, each side takes the SHA-256 of the other's certificate (its ID) and
 * checks it itself, before a byte of protocol: the caller compares it with the ID it expects (a
 * pinned tracker, a listed peer) or with a membership statement (`net/membership.ts`).
 *
 * A server also answers a client of an older, plaintext version: its first bytes are a frame
 * (`RP`), not a TLS handshake, and it gets a plaintext `error` (`VERSION_MISMATCH`) it can print.
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import * as nodeNet from "node:net";
import * as tls from "node:tls";
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { FRAME_MAGIC, PROTOCOL_VERSION } from "../core/limits.ts";
import type { Link } from "./channel.ts";
import { encodeFrame } from "./framing.ts";
import { encodeMessage } from "./protocol.ts";

/** An identity as TLS needs it: certificate and key (PEM), and its ID. */
export interface Credentials {
  /** SHA-256 of the certificate's DER bytes, 64 hex digits. */
  fingerprint: string;
  certPem: string;
  keyPem: string;
}

/**
 * Bytes a link holds unread by default before it gives up on the other side. `node:tls` in Deno
 * 2.9.6 has no working read back-pressure (pausing a TLS socket does not stop it reading, and a
 * TCP socket paused under TLS never resumes), so memory is bounded by refusing a sender that
 * runs this far ahead of what the protocol lets it have in flight (docs/SECURITY.md).
 */
export const DEFAULT_MAX_QUEUED = 24 << 20;
/** The first byte of a TLS handshake record. */
const TLS_HANDSHAKE = 0x16;
/** Every client asks for this name: certificates are checked by fingerprint, not by name. */
const SERVER_NAME = "rede-p2p";
const TLS_VERSIONS = { minVersion: "TLSv1.3", maxVersion: "TLSv1.3" } as const;

/** A TLS connection as a channel's {@link Link}: reads with bounded read-ahead, whole writes. */
export class TlsLink implements Link {
  readonly socket: tls.TLSSocket;
  #tcp: nodeNet.Socket;
  #chunks: Uint8Array[] = [];
  #offset = 0;
  #queued = 0;
  #ended = false;
  #error?: Error;
  #wake?: () => void;
  #writes = new Set<(err: Error) => void>();

  /**
   * @param tcp The TCP socket under `socket`, destroyed with it.
   * @param maxQueued Bytes received and not yet read beyond which the link is closed.
   */
  constructor(socket: tls.TLSSocket, tcp: nodeNet.Socket, maxQueued = DEFAULT_MAX_QUEUED) {
    this.socket = socket;
    this.#tcp = tcp;
    socket.on("data", (d: Buffer) => {
      this.#chunks.push(d);
      this.#queued += d.length;
      if (this.#queued > maxQueued) {
        this.#error ??= new Error(t("net.tls.flood", { bytes: maxQueued }));
        socket.destroy();
        tcp.destroy();
      }
      this.#notify();
    });
    socket.on("end", () => {
      this.#ended = true;
      this.#notify();
    });
    socket.on("error", (err: Error) => {
      this.#error ??= err;
      this.#notify();
    });
    socket.on("close", () => {
      this.#ended = true;
      this.#notify();
      const gone = new Error(t("net.closed"));
      for (const reject of this.#writes) reject(gone);
      this.#writes.clear();
    });
  }

  async read(p: Uint8Array): Promise<number | null> {
    while (this.#queued === 0) {
      if (this.#error) throw this.#error;
      if (this.#ended) return null;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    let n = 0;
    while (n < p.length && this.#chunks.length > 0) {
      const c = this.#chunks[0];
      const take = Math.min(c.length - this.#offset, p.length - n);
      p.set(c.subarray(this.#offset, this.#offset + take), n);
      n += take;
      this.#offset += take;
      if (this.#offset === c.length) {
        this.#chunks.shift();
        this.#offset = 0;
      }
    }
    this.#queued -= n;
    return n;
  }

  /** Resolves once TLS took the bytes (the caller may then reuse its buffer). */
  write(p: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed) return reject(new Error(t("net.closed")));
      this.#writes.add(reject);
      this.socket.write(p, (err) => {
        this.#writes.delete(reject);
        if (err) reject(err);
        else resolve(p.length);
      });
    });
  }

  /** Closes both ways; a read waiting now (or later) fails rather than seeing a clean end. */
  close(): void {
    this.#error ??= new Error(t("net.closed"));
    this.#notify();
    this.socket.destroy();
    this.#tcp.destroy();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/** The ID of the certificate the other side showed, or `undefined` when it showed none. */
export function peerFingerprint(socket: tls.TLSSocket): string | undefined {
  const raw = socket.getPeerCertificate(true)?.raw;
  if (!raw || raw.length === 0) return undefined;
  return createHash("sha256").update(raw).digest("hex");
}

/** What a server keeps of its identity for every handshake. */
export function serverContext(creds: Credentials): tls.SecureContext {
  return tls.createSecureContext({ key: creds.keyPem, cert: creds.certPem, ...TLS_VERSIONS });
}

/** A TLS client connection just opened: the TLS socket, the TCP socket under it, the server's ID. */
export interface OpenedTls {
  socket: tls.TLSSocket;
  tcp: nodeNet.Socket;
  peerId: string;
}

/**
 * Opens TLS to `host:port` showing `creds`; settles once the handshake is done.
 *
 * @param opts.signal Aborting it stops the connect or handshake at once.
 * @param opts.localAddress The local address to connect from (tests stand for other machines).
 * @throws The socket's error (the caller words it), {@link HandshakeTimeout} when `timeoutMs`
 * runs out.
 */
export function openTls(
  host: string,
  port: number,
  creds: Credentials,
  timeoutMs: number,
  opts: { signal?: AbortSignal; localAddress?: string } = {},
): Promise<OpenedTls> {
  const { signal, localAddress } = opts;
  return new Promise((resolve, reject) => {
    const tcp = nodeNet.connect({ host, port, localAddress });
    const socket = tls.connect({
      socket: tcp,
      key: creds.keyPem,
      cert: creds.certPem,
      servername: SERVER_NAME,
      rejectUnauthorized: false, // No CA: the fingerprint is checked below and by the caller.
      ...TLS_VERSIONS,
    });
    const fail = (err: Error) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", aborted);
      socket.destroy();
      tcp.destroy();
      reject(err);
    };
    const aborted = () => fail(new Error(t("net.notNeeded")));
    signal?.addEventListener("abort", aborted, { once: true });
    const timer = setTimeout(() => fail(new HandshakeTimeout()), timeoutMs);
    tcp.once("error", fail);
    socket.once("error", fail);
    socket.once("close", () => fail(new Error(t("net.tls.closedInHandshake"))));
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", aborted);
      tcp.removeAllListeners("error");
      tcp.on("error", () => {}); // Seen by the TLS socket.
      socket.removeAllListeners("error");
      socket.removeAllListeners("close");
      tcp.setNoDelay(true);
      const peerId = peerFingerprint(socket);
      if (peerId === undefined) return fail(new Error(t("net.tls.noCert")));
      resolve({ socket, tcp, peerId });
    });
    if (signal?.aborted) aborted();
  });
}

/** {@link openTls}, as a channel's link. */
export async function secureConnect(
  host: string,
  port: number,
  creds: Credentials,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ link: TlsLink; peerId: string }> {
  const { socket, tcp, peerId } = await openTls(host, port, creds, timeoutMs, { signal });
  return { link: new TlsLink(socket, tcp), peerId };
}

/** A TLS handshake that did not finish in time. */
export class HandshakeTimeout extends Error {
  constructor() {
    super(t("net.tls.timeout"));
  }
}

/**
 * Server side of a new TCP connection: plaintext clients of an older version get a refusal
 * they can read, anything else that is not TLS is dropped, and TLS must finish within
 * `timeoutMs`.
 *
 * @returns The link and the ID of the client's certificate (`undefined` if it showed none).
 * @throws {RedeError} `CLOSED` when the connection is dropped without TLS.
 */
export function secureAccept(
  socket: nodeNet.Socket,
  ctx: tls.SecureContext,
  timeoutMs: number,
  maxQueued?: number,
): Promise<{ link: TlsLink; peerId?: string }> {
  return new Promise((resolve, reject) => {
    let tlsSocket: tls.TLSSocket | undefined;
    const fail = (why: string) => {
      clearTimeout(timer);
      (tlsSocket ?? socket).destroy();
      reject(new RedeError("CLOSED", why));
    };
    const timer = setTimeout(() => fail(t("net.tls.timeout")), timeoutMs);
    socket.once("error", () => fail(t("net.tls.lostBefore")));
    socket.once("close", () => fail(t("net.tls.closedBefore")));
    socket.once("data", (first: Buffer) => {
      socket.pause();
      if (first[0] === FRAME_MAGIC[0] && first[1] === FRAME_MAGIC[1]) {
        clearTimeout(timer);
        socket.removeAllListeners("close");
        socket.end(plaintextRefusal());
        return reject(new RedeError("CLOSED", t("net.tls.plaintext")));
      }
      if (first[0] !== TLS_HANDSHAKE) return fail(t("net.tls.notTls"));
      socket.unshift(first);
      const ts = new tls.TLSSocket(socket, {
        isServer: true,
        secureContext: ctx,
        requestCert: true,
        rejectUnauthorized: false, // No CA: the fingerprint is checked by the caller.
      });
      tlsSocket = ts;
      ts.once("error", () => fail(t("net.tls.failed")));
      ts.once("secure", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        socket.removeAllListeners("close");
        ts.removeAllListeners("error");
        resolve({ link: new TlsLink(ts, socket, maxQueued), peerId: peerFingerprint(ts) });
      });
    });
  });
}

/**
 * What a plaintext client of protocol 3 or older reads: a frame with an `error` it can print
 * (in this side's language, like every error text sent).
 */
function plaintextRefusal(): Buffer {
  return Buffer.from(encodeFrame(encodeMessage({
    t: "error",
    code: "VERSION_MISMATCH",
    message: t("wire.plaintextRefusal", { version: PROTOCOL_VERSION }),
  })));
}
