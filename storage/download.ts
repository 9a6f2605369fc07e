/**
 * Downloads a content chunk by chunk from one or more sources into a partial file beside the
 * target, checking every chunk against the descriptor before it is written, and renames the
 * file into place only when every chunk is in. An interrupted download leaves its partial file
 * (`.NAME.rede-part`, with `.NAME.rede-part.json` naming the content), and the next download
 * of the same content resumes it: chunks already there and still matching are kept.
 *
 * Every path comes from `paths.ts`, which refuses any name that could leave the shared folder.
 */
import { chunkCount, chunkSpan, type Descriptor, hashChunk } from "../core/content.ts";
import { errorLine, hasCode, RedeError } from "../core/errors.ts";
import { readFull, SerialQueue, writeAll, writeJsonAtomic } from "../core/io.ts";
import {
  DEFAULT_TIMINGS,
  DOWNLOAD_BUFFERS,
  MAX_RENAME_ATTEMPTS,
  REQUESTS_PER_SOURCE,
} from "../core/limits.ts";
import { exists, freeName, partialPaths, prepareTarget, sharedPath } from "./paths.ts";
import { BufferPool, Schedule } from "./schedule.ts";

/** One peer serving chunks of the content being downloaded. */
export interface Source {
  readonly label: string;
  /** Asks for a chunk; its bytes come later through {@link receive}, in request order. */
  request(index: number): Promise<void>;
  /** Reads the next requested chunk into `buf`. */
  receive(buf: Uint8Array): Promise<{ index: number; size: number }>;
  /**
   * Waits until the next chunk begins to arrive, telling `onQueued` the source's place in a busy
   * peer's queue meanwhile; a buffer is taken for it only then. Optional.
   */
  ready?(onQueued: (position: number) => void): Promise<void>;
  close(): void;
}

/** What a download reports while it runs. */
export type TransferEvent =
  /** A partial file of the same content was found; `have` chunks of it are good. */
  | { kind: "resumed"; have: number; total: number }
  /** A partial file of another content was in the way and is started over. */
  | { kind: "discarded" }
  /** A source failed and its chunks went to the others. */
  | { kind: "dropped"; source: string; error: unknown }
  /** A source is queued at a busy peer: its place (1: next); this is not a stall. */
  | { kind: "queued"; source: string; position: number }
  /** A source answered BUSY; its chunks went to the others and it is tried again later. */
  | { kind: "busy"; error: unknown; retryMs: number }
  /** A chunk was verified and written: its index, how many are in, and its source. */
  | { kind: "chunk"; index: number; done: number; total: number; source: string }
  /** Bytes in hand (resumed ones included) and sources still working. */
  | { kind: "progress"; received: number; sources: number };

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
  onEvent?: (e: TransferEvent) => void;
  signal?: AbortSignal;
  /** Delays before a source that answered BUSY is tried again (one retry each); `Timings`'. */
  busyDelaysMs?: readonly number[];
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

/**
 * Downloads a content from its sources.
 *
 * @throws {RedeError} `BAD_NAME` for a name that could leave `dir`, before anything is written;
 * `CANCELLED` when the signal aborts, `UNREACHABLE` when every source failed: the partial file
 * is kept in both cases, so the next attempt resumes.
 */
