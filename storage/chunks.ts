/**
 * Reading shared files: opening one without following a link, the stamp that tells whether it
 * is still the file that was described (identity and change times), describing it (its size,
 * chunk hashes and root, read once, a chunk at a time), and reading a chunk of it. The
 * arithmetic and the root formula are in `core/content.ts`.
 */
import { constants, promises as fsp, type Stats } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import * as v from "valibot";
import { chunkSizeFor, type Descriptor, hashChunk, rootHash } from "../core/content.ts";
import { t } from "../core/i18n.ts";

/**
 * What says a file on disk is the one that was described: its identity (device and inode) and
 * what changes when it is written (size, modification and change times). A file replaced by
 * another, or by a link, has another identity; a file rewritten in place, even with its
 * modification time put back, has another change time.
 */
export const FileStamp = v.object({
  dev: v.number(),
  ino: v.number(),
  size: v.number(),
  mtimeMs: v.number(),
  ctimeMs: v.number(),
});
export type FileStamp = v.InferOutput<typeof FileStamp>;

/** The stamp of a file's status. */
export function stampOf(st: Stats): FileStamp {
  return { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs };
}

/** Whether two stamps are of the same file (device and inode). */
export function sameFile(a: FileStamp, b: FileStamp): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** Whether two stamps are of the same file with the same size and modification time. */
export function sameWrite(a: FileStamp, b: FileStamp): boolean {
  return sameFile(a, b) && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** Whether two stamps are of the same file, unchanged. */
export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return sameWrite(a, b) && a.ctimeMs === b.ctimeMs;
}

/**
 * Whether a stamp cannot be trusted to show later changes: the file changed during the second
 * in which it was opened (`openedAt`), and change times may only count whole seconds (they do
 * in Deno), so a rewrite later in that second would leave the stamp as it is. The share index
 * checks each chunk of such a file against its hash before sending it. (A change time ahead of the clock is no reason to distrust:
 * any write moves it to the present.)
 */
export function isRacy(stamp: FileStamp, openedAt: number): boolean {
  return Math.floor(stamp.ctimeMs / 1000) === Math.floor(openedAt / 1000);
}

/** Not a regular file any more, or a link where a file was: a shared file that cannot be read. */
export class NotAFileError extends Error {}

/** `O_NOFOLLOW` where the system has it (not on Windows). */
const NOFOLLOW: number | undefined = constants.O_NOFOLLOW;
/** `O_NONBLOCK`: opening a named pipe put in a file's place returns at once (then is refused). */
const NONBLOCK: number = constants.O_NONBLOCK ?? 0;

/**
 * Opens a regular file for reading without following a link at its last part: on systems with
 * `O_NOFOLLOW` the open itself refuses a link; elsewhere the path is checked with `lstat` first
 * (and the caller compares the identity of what it opened).
 *
 * @returns The open file and its stamp, read from the open file itself.
 * @throws {NotAFileError} for a link or anything but a regular file; the system's error when
 * there is nothing there.
 */
export async function openFile(path: string): Promise<{ file: FileHandle; stamp: FileStamp }> {
  if (NOFOLLOW === undefined && (await fsp.lstat(path)).isSymbolicLink()) {
    throw new NotAFileError(t("storage.isLink", { path }));
  }
  let file: FileHandle;
  try {
    file = await fsp.open(path, constants.O_RDONLY | (NOFOLLOW ?? 0) | NONBLOCK);
  } catch (err) {
    if ((err as { code?: string }).code === "ELOOP") {
      throw new NotAFileError(t("storage.isLink", { path }), { cause: err });
    }
    throw err;
  }
  try {
    const st = await file.stat();
    if (!st.isFile()) throw new NotAFileError(t("storage.notRegular", { path }));
    return { file, stamp: stampOf(st) };
  } catch (err) {
    await file.close();
    throw err;
  }
}

/**
 * Reads up to `buf.length` bytes at `position`, however many reads it takes.
 *
 * @returns How many bytes were read: fewer only at the end of the file.
 */
export async function readAt(file: FileHandle, buf: Uint8Array, position: number): Promise<number> {
  let filled = 0;
  while (filled < buf.length) {
    const { bytesRead } = await file.read(buf, filled, buf.length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

/** A descriptor, with the stamp of the file it was read from and when. */
export interface DescribedFile {
  desc: Descriptor;
  stamp: FileStamp;
  /** Whether the stamp cannot be trusted to show later changes (see {@link isRacy}). */
  racy: boolean;
}

/**
 * Reads a file once and describes it, a chunk at a time, with the stamp of the open file.
 *
 * @param path The file; a link there is refused, never followed.
 * @param signal Stops the reading between two chunks.
 * @throws {NotAFileError} for a link or anything but a regular file.
 */
export async function describeStamped(path: string, signal?: AbortSignal): Promise<DescribedFile> {
  const { file, stamp } = await openFile(path);
  const openedAt = Date.now();
  try {
    // The chunk size follows from the size: should the file grow or shrink while it is read
    // past the size of another chunk size, it is read again with that one (and is racy).
    let chunkSize = chunkSizeFor(stamp.size);
    let chunks: string[];
    let size: number;
    while (true) {
      const buf = new Uint8Array(chunkSize);
      chunks = [];
      size = 0;
      while (true) {
        signal?.throwIfAborted();
        const filled = await readAt(file, buf, size);
        if (filled === 0) break;
        chunks.push(hashChunk(buf.subarray(0, filled)));
        size += filled;
        if (filled < buf.length) break;
      }
      if (chunkSizeFor(size) === chunkSize) break;
      chunkSize = chunkSizeFor(size);
    }
    const desc = { size, chunk_size: chunkSize, chunks, root: rootHash(size, chunks, chunkSize) };
    return { desc, stamp, racy: size !== stamp.size || isRacy(stamp, openedAt) };
  } finally {
    await file.close();
  }
}

/**
 * Reads a file once and describes it, a chunk at a time.
 *
 * @param path The file; a link there is refused, never followed.
 * @returns Its descriptor.
 */
export async function describeFile(path: string): Promise<Descriptor> {
  return (await describeStamped(path)).desc;
}
