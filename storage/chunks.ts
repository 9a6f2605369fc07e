/**
 * Content addressing: a file is described by its size, the SHA-256 of each fixed-size chunk,
 * and a root hash over them, so every chunk can be checked on its own and the root names the
 * content wherever it is and whatever it is called.
 *
 * root = SHA-256( "rede-p2p/2" ‖ size as u64 big-endian ‖ chunk size as u32 big-endian ‖
 *                 chunk hash 0 ‖ chunk hash 1 ‖ … )   (chunk hashes as raw 32-byte digests)
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { CHUNK_BYTES } from "../net/limits.ts";

/** A file's content: size, chunk hashes, root. */
export interface Descriptor {
  size: number;
  chunk_size: number;
  /** SHA-256 of each chunk, lower-case hex. */
  chunks: string[];
  /** SHA-256 over the size, chunk size and chunk hashes, lower-case hex. */
  root: string;
}

const DOMAIN = new TextEncoder().encode("rede-p2p/2");

/** How many chunks a file of `size` bytes has (0 for an empty file). */
export function chunkCount(size: number, chunkSize = CHUNK_BYTES): number {
  return Math.ceil(size / chunkSize);
}

/** Byte offset and length of chunk `index`. */
export function chunkSpan(
  size: number,
  index: number,
  chunkSize = CHUNK_BYTES,
): { offset: number; length: number } {
  const offset = index * chunkSize;
  return { offset, length: Math.max(0, Math.min(chunkSize, size - offset)) };
}

/** SHA-256 of one chunk's bytes, hex. */
export function hashChunk(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * The root hash of a file.
 *
 * @example
 * ```ts
 * import { rootHash } from "./chunks.ts";
 * rootHash(0, [], 4194304); // the root of the empty file
 * ```
 */
export function rootHash(size: number, chunks: string[], chunkSize = CHUNK_BYTES): string {
  const head = new Uint8Array(12);
  const view = new DataView(head.buffer);
  view.setBigUint64(0, BigInt(size));
  view.setUint32(8, chunkSize);
  const h = createHash("sha256").update(DOMAIN).update(head);
  for (const c of chunks) h.update(Buffer.from(c, "hex"));
  return h.digest("hex");
}

/** Checks that a descriptor is whole and consistent: right chunk count, root over its hashes. */
export function descriptorProblem(d: Descriptor): string | undefined {
  if (d.chunk_size !== CHUNK_BYTES) return `unsupported chunk size ${d.chunk_size}`;
  if (d.chunks.length !== chunkCount(d.size, d.chunk_size)) return "wrong number of chunks";
  if (rootHash(d.size, d.chunks, d.chunk_size) !== d.root) return "root does not match its chunks";
  return undefined;
}

/**
 * Reads a file once and describes it, a chunk at a time.
 *
 * @param path The file.
 * @returns Its descriptor.
 */
export async function describeFile(path: string): Promise<Descriptor> {
  using file = await Deno.open(path, { read: true });
  const buf = new Uint8Array(CHUNK_BYTES);
  const chunks: string[] = [];
  let size = 0;
  while (true) {
    let filled = 0;
    while (filled < buf.length) {
      const n = await file.read(buf.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    if (filled === 0) break;
    chunks.push(hashChunk(buf.subarray(0, filled)));
    size += filled;
    if (filled < buf.length) break;
  }
  return { size, chunk_size: CHUNK_BYTES, chunks, root: rootHash(size, chunks) };
}
