/**
 * Downloads a content chunk by chunk from one or more sources into a partial file beside the
 * target, checking every chunk against the descriptor before it is written, and renames the
 * file into place only when every chunk is in. An interrupted download leaves its partial file
 * (`.NAME.rede-part`, with `.NAME.rede-part.json` naming the content), and the next download
 * of the same content resumes it: chunks already there and still matching are kept.
 */
import { basename, dirname, extname, join } from "node:path";
import { errorLine, RedeError } from "../net/errors.ts";
import { CHUNK_BYTES, DOWNLOAD_BUFFERS, REQUESTS_PER_SOURCE } from "../net/limits.ts";
import { chunkCount, chunkSpan, type Descriptor, hashChunk } from "./chunks.ts";

/** One peer serving chunks of the content being downloaded. */
export interface Source {
  readonly label: string;
  /** Asks for a chunk; its bytes come later through {@link receive}, in request order. */
  request(index: number): Promise<void>;
  /** Reads the next requested chunk into `buf`. */
  receive(buf: Uint8Array): Promise<{ index: number; size: number }>;
  close(): void;
}

export interface DownloadOptions {
  /** Shared folder the file lands in. */
  dir: string;
  /** Name wanted, possibly with `/` for a file inside a folder; a free variant is used when taken. */
  name: string;
  desc: Descriptor;
  /** Opens each source; a source that fails to open is skipped. */
  sources: (() => Promise<Source>)[];
  /** Names that count as taken even when no file has them yet (for example, manifest names). */
  taken?: (name: string) => boolean;
  /** Called as chunks arrive with the bytes in hand and the sources still working. */
  onProgress?: (received: number, sources: number) => void;
  /** One line per source dropped, and per resume. */
  log?: (line: string) => void;
  /** Called once a chunk is written: its index, how many are in, and its source. */
  onChunk?: (index: number, done: number, total: number, source: string) => void;
  signal?: AbortSignal;
}

export interface DownloadResult {
  /** Final path and name (the name differs from the one asked for when that was taken). */
  path: string;
  name: string;
  /** Bytes already present from an earlier attempt. */
  resumed: number;
  /** Bytes fetched from each source, by label; duplicates of the endgame included. */
  bySource: Map<string, number>;
}

/** Where the partial data and its state live for a name. */
export function partialPaths(dir: string, name: string): { data: string; state: string } {
  const target = join(dir, ...name.split("/"));
  const data = join(dirname(target), `.${basename(target)}.rede-part`);
  return { data, state: `${data}.json` };
}

/**
 * Picks a name that no file has and `taken` does not claim: `a.txt`, `a (1).txt`, ...
 */
