/**
 * CPace (draft-irtf-cfrg-cpace, ristretto255 / SHA-512), a password-authenticated key exchange
 * run inside a mutually authenticated TLS 1.3 connection: two sides that share a short code
 * learn whether the other knows it and sees the same two certificates. Group arithmetic,
 * encoding and element derivation are `@noble/curves`; none is done here.
 *
 * What is hashed, in the draft's terms. `lv(x)` is x preceded by its length in LEB128 (one
 * byte below 128); `lv_cat(a, b, ...)` is `lv(a) || lv(b) || ...`; the initiator is A.
 *
 * - PRS (the password) is the UTF-8 of `normalizeCode(code)`. CI (the channel identifier) is
 *   `lv_cat(initiatorId, responderId)`: the SHA-256 fingerprints of the initiator's and the
 *   responder's TLS certificates as this side saw them. sid is the responder's random bytes.
 * - Generator: `g = element_derivation(SHA-512(lv_cat("CPaceRistretto255", PRS, zeros, CI,
 *   sid)))`, where `zeros` pads the first 128-byte SHA-512 block (DSI and PRS only) and
 *   element_derivation is RFC 9496 §4.3.4 (64 bytes to a ristretto255 element).
 * - Shares: `Y = y·g`, y a fresh random nonzero scalar (32 random bytes, top 4 bits cleared).
 *   The associated data ADa and ADb of the draft are empty.
 * - Secret: `K = y·Y_other`, refused if Y_other does not decode or K is the identity.
 * - Transcript: `lv_cat(Ya, "") || lv_cat(Yb, "")` (the draft's transcript_ir).
 * - Session key: `ISK = SHA-512(lv_cat("CPaceRistretto255_ISK", sid, K) || transcript)`.
 * - Key confirmation: `mac_key = SHA-512("CPaceMac" || sid || ISK)` as the draft suggests;
 *   each side's tag is the first 32 bytes of `HMAC-SHA-512(mac_key, lv_cat(label, transcript))`
 *   with label "rede-p2p confirm initiator" or "rede-p2p confirm responder".
 *
 * Only a side with the same code, sid and two fingerprints makes a tag the other accepts: a
 * man in the middle terminating TLS changes the fingerprints, and so the generator.
 */
import { Buffer } from "node:buffer";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ristretto255, ristretto255_hasher } from "@noble/curves/ed25519.js";
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";

const Point = ristretto255.Point;
type Point = InstanceType<typeof Point>;

/** The byte length of a share (an encoded ristretto255 element) and of a confirmation tag. */
export const PAKE_SHARE_BYTES = 32;
/** The shortest sid accepted. */
export const MIN_SID_BYTES = 16;

const DSI = "CPaceRistretto255";
const SHA512_BLOCK_BYTES = 128;
const enc = new TextEncoder();

/** Which side of the exchange this is: the joining peer initiates, the tracker responds. */
export type PakeRole = "initiator" | "responder";

/** The inputs of one run; both sides must give the same values (ids as each side saw them). */
export interface PakeOptions {
  role: PakeRole;
  /** The code the user typed or was shown; `normalizeCode` is applied here. */
  code: string;
  /** The responder's random session id, 16 bytes or more. */
  sid: Uint8Array;
  /** The SHA-256 fingerprint of the initiator's TLS certificate. */
  initiatorId: Uint8Array;
  /** The SHA-256 fingerprint of the responder's TLS certificate. */
  responderId: Uint8Array;
}

/** A run after the other side's share arrived. */
export interface PakeDone {
  /** The shared session key (the draft's ISK, 64 bytes); equal on both sides only on success. */
  key: Uint8Array;
  /** This side's 32-byte key-confirmation tag, to send. */
  confirm: Uint8Array;
  /** Whether the other side's tag is right, compared in constant time. */
  verify(theirConfirm: Uint8Array): boolean;
}

/** A run after this side's share was made. */
export interface Pake {
  /** This side's 32-byte share, to send. */
  share: Uint8Array;
  /** Takes the other side's share; throws `BAD_PEER` if it is malformed or the identity. */
  finish(theirShare: Uint8Array): PakeDone;
}

/** The draft's prepend_len: x preceded by its length in LEB128. */
function prependLen(x: Uint8Array): Uint8Array {
  const len: number[] = [];
  let n = x.length;
  do {
    len.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n = Math.floor(n / 0x80);
  } while (n > 0);
  return concat(Uint8Array.from(len), x);
}

const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** The draft's lv_cat: every part preceded by its length. */
export function lvCat(...parts: Uint8Array[]): Uint8Array {
  return concat(...parts.map(prependLen));
}

const sha512 = (...parts: Uint8Array[]) =>
  new Uint8Array(createHash("sha512").update(concat(...parts)).digest());

