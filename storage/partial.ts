/**
 * The files a download keeps on disk before it is done: the partial data `.NAME.rede-part` (at
 * the final size, chunks written in place) and its state `.NAME.rede-part.json` (the descriptor).
 * Opening resumes a partial file of the same content, re-checking its chunks (with progress, and
 * stopping on cancel); and a complete file already at the target name that matches the content
 * (a crash between the final rename and the manifest line leaves one) is recognised and kept.
 */
import type { Descriptor } from "../core/content.ts";
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { MAX_RENAME_ATTEMPTS } from "../core/limits.ts";
import { writeJsonAtomic } from "../core/io.ts";
import { assertRoom, checkChunks, heldBytes } from "./disk.ts";
import { exists, freeName, sharedPath } from "./paths.ts";

/** Where a download's partial data and state live. */
export interface PartialPaths {
  data: string;
  state: string;
}

/** Reports progress of a check: chunks checked, of all, and what is checked. */
export type CheckProgress = (of: "partial" | "complete", done: number, total: number) => void;

/** The root a state file names, if it is readable. */
async function stateRoot(path: string): Promise<string | undefined> {
  try {
    const state = JSON.parse(await Deno.readTextFile(path));
    return typeof state?.root === "string" ? state.root : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the file at `target` is already the complete content: same size, and every chunk
 * matching (hashed a chunk at a time, stopping at the first that does not). When it is, the
 * state a crash may have left for it is removed.
 *
 * @throws {RedeError} `CANCELLED` when the signal aborts.
 */
export async function isComplete(
  target: string,
  paths: PartialPaths,
  desc: Descriptor,
  progress: CheckProgress,
  signal?: AbortSignal,
): Promise<boolean> {
  let st: Deno.FileInfo;
  try {
    st = await Deno.lstat(target);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
  if (!st.isFile || st.size !== desc.size) return false;
  using file = await Deno.open(target, { read: true });
  const good = await checkChunks(file, desc, {
    signal,
    firstMismatchStops: true,
    onProgress: (done, total) => progress("complete", done, total),
  });
  if (good.size !== desc.chunks.length) return false;
  if ((await stateRoot(paths.state)) === desc.root) {
    await Deno.remove(paths.data).catch(() => {});
    await Deno.remove(paths.state).catch(() => {});
  }
  return true;
}

/**
 * Opens the partial file for a content: resumes one that names the same content, keeping the
 * chunks that still match, or starts a new one. Before anything is allocated, it refuses a
 * content that cannot fit on the disk (counting what the partial file already holds).
 *
 * @param name The name being downloaded, for the messages.
 * @param discarded Called when a partial file of another content is started over.
 * @throws {RedeError} `NO_SPACE` before anything is written when the file cannot fit;
 * `CANCELLED` when the signal aborts during the re-check (the partial file is kept).
 */
export async function openPartial(
  paths: PartialPaths,
  folder: string,
  name: string,
  desc: Descriptor,
  opts: { progress: CheckProgress; discarded: () => void; signal?: AbortSignal },
): Promise<{ file: Deno.FsFile; have: Set<number> }> {
  const held = await heldBytes(paths.data);
  assertRoom(folder, name, Math.max(0, desc.size - held));
  const root = await stateRoot(paths.state);
  if (root === desc.root && (await exists(paths.data))) {
    const file = await Deno.open(paths.data, { read: true, write: true });
    try {
      const have = await checkChunks(file, desc, {
        signal: opts.signal,
        onProgress: (done, total) => opts.progress("partial", done, total),
      });
      return { file, have };
    } catch (err) {
      file.close();
      throw err;
    }
  }
  if (root !== undefined && root !== desc.root) opts.discarded();
  const file = await Deno.open(paths.data, {
    read: true,
    write: true,
    create: true,
    truncate: true,
  });
  try {
    await file.truncate(desc.size);
    await writeJsonAtomic(paths.state, { version: 1, ...desc });
  } catch (err) {
    file.close();
    throw err;
  }
  return { file, have: new Set() };
}

/** Gives the finished partial file a free final name without ever replacing a file. */
export async function commit(
  dataPath: string,
  dir: string,
  wanted: string,
  taken?: (name: string) => boolean,
): Promise<string> {
  for (let attempt = 0; attempt < MAX_RENAME_ATTEMPTS; attempt++) {
    const name = await freeName(dir, wanted, taken);
    const target = sharedPath(dir, name);
    try {
      // A hard link fails if the target exists, so nothing is ever overwritten.
      await Deno.link(dataPath, target);
      await Deno.remove(dataPath);
      return name;
    } catch (err) {
      if (err instanceof Deno.errors.AlreadyExists) continue; // Someone took it meanwhile.
      // File systems without hard links: rename, having just checked the name is free.
      await Deno.rename(dataPath, target);
      return name;
    }
  }
  throw new RedeError("INTERNAL", t("partial.noFreeName", { name: wanted }));
}