export async function freeName(
  dir: string,
  name: string,
  taken: (name: string) => boolean = () => false,
): Promise<string> {
  const slash = name.lastIndexOf("/");
  const folder = name.slice(0, slash + 1);
  const base = name.slice(slash + 1);
  const ext = extname(base);
  const stem = ext && ext !== base ? base.slice(0, -ext.length) : base;
  for (let i = 0;; i++) {
    const candidate = folder + (i === 0 ? base : `${stem} (${i})${ext === base ? "" : ext}`);
    if (!taken(candidate) && !(await exists(join(dir, ...candidate.split("/"))))) {
      return candidate;
    }
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

/** Fixed buffers handed out and given back, so a download's memory never grows. */
class BufferPool {
  #free: Uint8Array[] = [];
  #waiting: ((b: Uint8Array) => void)[] = [];

  constructor(count: number, size: number) {
    for (let i = 0; i < count; i++) this.#free.push(new Uint8Array(size));
  }

  take(): Promise<Uint8Array> {
    const b = this.#free.pop();
    return b ? Promise.resolve(b) : new Promise((resolve) => this.#waiting.push(resolve));
  }

  give(b: Uint8Array): void {
    const w = this.#waiting.shift();
    if (w) w(b);
    else this.#free.push(b);
  }
}

/** Which chunks are wanted, which are being fetched and by whom, which are done. */
class Schedule {
  readonly done = new Set<number>();
  #queue: number[];
  #fetching = new Map<number, Set<string>>();

  constructor(missing: number[]) {
    this.#queue = missing;
  }

  get complete(): boolean {
    return this.#queue.length === 0 && this.#fetching.size === 0;
  }

  /**
   * The next chunk for a source: the first wanted one; when none is left, one that another
   * source is still fetching (the endgame), so a slow source cannot hold the download back.
   */
  next(source: string): number | undefined {
    let index = this.#queue.shift();
    if (index === undefined) {
      for (const [i, by] of this.#fetching) {
        if (!by.has(source)) {
          index = i;
          break;
        }
      }
    }
    if (index === undefined) return undefined;
    const by = this.#fetching.get(index) ?? new Set();
    by.add(source);
    this.#fetching.set(index, by);
    return index;
  }

  /** A chunk arrived and checked; false if another source delivered it first. */
  finish(index: number): boolean {
    this.#fetching.delete(index);
    if (this.done.has(index)) return false;
    this.done.add(index);
    return true;
  }

  /** A source will not deliver these: they go back to the front of the queue. */
  giveBack(source: string, indexes: number[]): void {
    for (const i of indexes.reverse()) {
      const by = this.#fetching.get(i);
      by?.delete(source);
      if (by && by.size === 0) this.#fetching.delete(i);
      if (!this.done.has(i) && !this.#fetching.has(i) && !this.#queue.includes(i)) {
        this.#queue.unshift(i);
      }
    }
  }
}

/**
 * Downloads a content from its sources.
 *
 * @throws {RedeError} `CANCELLED` when the signal aborts, `UNREACHABLE` when every source
 * failed; the partial file is kept in both cases, so the next attempt resumes.
 */
export async function downloadContent(opts: DownloadOptions): Promise<DownloadResult> {
  const { desc } = opts;
  const paths = partialPaths(opts.dir, opts.name);
  await Deno.mkdir(dirname(paths.data), { recursive: true });
  const total = chunkCount(desc.size);
  const { file, have } = await openPartial(paths, desc, opts.log);
  const resumed = [...have].reduce((n, i) => n + chunkSpan(desc.size, i).length, 0);
  if (resumed > 0) {
    opts.log?.(`Resuming '${opts.name}': ${have.size} of ${total} chunks already here`);
  }
  const schedule = new Schedule([...Array(total).keys()].filter((i) => !have.has(i)));
  for (const i of have) schedule.done.add(i);
  const pool = new BufferPool(DOWNLOAD_BUFFERS, CHUNK_BYTES);
  const bySource = new Map<string, number>();
  const open = new Set<Source>();
  let received = resumed;
  let written = have.size;
  let working = 0;
  let lastError: unknown;
  let writes = Promise.resolve();
  const abort = () => {
    for (const s of open) s.close();
  };
  opts.signal?.addEventListener("abort", abort);

  const runSource = async (openSource: () => Promise<Source>) => {
    let source: Source;
    try {
      source = await openSource();
    } catch (err) {
      lastError = err;
      return;
    }
    open.add(source);
    working++;
    const window: number[] = [];
    try {
      while (!opts.signal?.aborted) {
        while (window.length < REQUESTS_PER_SOURCE) {
          const index = schedule.next(source.label);
          if (index === undefined) break;
          window.push(index);
          await source.request(index);
        }
        if (window.length === 0) break;
        const buf = await pool.take();
        let keep = false;
        try {
          const { index, size } = await source.receive(buf);
          if (index !== window[0]) throw new RedeError("BAD_REQUEST", "chunks out of order");
          window.shift();
          const span = chunkSpan(desc.size, index);
          if (size !== span.length || hashChunk(buf.subarray(0, size)) !== desc.chunks[index]) {
            window.unshift(index);
            throw new RedeError("HASH_MISMATCH", `chunk ${index} does not match its hash`);
          }
          bySource.set(source.label, (bySource.get(source.label) ?? 0) + size);
          if (schedule.finish(index)) {
            keep = true;
            const label = source.label;
            writes = writes.then(async () => {
              await file.seek(span.offset, Deno.SeekMode.Start);
              await writeAll(file, buf.subarray(0, size));
              opts.onChunk?.(index, ++written, total, label);
            }).finally(() => pool.give(buf));
            received += size;
            opts.onProgress?.(received, working);
            if (schedule.complete) {
              // Every chunk is in: sources still waiting on endgame duplicates can stop.
              for (const other of open) if (other !== source) other.close();
            }
          }
        } finally {
          if (!keep) pool.give(buf);
        }
      }
    } catch (err) {
      if (!opts.signal?.aborted && !schedule.complete) {
        lastError = err;
        opts.log?.(`Dropped source ${source.label}: ${errorLine(err)}`);
      }
    } finally {
      schedule.giveBack(source.label, window);
      working--;
      open.delete(source);
      source.close();
    }
  };

  try {
    // Sources start together; one that finishes early leaves the rest to the others.
    await Promise.all(opts.sources.map(runSource));
    await writes;
    if (opts.signal?.aborted) {
      throw new RedeError(
        "CANCELLED",
        `Download of '${opts.name}' cancelled; ${schedule.done.size} of ${total} chunks kept to resume`,
      );
    }
    if (!schedule.complete) {
      throw new RedeError(
        "UNREACHABLE",
        `No source could finish '${opts.name}' (${schedule.done.size} of ${total} chunks kept ` +
          `to resume): ${lastError ? errorLine(lastError) : "no source"}`,
        { cause: lastError },
      );
    }
    file.close();
    const name = await commit(paths.data, opts.dir, opts.name, opts.taken);
    await Deno.remove(paths.state).catch(() => {});
    return { path: join(opts.dir, ...name.split("/")), name, resumed, bySource };
  } finally {
    opts.signal?.removeEventListener("abort", abort);
    abort();
    await writes.catch(() => {});
    try {
      file.close();
    } catch {
      // Closed already.
    }
  }
}

/**
 * Opens the partial file for a content: resumes one that names the same content, keeping the
 * chunks that still match, or starts a new one.
 */
async function openPartial(
  paths: { data: string; state: string },
  desc: Descriptor,
  log?: (line: string) => void,
): Promise<{ file: Deno.FsFile; have: Set<number> }> {
  const have = new Set<number>();
  let state: { root?: string } | undefined;
  try {
    state = JSON.parse(await Deno.readTextFile(paths.state));
  } catch {
    state = undefined;
  }
  if (state?.root === desc.root && (await exists(paths.data))) {
    const file = await Deno.open(paths.data, { read: true, write: true });
    const buf = new Uint8Array(CHUNK_BYTES);
    for (let i = 0; i < desc.chunks.length; i++) {
      const { offset, length } = chunkSpan(desc.size, i);
      await file.seek(offset, Deno.SeekMode.Start);
      let filled = 0;
      while (filled < length) {
        const n = await file.read(buf.subarray(filled, length));
        if (n === null) break;
        filled += n;
      }
      if (filled === length && hashChunk(buf.subarray(0, length)) === desc.chunks[i]) have.add(i);
    }
    return { file, have };
  }
  if (state) log?.(`Discarding an old partial download of other content`);
  const file = await Deno.open(paths.data, {
    read: true,
    write: true,
    create: true,
    truncate: true,
  });
  await file.truncate(desc.size);
  const tmp = `${paths.state}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify({ version: 1, ...desc }));
  await Deno.rename(tmp, paths.state);
  return { file, have };
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await file.write(data.subarray(off));
}

/** Gives the finished partial file a free final name without ever replacing a file. */
async function commit(
  dataPath: string,
  dir: string,
  wanted: string,
  taken?: (name: string) => boolean,
): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const name = await freeName(dir, wanted, taken);
    const target = join(dir, ...name.split("/"));
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
  throw new RedeError("INTERNAL", `Cannot find a free name for '${wanted}'`);
}
