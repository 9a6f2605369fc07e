/**
 * The disk side of a download: how much room the target disk has, whether a write failed because
 * it is full, and checking chunks already on disk against a descriptor, with progress and a way
 * to stop.
 */
import { statfsSync } from "node:fs";
import { chunkSpan, type Descriptor, hashChunk } from "../core/content.ts";
import { errorLine, RedeError } from "../core/errors.ts";
import { formatBytes, formatNumber, t } from "../core/i18n.ts";
import { readFull } from "../core/io.ts";
import { ROOM_SLACK_BYTES } from "../core/limits.ts";

/**
 * Bytes this user may still write on the disk that holds `path` (`bavail × bsize`), or
 * `undefined` when that cannot be known: the program was not given `--allow-sys=statfs` (it is
 * never prompted for), or the system does not say (an error, or a file system of no size).
 */
export function freeBytes(path: string): number | undefined {
  try {
    const perm = Deno.permissions.querySync({ name: "sys", kind: "statfs" });
    if (perm.state !== "granted") return undefined;
    const st = statfsSync(path);
    // Some file systems (FUSE, network ones) report no sizes at all: that says nothing.
    if (Number(st.blocks) === 0) return undefined;
    const free = Number(st.bavail) * Number(st.bsize);
    return Number.isFinite(free) && free >= 0 ? free : undefined;
  } catch {
    return undefined;
  }
}

/** Bytes a file really holds on disk (a sparse file holds less than its size); 0 if absent. */
export async function heldBytes(path: string): Promise<number> {
  try {
    const st = await Deno.lstat(path);
    if (!st.isFile) return 0;
    return st.blocks === null ? st.size : Math.min(st.size, st.blocks * 512);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return 0;
    throw err;
  }
}

/** Whether a failed write failed because the disk (or the user's quota) is full. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (code === "ENOSPC" || code === "EDQUOT" || code === "NO_SPACE") return true;
  const text = err instanceof Error ? err.message : "";
  return /no space left|disk quota exceeded|not enough space on the disk|disk is full/i.test(text);
}

/**
 * Refuses a download that cannot fit: `needed` more bytes than the disk holding `dir` has free.
 * Nothing is done when the free space cannot be known.
 *
 * @throws {RedeError} `NO_SPACE` with one line saying how much is needed and how much is free.
 */
export function assertRoom(dir: string, name: string, needed: number): void {
  const free = freeBytes(dir);
  if (free === undefined || needed <= free) return;
  throw new RedeError(
    "NO_SPACE",
    t("disk.noRoom", { name, needed: formatBytes(needed), free: formatBytes(free), dir }),
  );
}

export interface CheckOptions {
  signal?: AbortSignal;
  /** Chunks checked so far, of all; called with 0 first, then after every chunk. */
  onProgress?: (done: number, total: number) => void;
  /** Stops at the first chunk that does not match (the whole file must match, or nothing). */
  firstMismatchStops?: boolean;
}

/**
 * Reads the chunks of `file` and checks each against `desc`, a chunk at a time, reporting
 * progress and stopping as soon as the signal aborts.
 *
 * @returns The indexes of the chunks that match.
 * @throws {RedeError} `CANCELLED` when the signal aborts; the file is left as it was.
 */
export async function checkChunks(
  file: Deno.FsFile,
  desc: Descriptor,
  opts: CheckOptions = {},
): Promise<Set<number>> {
  const good = new Set<number>();
  const total = desc.chunks.length;
  const buf = new Uint8Array(desc.chunk_size);
  opts.onProgress?.(0, total);
  for (let i = 0; i < total; i++) {
    if (opts.signal?.aborted) {
      throw new RedeError(
        "CANCELLED",
        t("disk.checkCancelled", { done: formatNumber(i), count: total }),
      );
    }
    const { offset, length } = chunkSpan(desc, i);
    await file.seek(offset, Deno.SeekMode.Start);
    const chunk = buf.subarray(0, length);
    if ((await readFull(file, chunk)) === length && hashChunk(chunk) === desc.chunks[i]) {
      good.add(i);
    } else if (opts.firstMismatchStops) {
      return good;
    }
    opts.onProgress?.(i + 1, total);
  }
  return good;
}

/** What a download still has to write and the room the disk has, in bytes. */
export interface ShortOfRoom {
  still: number;
  free: number;
}

/**
 * What a download's partial file still needs and the free space, when the disk has less room
 * than that; undefined while it fits (or nothing is known).
 */
export function shortOfRoom(
  folder: string,
  file: Deno.FsFile,
  desc: Descriptor,
  written: number,
): ShortOfRoom | undefined {
  const free = freeBytes(folder);
  // What the partial file does not hold yet (a sparse file holds the chunks written so far).
  const blocks = file.statSync().blocks;
  const still = desc.size - (blocks === null ? written * desc.chunk_size : blocks * 512);
  if (free === undefined || still <= free + ROOM_SLACK_BYTES) return undefined;
  return { still, free };
}

/** The one line for a download stopped by the disk, `kept` of `total` chunks kept. */
export function diskStopError(
  name: string,
  kept: number,
  total: number,
  { err, short }: { err: unknown; short?: ShortOfRoom },
): RedeError {
  const count = total;
  const written = formatNumber(kept);
  if (!isDiskFull(err)) {
    const message = t("disk.writeFailed", { name, error: errorLine(err), written, count });
    return new RedeError("INTERNAL", message, { cause: err });
  }
  const message = short === undefined
    ? t("disk.full", { name, written, count })
    : t("disk.fullShort", {
      name,
      still: formatBytes(short.still),
      free: formatBytes(short.free),
      written,
      count,
    });
  return new RedeError("NO_SPACE", message, { cause: err });
}