export async function downloadContent(opts: DownloadOptions): Promise<DownloadResult> {
  const { desc } = opts;
  const emit = opts.onEvent ?? (() => {});
  const paths = partialPaths(opts.dir, opts.name);
  await prepareTarget(opts.dir, opts.name);
  const total = chunkCount(desc);
  const { file, have } = await openPartial(paths, desc, emit);
  const resumed = [...have].reduce((n, i) => n + chunkSpan(desc, i).length, 0);
  if (resumed > 0) emit({ kind: "resumed", have: have.size, total });
  const schedule = new Schedule([...Array(total).keys()].filter((i) => !have.has(i)));
  for (const i of have) schedule.done.add(i);
  const pool = new BufferPool(DOWNLOAD_BUFFERS, desc.chunk_size);
  const bySource = new Map<string, number>();
  const open = new Set<Source>();
  const writes = new SerialQueue();
  let received = resumed;
  let written = have.size;
  let working = 0;
  let lastError: unknown;
  let writeError: unknown;
  let wake!: () => void;
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  const abort = () => {
    for (const s of open) s.close();
    wake();
  };
  opts.signal?.addEventListener("abort", abort);

  /** Fetches from one source until done; returns its BUSY answer, if that is how it ended. */
  const fetchFrom = async (openSource: () => Promise<Source>): Promise<RedeError | undefined> => {
    let source: Source;
    try {
      source = await openSource();
    } catch (err) {
      if (hasCode(err, "BUSY")) return err;
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
        await source.ready?.((position) => {
          emit({ kind: "queued", source: source.label, position });
        });
        const buf = await pool.take();
        let keep = false;
        try {
          const { index, size } = await source.receive(buf);
          if (index !== window[0]) throw new RedeError("BAD_PEER", "chunks out of order");
          window.shift();
          const span = chunkSpan(desc, index);
          if (size !== span.length || hashChunk(buf.subarray(0, size)) !== desc.chunks[index]) {
            window.unshift(index);
            throw new RedeError("HASH_MISMATCH", `chunk ${index} does not match its hash`);
          }
          bySource.set(source.label, (bySource.get(source.label) ?? 0) + size);
          busyTries.delete(openSource);
          if (schedule.finish(index)) {
            keep = true;
            const label = source.label;
            writes.run(async () => {
              await file.seek(span.offset, Deno.SeekMode.Start);
              await writeAll(file, buf.subarray(0, size));
              emit({ kind: "chunk", index, done: ++written, total, source: label });
            }).catch((err) => {
              writeError ??= err; // The disk failed (full, gone): stop every source.
              abort();
            }).finally(() => pool.give(buf));
            received += size;
            emit({ kind: "progress", received, sources: working });
            if (schedule.complete) {
              // Every chunk is in: sources still waiting on endgame duplicates can stop.
              for (const other of open) if (other !== source) other.close();
              wake();
            }
          }
        } finally {
          if (!keep) pool.give(buf);
        }
      }
    } catch (err) {
      if (hasCode(err, "BUSY")) return err;
      if (!opts.signal?.aborted && !schedule.complete && writeError === undefined) {
        lastError = err;
        emit({ kind: "dropped", source: source.label, error: err });
      }
    } finally {
      schedule.giveBack(source.label, window);
      working--;
      open.delete(source);
      source.close();
    }
  };

  /** BUSY answers in a row, by source: a source is tried again after each delay, then dropped. */
  const busyTries = new Map<() => Promise<Source>, number>();
  const delays = opts.busyDelaysMs ?? DEFAULT_TIMINGS.busyDelaysMs;
  const runSource = async (openSource: () => Promise<Source>) => {
    while (true) {
      const busy = await fetchFrom(openSource);
      if (busy === undefined || opts.signal?.aborted || schedule.complete) return;
      const tries = busyTries.get(openSource) ?? 0;
      if (tries >= delays.length) {
        lastError = busy;
        return;
      }
      busyTries.set(openSource, tries + 1);
      emit({ kind: "busy", error: busy, retryMs: delays[tries] });
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([stopped, new Promise((r) => (timer = setTimeout(r, delays[tries])))]);
      clearTimeout(timer);
      if (opts.signal?.aborted || schedule.complete || writeError !== undefined) return;
    }
  };

  try {
    // Sources start together; one that finishes early leaves the rest to the others.
    await Promise.all(opts.sources.map(runSource));
    await writes.idle();
    if (writeError !== undefined) throw writeError;
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
    return { path: sharedPath(opts.dir, name), name, resumed, bySource };
  } finally {
    opts.signal?.removeEventListener("abort", abort);
    abort();
    await writes.idle();
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
  emit: (e: TransferEvent) => void,
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
    const buf = new Uint8Array(desc.chunk_size);
    for (let i = 0; i < desc.chunks.length; i++) {
      const { offset, length } = chunkSpan(desc, i);
      await file.seek(offset, Deno.SeekMode.Start);
      const chunk = buf.subarray(0, length);
      if ((await readFull(file, chunk)) === length && hashChunk(chunk) === desc.chunks[i]) {
        have.add(i);
      }
    }
    return { file, have };
  }
  if (state) emit({ kind: "discarded" });
  const file = await Deno.open(paths.data, {
    read: true,
    write: true,
    create: true,
    truncate: true,
  });
  await file.truncate(desc.size);
  await writeJsonAtomic(paths.state, { version: 1, ...desc });
  return { file, have };
}

/** Gives the finished partial file a free final name without ever replacing a file. */
async function commit(
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
  throw new RedeError("INTERNAL", `Cannot find a free name for '${wanted}'`);
}
