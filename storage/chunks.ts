/**
 * Describing a file on disk: its size, chunk hashes and root, read once, a chunk at a time.
 * The arithmetic and the root formula are in `core/content.ts`.
 */
import { CHUNK_BYTES } from "../core/limits.ts";
import { type Descriptor, hashChunk, rootHash } from "../core/content.ts";
import { readFull } from "../core/io.ts";

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
    const filled = await readFull(file, buf);
    if (filled === 0) break;
    chunks.push(hashChunk(buf.subarray(0, filled)));
    size += filled;
    if (filled < buf.length) break;
  }
  return { size, chunk_size: CHUNK_BYTES, chunks, root: rootHash(size, chunks, CHUNK_BYTES) };
}
