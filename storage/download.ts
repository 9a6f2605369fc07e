/**
 * Downloads a content chunk by chunk from one or more sources into a partial file beside the
 * target, checking every chunk against the descriptor before it is written, and renames the
 * file into place only when every chunk is in. An interrupted download leaves its partial file
 * (`.NAME.rede-part`, with `.NAME.rede-part.json` naming the content), and the next download
 * of the same content resumes it: chunks already there and still matching are kept. A file that
 * cannot fit on the disk is refused before anything is written, and a disk that fills up stops
 * the download at once (`partial.ts` and `disk.ts` hold the disk side).
 *
 * Every path comes from `paths.ts`, which refuses any name that could leave the shared folder.
 */
import { dirname } from "node:path";
import { chunkCount, chunkSpan, type Descriptor, hashChunk } from "../core/content.ts";
import { errorLine, hasCode, RedeError } from "../core/errors.ts";
import { formatNumber, t } from "../core/i18n.ts";
import { SerialQueue, writeAll } from "../core/io.ts";
import { pause, untilStopped } from "../core/wait.ts";
import {
  DEFAULT_TIMINGS,
  DOWNLOAD_BUFFER_BYTES,
  DOWNLOAD_IN_FLIGHT_BYTES,
  MAX_SOURCES,
  PROGRESS_MS,
  REQUESTS_PER_SOURCE,
  SUGGEST_MISSES,
} from "../core/limits.ts";
import { diskStopError, isDiskFull, type ShortOfRoom, shortOfRoom } from "./disk.ts";
import { partialPaths, prepareTarget, sharedPath } from "./paths.ts";
import { type CheckProgress, commit, isComplete, openPartial } from "./partial.ts";
import type { OpenSource, Source, SwarmHooks, TransferEvent } from "./events.ts";
import { BufferPool, Credits, Schedule } from "./schedule.ts";

export type { OpenSource, Source, SwarmHooks, TransferEvent } from "./events.ts";

export interface DownloadOptions {
  /** Shared folder the file lands in. */
  dir: string;
  /** Name wanted, possibly with `/` for a file inside a folder; a free variant is used when taken. */
  name: string;
  desc: Descriptor;
  /**
   * Opens each source; a source that fails to open is skipped. The signal aborts once the
   * download no longer needs the source (done, cancelled, failed): an open still under way
   * should end then, and a source that opens after it is closed at once.
   */
  sources: OpenSource[];
  /**
   * Finds more sources while the download runs (holders that appeared, partial ones included):
   * called every `holdersRefreshMs` while fewer than `room` sources work, and once more when
   * every source has ended before the download is complete. Returns only sources not given yet.
   */
  discover?: (room: number) => Promise<OpenSource[]>;
  holdersRefreshMs?: number;
  /** Partial sources: the wait before asking for their chunks again, and the most idle time. */
  haveWaitMs?: number;
  haveIdleMs?: number;
  swarm?: SwarmHooks;
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
  /**
   * The complete file was already at the target name (a crash before it was listed) and
   * matched every chunk: it is kept as it is and nothing was fetched.
   */
  adopted?: boolean;
}

/**
 * Downloads a content from its sources.
 *
 * @throws {RedeError} `BAD_NAME` for a name that could leave `dir`, before anything is written;
 * `NO_SPACE` when the file cannot fit on the disk (before anything is written) or the disk fills
 * up during the download (it stops at once); `CANCELLED` when the signal aborts, `UNREACHABLE`
 * when every source failed: the partial file is kept in these cases, so the next attempt resumes.
 */
