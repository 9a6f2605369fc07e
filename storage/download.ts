/**
 * The download writer: streams bytes to a temporary file beside the target while a worker
 * thread hashes them, checks the SHA-256, and only then gives the file its final name,
 * never replacing an existing file.
 */
import { extname, join } from "node:path";
import { RedeError } from "../net/errors.ts";
import { DOWNLOAD_BLOCK_BYTES, DOWNLOAD_BLOCKS } from "../net/limits.ts";
import { ThreadedHasher } from "./hashing.ts";

/** The source of a download's bytes. */
export type ReadFn = (p: Uint8Array) => Promise<number | null>;

export interface SaveOptions {
  /** Folder the file lands in. */
  dir: string;
  /** Name wanted; a free variant is used when it is taken. */
  name: string;
  /** Exact size announced by the source. */
  size: number;
  /** SHA-256 announced by the source. */
  sha256: string;
  /** Reads the next bytes from the source. */
  read: ReadFn;
  /** Names that count as taken even when no file has them yet (for example, manifest names). */
  taken?: (name: string) => boolean;
  /** Called after each block with the bytes received so far. */
  onProgress?: (received: number) => void;
  /** Aborting it cancels the download; the caller also makes `read` fail. */
  signal?: AbortSignal;
}

export interface SavedFile {
  path: string;
  /** The final name; differs from the one asked for when that was taken. */
  name: string;
}

/**
 * Picks a name in `dir` that no file has and `taken` does not claim: `a.txt`, `a (1).txt`, ...
 */
export async function freeName(
  dir: string,
  name: string,
  taken: (name: string) => boolean = () => false,
): Promise<string> {
  const ext = extname(name);
  const stem = ext && ext !== name ? name.slice(0, -ext.length) : name;
  for (let i = 0;; i++) {
    const candidate = i === 0 ? name : `${stem} (${i})${ext === name ? "" : ext}`;
    if (!taken(candidate) && !(await exists(join(dir, candidate)))) return candidate;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

/**
 * Streams a download to disk and verifies it.
 *
 * @returns Where the verified file now is.
 * @throws {RedeError} `CLOSED` when the source ends early, `HASH_MISMATCH` when the bytes do
 * not match, `CANCELLED` when the signal aborts. No file is left behind in any of these cases.
 */
export async function saveDownload(opts: SaveOptions): Promise<SavedFile> {
  await Deno.mkdir(opts.dir, { recursive: true });
  const tmpPath = join(
    opts.dir,
    `.${opts.name}.${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.part`,
  );
  const file = await Deno.open(tmpPath, { write: true, createNew: true });
  const hasher = new ThreadedHasher();
  let committed = false;
  // Three stages run at once: this loop reads the network into a free block, the worker
  // hashes it, then it is written (off the main thread) and goes back to the free blocks.
  const free = new BlockPool(DOWNLOAD_BLOCKS, DOWNLOAD_BLOCK_BYTES);
  let writes = Promise.resolve();
  try {
    let received = 0;
    while (received < opts.size) {
      const block = await free.take();
      const buf = new Uint8Array(block);
      const want = Math.min(buf.length, opts.size - received);
      let filled = 0;
      while (filled < want) {
        const n = await opts.read(buf.subarray(filled, want));
        if (n === null) {
          throw new RedeError(
            "CLOSED",
            `Transfer ended early: got ${received + filled} of ${opts.size} bytes`,
          );
        }
        filled += n;
      }
      const hashed = hasher.update(block, filled);
      writes = Promise.all([hashed, writes]).then(async ([back]) => {
        await writeAll(file, new Uint8Array(back, 0, filled));
        free.give(back);
      });
      writes.catch((err) => free.fail(err)); // A failed write stops the reading loop.
      received += filled;
      opts.onProgress?.(received);
    }
    await writes;
    const digest = await hasher.digest();
    if (digest !== opts.sha256) {
      throw new RedeError(
        "HASH_MISMATCH",
        `Integrity check failed for '${opts.name}': SHA-256 ${digest.slice(0, 12)}… ` +
          `does not match the announced ${opts.sha256.slice(0, 12)}…; nothing was saved`,
      );
    }
    file.close();
    const name = await commit(tmpPath, opts.dir, opts.name, opts.taken);
    committed = true;
    return { path: join(opts.dir, name), name };
  } catch (err) {
    if (opts.signal?.aborted) {
      throw new RedeError("CANCELLED", `Download of '${opts.name}' cancelled; nothing was saved`);
    }
    throw err;
  } finally {
    hasher.close();
    await writes.catch(() => {}); // No write may still be running when the file goes away.
    try {
      file.close();
    } catch {
      // Closed already.
    }
    if (!committed) await Deno.remove(tmpPath).catch(() => {});
  }
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await file.write(data.subarray(off));
}

/** Fixed blocks handed out and given back, so a download's memory never grows. */
class BlockPool {
  #free: ArrayBuffer[] = [];
  #waiting: { resolve: (b: ArrayBuffer) => void; reject: (e: unknown) => void }[] = [];
  #failed?: unknown;

  constructor(count: number, size: number) {
    for (let i = 0; i < count; i++) this.#free.push(new ArrayBuffer(size));
  }

  take(): Promise<ArrayBuffer> {
    if (this.#failed) return Promise.reject(this.#failed);
    const b = this.#free.pop();
    if (b) return Promise.resolve(b);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  give(b: ArrayBuffer): void {
    const w = this.#waiting.shift();
    if (w) w.resolve(b);
    else this.#free.push(b);
  }

  fail(err: unknown): void {
    this.#failed ??= err;
    for (const w of this.#waiting.splice(0)) w.reject(err);
  }
}

/** Gives the verified temporary file a free final name without ever replacing a file. */
async function commit(
  tmpPath: string,
  dir: string,
  wanted: string,
  taken?: (name: string) => boolean,
): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const name = await freeName(dir, wanted, taken);
    const target = join(dir, name);
    try {
      // A hard link fails if the target exists, so nothing is ever overwritten.
      await Deno.link(tmpPath, target);
      await Deno.remove(tmpPath);
      return name;
    } catch (err) {
      if (err instanceof Deno.errors.AlreadyExists) continue; // Someone took it meanwhile.
      // File systems without hard links: rename, having just checked the name is free.
      await Deno.rename(tmpPath, target);
      return name;
    }
  }
  throw new RedeError("INTERNAL", `Cannot find a free name for '${wanted}'`);
}
