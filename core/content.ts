/**
 * The vocabulary of shared content, one declaration each for its type and its runtime check
 * (valibot schemas, whose output types are the TypeScript types):
 * hashes, sizes, shared names, file summaries and descriptors. The wire messages
 * (`net/protocol.ts`) and the on-disk caches are built from these.
 *
 * Content addressing: a file is described by its size, the SHA-256 of each chunk (their size
 * follows from the file's: {@link chunkSizeFor}), and a root hash over them, so every chunk can be checked on its own and the root names the
 * content wherever it is and whatever it is called.
 *
 * root = SHA-256( "rede-p2p/2" ‖ size as u64 big-endian ‖ chunk size as u32 big-endian ‖
 *                 chunk hash 0 ‖ chunk hash 1 ‖ … )   (chunk hashes as raw 32-byte digests)
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import * as v from "valibot";
import { t } from "./i18n.ts";
import { CHUNK_BYTES, CHUNKS_TARGET, MAX_CHUNK_BYTES } from "./limits.ts";
import { badNameError, sharePathProblem } from "./names.ts";

/** A SHA-256 digest: 64 lower-case hex digits. */
export const Hash = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, () => t("core.content.notHash")));

/** A byte count, index or count: a non-negative safe integer. */
export const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** Whether a name keeps to the rule of `core/names.ts`. */
function isShareName(name: string): boolean {
  return sharePathProblem(name) === undefined;
}

/** A shared name (see `core/names.ts`); a failure's message says which part is wrong and why. */
export const ShareName = v.pipe(
  v.string(),
  v.check(isShareName, (issue) => {
    const name = String(issue.input);
    return badNameError(name, sharePathProblem(name) ?? "").message;
  }),
);

/** Whether a validation issue is a name that broke the rule (answered with `BAD_NAME`). */
export function isNameIssue(issue: v.BaseIssue<unknown>): boolean {
  return issue.requirement === isShareName;
}

/** A shared file as a peer lists it: name, size and root hash. */
export const FileSummary = v.object({ name: ShareName, size: Count, root: Hash });
export type FileSummary = v.InferOutput<typeof FileSummary>;

/** The fields of a descriptor, before their consistency is checked. */
export const DESCRIPTOR_FIELDS = {
  size: Count,
  chunk_size: v.picklist(
    [CHUNK_BYTES, 2 * CHUNK_BYTES, MAX_CHUNK_BYTES],
    () =>
      t("core.content.chunkSize", {
        small: CHUNK_BYTES,
        medium: 2 * CHUNK_BYTES,
        large: MAX_CHUNK_BYTES,
      }),
  ),
  chunks: v.array(Hash),
  root: Hash,
};

/** What the consistency check of a descriptor reads. */
interface DescriptorLike {
  size: number;
  chunk_size: number;
  chunks: string[];
  root: string;
}

/** The consistency check of a descriptor (chunk count, root over the chunk hashes). */
export function consistent<T extends DescriptorLike>() {
  return v.check(
    (d: T) => descriptorProblem(d) === undefined,
    (issue) => descriptorProblem(issue.input) ?? t("core.content.inconsistent"),
  );
}

/** A file's content: size, chunk hashes, root, checked for consistency. */
export const Descriptor = v.pipe(v.object(DESCRIPTOR_FIELDS), consistent());
export type Descriptor = v.InferOutput<typeof Descriptor>;

/** A shared file's descriptor, with the name it is shared under. */
export type NamedDescriptor = Descriptor & { name: string };

/**
 * The chunk size of a file of `size` bytes: 1 MiB while that makes at most
 * {@link CHUNKS_TARGET} chunks, else 2 MiB while that does, else 4 MiB.
 */
export function chunkSizeFor(size: number): number {
  let chunk = CHUNK_BYTES;
  while (chunk < MAX_CHUNK_BYTES && size > chunk * CHUNKS_TARGET) chunk *= 2;
  return chunk;
}

/** How many chunks a content has (0 for an empty file). */
export function chunkCount(d: { size: number; chunk_size: number }): number {
  return Math.ceil(d.size / d.chunk_size);
}

/** Byte offset and length of chunk `index` of a content. */
export function chunkSpan(
  d: { size: number; chunk_size: number },
  index: number,
): { offset: number; length: number } {
  const offset = index * d.chunk_size;
  return { offset, length: Math.max(0, Math.min(d.chunk_size, d.size - offset)) };
}

/** SHA-256 of one chunk's bytes, hex. */
export function hashChunk(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

const DOMAIN = new TextEncoder().encode("rede-p2p/2");

/**
 * The root hash of a content.
 *
 * @example
 * ```ts
 * import { rootHash } from "./content.ts";
 * rootHash(0, [], 1048576); // the root of the empty file, "f0190a23…"
 * ```
 */
export function rootHash(size: number, chunks: readonly string[], chunkSize: number): string {
  const head = new Uint8Array(12);
  const view = new DataView(head.buffer);
  view.setBigUint64(0, BigInt(size));
  view.setUint32(8, chunkSize);
  const h = createHash("sha256").update(DOMAIN).update(head);
  for (const c of chunks) h.update(Buffer.from(c, "hex"));
  return h.digest("hex");
}

/** Why a descriptor is not whole and consistent, or `undefined` when it is. */
export function descriptorProblem(d: DescriptorLike): string | undefined {
  // Checked again here: this check also runs when a field check failed, and the root needs a count.
  if (!Number.isSafeInteger(d.size) || d.size < 0) return t("core.content.sizeNotCount");
  if (d.chunk_size !== chunkSizeFor(d.size)) {
    return t("core.content.wrongChunkSize", { chunkSize: d.chunk_size, size: d.size });
  }
  if (d.chunks.length !== chunkCount(d)) return t("core.content.chunkCount");
  if (rootHash(d.size, d.chunks, d.chunk_size) !== d.root) return t("core.content.root");
  return undefined;
}