export async function downloadContent(opts: DownloadOptions): Promise<DownloadResult> {
  const { desc, name } = opts;
  const emit = opts.onEvent ?? (() => {});
  const paths = partialPaths(opts.dir, name);
  const target = await prepareTarget(opts.dir, name);
  const folder = dirname(target);
  const total = chunkCount(desc);
  const progress: CheckProgress = (of, done, all) =>
    emit({ kind: "checking", of, done, total: all });
  const cancelled = (message: string) => (err: unknown) => {
    if (!hasCode(err, "CANCELLED")) throw err;
    throw new RedeError("CANCELLED", message);
  };
  // A complete file already there under this name (and not shared under it): a crash between
  // the final rename and the manifest line. It is adopted if it is this very content.
  if (
    !opts.taken?.(name) &&
    (await isComplete(target, paths, desc, progress, opts.signal).catch(
      cancelled(t("storage.download.cancelledChecking", { name })),
    ))
  ) {
    return { path: target, name, resumed: desc.size, bySource: new Map(), adopted: true };
  }
  const { file, have } = await openPartial(paths, folder, name, desc, {
    progress,
    discarded: () => emit({ kind: "discarded" }),
    signal: opts.signal,
  }).catch(cancelled(t("partial.cancelledChecking", { name }))).catch((err) => {
    throw isDiskFull(err) && !hasCode(err, "NO_SPACE")
      ? new RedeError("NO_SPACE", t("disk.fullStart", { name, folder }), { cause: err })
      : err;
  });
  const resumed = [...have].reduce((n, i) => n + chunkSpan(desc, i).length, 0);
  if (resumed > 0) emit({ kind: "resumed", have: have.size, total });
  const schedule = new Schedule(total, have);
  opts.swarm?.opened(paths.data, have);
  const haveWaitMs = opts.haveWaitMs ?? DEFAULT_TIMINGS.haveWaitMs;
  const haveIdleMs = opts.haveIdleMs ?? DEFAULT_TIMINGS.haveIdleMs;
  const pool = new BufferPool(
    Math.max(4, Math.floor(DOWNLOAD_BUFFER_BYTES / desc.chunk_size)),
    desc.chunk_size,
  );
  const credits = new Credits(Math.max(4, Math.floor(DOWNLOAD_IN_FLIGHT_BYTES / desc.chunk_size)));
  const bySource = new Map<string, number>();
  const open = new Set<Source>();
  const writes = new SerialQueue();
  // Ends every source, and every one still opening: when done, cancelled, or the disk failed.
  const stop = new AbortController();
  let received = resumed;
  let arriving = 0;
  let shown = 0;
  const arrived = (n: number) => {
    arriving += n;
    const now = performance.now();
    if (now - shown < PROGRESS_MS) return;
    shown = now;
    emit({ kind: "progress", received, arriving, sources: working });
  };
  emit({ kind: "progress", received, arriving, sources: 0 }); // Where this transfer starts from.
  let written = have.size;
  let working = 0;
  let lastError: unknown;
  let diskFailure: { err: unknown; short?: ShortOfRoom } | undefined;
  let wake!: () => void;
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  const abort = () => {
    stop.abort();
    for (const s of open) s.close();
    wake();
  };
  opts.signal?.addEventListener("abort", abort);
  if (opts.signal?.aborted) abort();
  /** The disk failed: the first failure stops every source at once; later ones add nothing. */
  const diskFailed = (err: unknown, short?: ShortOfRoom) => {
    diskFailure ??= { err, short };
    abort();
  };
  /** Whether the disk still has room for what is left to write (someone else may fill it). */
  const roomLeft = (): boolean => {
    const short = shortOfRoom(folder, file, desc, written);
    if (short !== undefined) {
      diskFailed(new RedeError("NO_SPACE", t("disk.noSpace")), short);
    }
    return short === undefined;
  };

  /** Fetches from one source until done; returns its BUSY answer, if that is how it ended. */
  const fetchFrom = async (openSource: OpenSource): Promise<RedeError | undefined> => {
    let source: Source;
    try {
      source = await untilStopped(openSource(stop.signal), stop.signal);
    } catch (err) {
      if (hasCode(err, "BUSY")) return err;
      if (!stop.signal.aborted) lastError = err;
      return;
    }
    open.add(source);
    pool.allow(++working + 1);
    const window: number[] = [];
    // A partial source: the chunks it has count for rarity while it works.
    const counted: number[] = [];
    const has = source.has ? (i: number) => source.has!(i) : undefined;
    // A whole one's suggestions: asked again once used up (after `haveWaitMs` if none was wanted);
    // a round of `any` chunk when it works alone or after SUGGEST_MISSES. `asked`: since then.
    const suggests = source.whole && source.haves !== undefined;
    let plain = false;
    let any = false;
    let asked = 0;
    let misses = 0;
    let useful = performance.now();
    // A credit handed over while this source waited in line, not used yet.
    let spare = 0;
    const learn = async () => {
      const fresh = await source.haves!();
      if (suggests) return (asked = 0);
      schedule.count(fresh, 1);
      counted.push(...fresh);
      return fresh.length;
    };
    try {
      // A whole holder that refuses `have` serves without suggestions (`plain`).
      if (source.haves) {
        await learn().catch((err) => {
          if (!suggests || !hasCode(err, "BAD_REQUEST", "NOT_FOUND")) throw err;
          plain = true;
        });
      }
      while (!stop.signal.aborted) {
        let capped = false;
        while (window.length < REQUESTS_PER_SOURCE && roomLeft()) {
          if (spare > 0) spare--;
          else if (!credits.take()) {
            capped = true;
            break;
          }
          const index = schedule.next(source.label, any || plain ? undefined : has);
          if (index === undefined) {
            credits.give(1);
            break;
          }
          window.push(index);
          asked++;
          await source.request(index);
        }
        if (stop.signal.aborted) break;
        if (window.length === 0 && capped) {
          // Every credit is in use by other sources: wait in line for one.
          await Promise.race([credits.wait().then(() => spare++), stopped]);
          continue;
        }
        if (window.length === 0) {
          // Nothing wanted that it has: a whole source is done; a partial one may get more.
          if (!source.haves || plain || schedule.complete || (suggests && any && asked === 0)) {
            break;
          }
          if (suggests) {
            misses = asked === 0 && !any ? misses + 1 : 0;
            any = misses > 0 && (working <= 1 || misses >= SUGGEST_MISSES);
            if (misses > 0 && !any) await pause(haveWaitMs, stopped);
            if (!any && !stop.signal.aborted) await learn();
            continue;
          }
          if (performance.now() - useful > haveIdleMs) break;
          await pause(haveWaitMs, stopped);
          if (!stop.signal.aborted && (await learn()) > 0 && schedule.waiting) {
            useful = performance.now();
          }
          continue;
        }
        await source.ready?.((position) => {
          emit({ kind: "queued", source: source.label, position });
        });
        const buf = await pool.take();
        let keep = false;
        try {
          let got = 0;
          const { index, size } = await source.receive(buf, (n) => {
            got += n;
            arrived(n);
          }).finally(() => arriving -= got);
          if (index !== window[0]) {
            throw new RedeError("BAD_PEER", t("storage.download.outOfOrder"));
          }
          window.shift();
          const span = chunkSpan(desc, index);
          if (size !== span.length || hashChunk(buf.subarray(0, size)) !== desc.chunks[index]) {
            window.unshift(index);
            throw new RedeError("HASH_MISMATCH", t("storage.download.hashMismatch", { index }));
          }
          credits.give(1);
          bySource.set(source.label, (bySource.get(source.label) ?? 0) + size);
          useful = performance.now();
          busyTries.delete(openSource);
          if (schedule.finish(index)) {
            keep = true;
            const label = source.label;
            writes.run(async () => {
              if (diskFailure !== undefined) return; // The disk failed: nothing more is written.
              await file.seek(span.offset, Deno.SeekMode.Start);
              await writeAll(file, buf.subarray(0, size));
              opts.swarm?.added(index);
              emit({ kind: "chunk", index, done: ++written, total, source: label });
            }).catch((err) => diskFailed(err)).finally(() => pool.give(buf));
            received += size;
            emit({ kind: "progress", received, arriving, sources: working });
            if (schedule.complete) {
              // Every chunk is in: sources still waiting on endgame duplicates, or still
              // opening, can stop.
              stop.abort();
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
      if (!stop.signal.aborted && !schedule.complete) {
        lastError = err;
        emit({ kind: "dropped", source: source.label, error: err });
      }
    } finally {
      schedule.giveBack(source.label, window);
      credits.give(window.length + spare);
      schedule.count(counted, -1);
      pool.allow(--working + 1);
      open.delete(source);
      source.close();
    }
  };

  /** BUSY answers in a row, by source: a source is tried again after each delay, then dropped. */
  const busyTries = new Map<OpenSource, number>();
  const delays = opts.busyDelaysMs ?? DEFAULT_TIMINGS.busyDelaysMs;
  const runSource = async (openSource: OpenSource) => {
    while (true) {
      const busy = await fetchFrom(openSource);
      if (busy === undefined || stop.signal.aborted || schedule.complete) return;
      const tries = busyTries.get(openSource) ?? 0;
      if (tries >= delays.length) {
        lastError = busy;
        return;
      }
      busyTries.set(openSource, tries + 1);
      emit({ kind: "busy", error: busy, retryMs: delays[tries] });
      await pause(delays[tries], stopped);
      if (stop.signal.aborted || schedule.complete) return;
    }
  };

  try {
    // Sources start together; one that finishes early leaves the rest to the others. More
    // are looked for while the download runs (holders that appear, partial ones among them).
    const tasks = new Set<Promise<void>>();
    const launch = (o: OpenSource) => {
      const task: Promise<void> = runSource(o).finally(() => tasks.delete(task));
      tasks.add(task);
    };
    opts.sources.forEach(launch);
    const more = async () => {
      if (stop.signal.aborted || schedule.complete || !opts.discover) return 0;
      if (tasks.size >= MAX_SOURCES) return 0;
      const found = await opts.discover(MAX_SOURCES - tasks.size).catch(() => []);
      if (!stop.signal.aborted) found.forEach(launch);
      return found.length;
    };
    const refreshMs = opts.holdersRefreshMs ?? DEFAULT_TIMINGS.holdersRefreshMs;
    while (tasks.size > 0 || (await more()) > 0) {
      const all = Promise.all(tasks).then(() => false);
      if (!opts.discover || (await pause(refreshMs, all.then(() => {}), stopped))) {
        await all;
      } else await more();
    }
    await writes.idle();
    if (diskFailure !== undefined) throw diskStopError(name, written, total, diskFailure);
    if (opts.signal?.aborted) {
      throw new RedeError(
        "CANCELLED",
        t("partial.cancelled", { name, written: formatNumber(written), count: total }),
      );
    }
    if (!schedule.complete) {
      const params = { name, written: formatNumber(written), count: total };
      const message = lastError
        ? t("partial.noSource", { ...params, error: errorLine(lastError) })
        : t("partial.noSourceAtAll", params);
      throw new RedeError("UNREACHABLE", message, { cause: lastError });
    }
    file.close();
    const saved = await commit(paths.data, opts.dir, name, opts.taken);
    await Deno.remove(paths.state).catch(() => {});
    return { path: sharedPath(opts.dir, saved), name: saved, resumed, bySource };
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
