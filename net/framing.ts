/**
 * Framing: every control message travels as one frame, `"RP"` (2 bytes), the payload length
 * (unsigned 32-bit big-endian) and the payload. The length is checked against
 * {@link MAX_FRAME_BYTES} before a byte of the payload is buffered.
 * After some replies (a file header) raw bytes follow; {@link FrameReader.readRaw} reads them
 * through the same buffer so nothing read ahead is lost.
 */
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import type { ByteReader } from "../core/io.ts";
import { FRAME_HEADER_BYTES, FRAME_MAGIC, MAX_FRAME_BYTES } from "../core/limits.ts";

/**
 * Builds one frame around a payload.
 *
 * @param payload The bytes to carry.
 * @param maxBytes The largest payload allowed.
 * @returns The frame: header then payload.
 * @example
 * ```ts
 * import { encodeFrame } from "./framing.ts";
 * encodeFrame(new Uint8Array([1, 2])); // Uint8Array [0x52, 0x50, 0, 0, 0, 2, 1, 2]
 * ```
 */
export function encodeFrame(payload: Uint8Array, maxBytes = MAX_FRAME_BYTES): Uint8Array {
  if (payload.length > maxBytes) {
    throw new RedeError(
      "FRAME_TOO_LARGE",
      t("net.frame.tooLargeOut", { length: payload.length, max: maxBytes }),
    );
  }
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  frame[0] = FRAME_MAGIC[0];
  frame[1] = FRAME_MAGIC[1];
  new DataView(frame.buffer).setUint32(2, payload.length);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

/**
 * Bytes a frame reader starts with, shrinks back to after a larger frame, and reads ahead at
 * most beyond what it needs. Small on purpose: a server holds one reader per connection, and
 * an idle connection's pending read keeps that much memory (a tracker holds thousands).
 */
const INITIAL_BUFFER = 256;
const NO_BYTES = new Uint8Array(0);

/** Reads frames, and raw bytes between them, from a byte source through one growing buffer. */
export class FrameReader {
  #src: ByteReader;
  #max: number;
  /** Allocated at the first read: a connection refused at once never costs one. */
  #buf = NO_BYTES;
  #start = 0;
  #end = 0;

  constructor(src: ByteReader, maxBytes = MAX_FRAME_BYTES) {
    this.#src = src;
    this.#max = maxBytes;
  }

  /** Bytes read from the source but not yet consumed. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /**
   * Reads the next frame's payload.
   *
   * @returns The payload, or `null` when the source ended cleanly between frames.
   * @throws {RedeError} `BAD_FRAME` on wrong magic or a source that ends inside a frame,
   * `FRAME_TOO_LARGE` when the announced length exceeds the limit.
   */
  async readFrame(): Promise<Uint8Array | null> {
    // One function that awaits the source itself: an idle connection keeps one suspended call
    // here, not a chain of them (a tracker holds thousands).
    for (;;) {
      const need = this.#needed();
      if (this.buffered >= need) return this.#take(need);
      const n = await this.#src.read(this.#space(need));
      if (n === null) {
        if (this.buffered === 0) return null;
        throw new RedeError(
          "BAD_FRAME",
          this.buffered < FRAME_HEADER_BYTES
            ? t("net.frame.endedInHeader")
            : t("net.frame.endedInPayload"),
        );
      }
      this.#end += n;
    }
  }

  /** Bytes the next whole frame takes (its header only, until the header is in), checked. */
  #needed(): number {
    if (this.buffered < FRAME_HEADER_BYTES) return FRAME_HEADER_BYTES;
    const b = this.#buf;
    const s = this.#start;
    if (b[s] !== FRAME_MAGIC[0] || b[s + 1] !== FRAME_MAGIC[1]) {
      throw new RedeError("BAD_FRAME", t("net.frame.magic"));
    }
    const len = new DataView(b.buffer, b.byteOffset + s + 2, 4).getUint32(0);
    if (len > this.#max) {
      throw new RedeError(
        "FRAME_TOO_LARGE",
        t("net.frame.tooLarge", { length: len, max: this.#max }),
      );
    }
    return FRAME_HEADER_BYTES + len;
  }

  /** Takes the payload of the whole frame of `size` bytes at the start of the buffer. */
  #take(size: number): Uint8Array {
    const start = this.#start + FRAME_HEADER_BYTES;
    const payload = this.#buf.slice(start, this.#start + size);
    this.#start += size;
    if (this.#buf.length > INITIAL_BUFFER && this.buffered <= INITIAL_BUFFER) {
      // One large frame must not cost a long-lived connection its size for good.
      const small = new Uint8Array(INITIAL_BUFFER);
      small.set(this.#buf.subarray(this.#start, this.#end));
      this.#end -= this.#start;
      this.#start = 0;
      this.#buf = small;
    }
    return payload;
  }

  /**
   * Reads raw bytes that follow a frame, first from what was already buffered.
   *
   * @param p Where to put them.
   * @returns How many bytes were read, or `null` at the end of the source.
   */
  async readRaw(p: Uint8Array): Promise<number | null> {
    const have = this.buffered;
    if (have > 0) {
      const n = Math.min(have, p.length);
      p.set(this.#buf.subarray(this.#start, this.#start + n));
      this.#start += n;
      return n;
    }
    return await this.#src.read(p);
  }

  /** Where to read more of a frame of `need` bytes: at most `INITIAL_BUFFER` beyond it. */
  #space(need: number): Uint8Array {
    if (this.#start > 0) {
      this.#buf.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
    }
    if (this.#end === this.#buf.length) {
      // Grow only as data arrives, so a large announced length costs nothing until it is sent.
      const size = this.#buf.length === 0
        ? INITIAL_BUFFER
        : Math.min(this.#buf.length * 2, FRAME_HEADER_BYTES + this.#max);
      const grown = new Uint8Array(size);
      grown.set(this.#buf.subarray(0, this.#end));
      this.#buf = grown;
    }
    const upto = Math.min(this.#buf.length, Math.max(need, this.#end + INITIAL_BUFFER));
    return this.#buf.subarray(this.#end, upto);
  }
}
