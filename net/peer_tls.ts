/**
 * The client side of TLS to a peer, on the runtime's own TLS (rustls): it reads straight into
 * the caller's buffer and leaves unread bytes in the socket (real back-pressure), so a download
 * costs a fraction of the CPU and memory of `node:tls` (docs/PERFORMANCE.md). Listeners stay on
 * `node:tls` (`secure.ts`): the runtime's TLS server cannot close a client that stays silent in
 * its handshake.
 *
 * The runtime's TLS client cannot show a certificate, and checks the server against an
 * authority and a name: the client names the certificate it expects (the one the tracker lists
 * for that peer) as the only authority, under {@link TLS_NAME}, so a listener with any other key
 * fails the handshake. The client proves its own identity inside the connection, in its
 * `hello`: its certificate and a signature, with that certificate's key, of both IDs
 * ({@link proofOf}). See docs/SECURITY.md.
 */
import { Buffer } from "node:buffer";
import { createHash, sign, verify, X509Certificate } from "node:crypto";
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { pemOf, TLS_NAME } from "../storage/identity.ts";
import type { Credentials } from "./secure.ts";

/** What a client adds to its `hello` to a peer: its certificate and proof (both base64). */
export interface Proof {
  cert: string;
  proof: string;
}

/** The bytes a client signs to prove, to the server `serverId`, that it holds `clientId`. */
function proofBytes(serverId: string, clientId: string): Buffer {
  return Buffer.from(`rede-p2p peer proof v4\n${serverId}\n${clientId}`);
}

/** The `hello` fields with which `creds` proves its identity to the peer `serverId`. */
export function proofOf(creds: Credentials, serverId: string): Proof {
  const der = new X509Certificate(creds.certPem).raw;
  const sig = sign("sha256", proofBytes(serverId, creds.fingerprint), creds.keyPem);
  return { cert: der.toString("base64"), proof: sig.toString("base64") };
}

/**
 * The ID a client proved with `p` to this server (`serverId`), or `undefined` when the proof
 * does not hold (no proof, an unreadable certificate, a signature by another key).
 */
export function provenId(p: Partial<Proof>, serverId: string): string | undefined {
  if (p.cert === undefined || p.proof === undefined) return undefined;
  try {
    const der = Buffer.from(p.cert, "base64");
    const id = createHash("sha256").update(der).digest("hex");
    const key = new X509Certificate(der).publicKey;
    const ok = verify("sha256", proofBytes(serverId, id), key, Buffer.from(p.proof, "base64"));
    return ok ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A TLS connection to a peer as a channel's link. A listener that hangs up without TLS's
 * close_notify has ended the stream like any other: frames carry their length, so a cut inside
 * one is still seen as one.
 */
export class PeerLink {
  #conn: Deno.TlsConn;
  constructor(conn: Deno.TlsConn) {
    this.#conn = conn;
  }
  async read(p: Uint8Array): Promise<number | null> {
    try {
      return await this.#conn.read(p);
    } catch (err) {
      if (err instanceof Deno.errors.UnexpectedEof) return null;
      throw err;
    }
  }
  write(p: Uint8Array): Promise<number> {
    return this.#conn.write(p);
  }
  close(): void {
    this.#conn.close();
  }
}

/** Why a peer connection failed before its first message, for the caller's one line. */
export class PeerTlsError extends Error {
  /** `identity`: the listener did not show the expected certificate. */
  readonly kind: "refused" | "reset" | "timeout" | "identity" | "cancelled" | "other";
  /**
   * Given up during the TLS handshake: the runtime keeps such a socket open until the server
   * answers or hangs up (it cannot drop a handshake under way), so see {@link stalled}.
   */
  lingers = false;
  constructor(kind: PeerTlsError["kind"], message: string, cause?: unknown) {
    super(message, { cause });
    this.kind = kind;
  }
}

/**
 * Peers (by ID) that left a handshake of the runtime's TLS hanging in this process: they are
 * reached over `node:tls` from then on, which can drop a connection at any time. So a listener
 * that never answers holds at most one socket of this process open, not one per try.
 */
const STALLED = new Set<string>();
const MAX_STALLED = 1024;

/** Notes that `id` left a handshake hanging (see {@link STALLED}). */
export function noteStalled(id: string): void {
  if (STALLED.size >= MAX_STALLED) STALLED.delete(STALLED.values().next().value!);
  STALLED.add(id);
}

/** Whether `id` left a handshake hanging before. */
export function stalled(id: string): boolean {
  return STALLED.has(id);
}

/**
 * Connects to the peer at `host:port` and finishes TLS, accepting only a listener that shows
 * `certPem` (the certificate the tracker listed for it).
 *
 * @throws {PeerTlsError} saying what went wrong.
 */
export async function connectPeerTls(
  host: string,
  port: number,
  certPem: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Deno.TlsConn> {
  const stop = new AbortController();
  let why: PeerTlsError | undefined;
  let conn: Deno.Conn | undefined;
  let shaking = false;
  const drop = () => {
    try {
      conn?.close();
    } catch {
      // Already closed.
    }
  };
  const end = (err: PeerTlsError) => {
    why ??= err;
    stop.abort();
    drop();
  };
  const timer = setTimeout(
    () => end(new PeerTlsError("timeout", t("net.reason.noAnswer"))),
    timeoutMs,
  );
  const cancelled = () => end(new PeerTlsError("cancelled", t("net.notNeeded")));
  signal?.addEventListener("abort", cancelled, { once: true });
  try {
    if (signal?.aborted) cancelled();
    const tcp = await Deno.connect({ hostname: host, port, signal: stop.signal });
    conn = tcp;
    if (why) throw why;
    tcp.setNoDelay(true);
    shaking = true;
    const tls = await Deno.startTls(tcp, { hostname: TLS_NAME, caCerts: [certPem] });
    conn = tls;
    await tls.handshake();
    if (why) throw why;
    return tls;
  } catch (err) {
    drop();
    if (why) {
      why.lingers = shaking;
      throw why;
    }
    if (err instanceof Deno.errors.ConnectionRefused) {
      throw new PeerTlsError("refused", t("net.reason.refused"), err);
    }
    if (err instanceof Deno.errors.ConnectionReset || err instanceof Deno.errors.UnexpectedEof) {
      throw new PeerTlsError("reset", t("net.reason.reset"), err);
    }
    const text = (err as Error).message;
    if (/invalid peer certificate/i.test(text)) {
      throw new PeerTlsError("identity", text, err);
    }
    throw new PeerTlsError("other", text, err);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", cancelled);
  }
}

/** Makes sure a certificate from the tracker (base64 DER) is the one of `id`; returns its PEM. */
export function certPemFor(id: string, certB64: string): string {
  const der = Buffer.from(certB64, "base64");
  if (createHash("sha256").update(der).digest("hex") !== id) {
    throw new RedeError("BAD_PEER", t("peer.certNotPeers"));
  }
  return pemOf(der);
}