/** The draft's generator_string(DSI, PRS, CI, sid, 128) for ristretto255 / SHA-512. */
export function generatorString(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): Uint8Array {
  const dsi = enc.encode(DSI);
  const zpad = Math.max(0, SHA512_BLOCK_BYTES - 1 - lvCat(dsi, prs).length);
  return lvCat(dsi, prs, new Uint8Array(zpad), ci, sid);
}

/** The draft's calculate_generator: element derivation of the SHA-512 of the generator string. */
export function calculateGenerator(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): Point {
  return ristretto255_hasher.deriveToCurve!(sha512(generatorString(prs, ci, sid)));
}

/** The draft's transcript_ir: the initiator's share and data, then the responder's. */
export function transcriptIr(ya: Uint8Array, ada: Uint8Array, yb: Uint8Array, adb: Uint8Array) {
  return lvCat(ya, ada, yb, adb);
}

/** The draft's ISK from sid, the encoded secret point K and the transcript. */
export function deriveIsk(sid: Uint8Array, k: Uint8Array, transcript: Uint8Array): Uint8Array {
  return sha512(lvCat(enc.encode(DSI + "_ISK"), sid, k), transcript);
}

/** A random scalar as the draft recommends: 32 random bytes, bits above 252 cleared, not 0. */
function sampleScalar(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  bytes[31] &= 0x0f;
  const y = Point.Fn.fromBytes(bytes);
  return Point.Fn.is0(y) ? sampleScalar() : y;
}

/** A confirmation tag: HMAC-SHA-512 under mac_key over the label and transcript, 32 bytes. */
function tag(macKey: Uint8Array, role: PakeRole, transcript: Uint8Array): Uint8Array {
  const label = enc.encode(`rede-p2p confirm ${role}`);
  const mac = createHmac("sha512", macKey).update(lvCat(label, transcript)).digest();
  return new Uint8Array(mac).subarray(0, PAKE_SHARE_BYTES);
}

/** Starts one CPace run: makes this side's share; `finish` takes the other side's. */
export function startPake(opts: PakeOptions): Pake {
  const prs = enc.encode(normalizeCode(opts.code));
  if (prs.length === 0) throw new RedeError("BAD_INPUT", t("net.pake.emptyCode"));
  if (opts.sid.length < MIN_SID_BYTES) throw new RedeError("BAD_PEER", t("net.pake.shortSid"));
  const sid = opts.sid.slice();
  const g = calculateGenerator(prs, lvCat(opts.initiatorId, opts.responderId), sid);
  const y = sampleScalar();
  const share = g.multiply(y).toBytes();
  return {
    share: share.slice(),
    finish(theirShare: Uint8Array): PakeDone {
      const k = secretPoint(theirShare, y);
      const [ya, yb] = opts.role === "initiator" ? [share, theirShare] : [theirShare, share];
      const transcript = transcriptIr(ya, new Uint8Array(0), yb, new Uint8Array(0));
      const key = deriveIsk(sid, k, transcript);
      const macKey = sha512(enc.encode("CPaceMac"), sid, key);
      const theirRole = opts.role === "initiator" ? "responder" : "initiator";
      const expected = tag(macKey, theirRole, transcript);
      return {
        key,
        confirm: tag(macKey, opts.role, transcript),
        verify: (theirConfirm) =>
          theirConfirm.length === expected.length && timingSafeEqual(theirConfirm, expected),
      };
    },
  };
}

/** The draft's scalar_mult_vfy, refusing instead of returning the identity. */
function secretPoint(theirShare: Uint8Array, y: bigint): Uint8Array {
  if (theirShare.length !== PAKE_SHARE_BYTES) {
    throw new RedeError("BAD_PEER", t("net.pake.shareSize", { bytes: PAKE_SHARE_BYTES }));
  }
  let their: Point;
  try {
    their = Point.fromBytes(theirShare);
  } catch (cause) {
    throw new RedeError("BAD_PEER", t("net.pake.badShare"), { cause });
  }
  const k = their.is0() ? their : their.multiply(y);
  if (k.is0()) throw new RedeError("BAD_PEER", t("net.pake.identity"));
  return k.toBytes();
}

/**
 * The canonical form of a pairing code: Unicode NFC, lower case, without white space, `-`,
 * `_` or `.`; so `4821 0937`, `4821-0937` and `48210937` are the same code.
 */
export function normalizeCode(text: string): string {
  return text.normalize("NFC").toLowerCase().normalize("NFC").replace(/[\s\-_.]/gu, "");
}

/** A fresh pairing code: 8 uniformly random digits, shown as `NNNN-NNNN`. */
export function newCode(): string {
  const limit = Math.floor(2 ** 32 / 1e8) * 1e8; // below this, n % 1e8 is unbiased
  const word = new Uint32Array(1);
  do crypto.getRandomValues(word); while (word[0] >= limit);
  const digits = String(word[0] % 1e8).padStart(8, "0");
  return `${digits.slice(0, 4)}-${digits.slice(4)}`;
}
