/**
 * What a user sees of the download engine: one live bar per download on a terminal, and the
 * lines that say what happened (skipped, resumed, dropped sources, saved), above the bars.
 * Names shown here passed the name rule; an error's text is made printable as one line; and
 * every line passes the terminal sanitiser again on its way out (`_ui.ts`).
 */
import { errorLine } from "../core/errors.ts";
import { printable } from "../core/terminal.ts";
import { chunkSizeFor } from "../core/content.ts";
import type { FetchEvent, Job } from "../app/fetch.ts";
import type { Context } from "./_command.ts";
import type { Session } from "./_session.ts";
import { type Bar, ProgressBoard } from "./_progress.ts";
import { bytes, rate, shortHash } from "./_ui.ts";

/**
 * Fetches the jobs through the session's engine, showing their progress.
 *
 * @returns The errors of the jobs that failed.
 */
export async function fetchShown(session: Session, jobs: Job[], ctx: Context): Promise<unknown[]> {
  const board = new ProgressBoard(session.screen);
  // Lines go above the bars (the screen sees to it).
  const say = (line: string) => ctx.out(line);
  const bars = new Map<Job, Bar>();
  const sizes = new Map<Job, number>();
  const end = (job: Job) => {
    bars.get(job)?.end();
    bars.delete(job);
  };
  const show = (e: FetchEvent) => {
    const { job } = e;
    switch (e.kind) {
      case "failed":
        return end(job); // Said once all are done (the errors `fetch` returns).
      case "skipped":
        end(job);
        return say(`'${job.name}' is already here as '${e.here}' (same content); nothing to do`);
      case "started":
        if (!session.interactive) {
          ctx.note(`Downloading '${job.name}' (${bytes(e.size)}) from ${e.sources} source(s)`);
        }
        bars.set(job, board.add(job.name, e.size));
        sizes.set(job, e.size);
        return;
      case "adopted":
        return say(
          `'${e.name}' was already here, complete (root ${shortHash(e.desc.root)} verified); ` +
            `now shared`,
        );
      case "renamed":
        return say(`A file named '${job.name}' is already here; saved as '${e.saved}'`);
      case "saved": {
        end(job);
        const fetched = e.desc.size - e.resumed;
        say(
          `Saved '${e.name}' (${bytes(e.desc.size)}) from ${from(e.bySource)} in ` +
            `${(e.ms / 1000).toFixed(1)} s (${rate(fetched, e.ms)}); ` +
            `root ${shortHash(e.desc.root)} verified` +
            (e.resumed ? `; ${bytes(e.resumed)} resumed` : ""),
        );
        if (e.bySource.size > 1 || session.verbose) {
          const parts = [...e.bySource].map(([label, n]) => `${label} ${bytes(n)}`);
          say(`  sources: ${parts.join(", ")}`);
        }
        return;
      }
      case "transfer": {
        const t = e.event;
        if (t.kind === "progress") bars.get(job)?.update(t.received, t.arriving, t.sources);
        else if (t.kind === "checking") {
          // Checking what is on disk reads it all: the bar shows how far it is.
          const size = sizes.get(job) ?? 0;
          bars.get(job)?.checking(Math.min(t.done * chunkSizeFor(size), size));
          if (t.done === 0 && t.total > 0) {
            say(
              t.of === "partial"
                ? `Checking the ${t.total} chunk(s) of the partial download of '${job.name}'`
                : `Checking '${job.name}', already here under that name (${t.total} chunk(s))`,
            );
          }
        } else if (t.kind === "resumed") {
          say(`Resuming '${job.name}': ${t.have} of ${t.total} chunks already here`);
        } else if (t.kind === "discarded") {
          say(`Discarding an old partial download of other content`);
        } else if (t.kind === "dropped") {
          say(`Dropped source ${t.source}: ${printable(errorLine(t.error))}`);
        } else if (t.kind === "busy") {
          const secs = Math.max(1, Math.round(t.retryMs / 1000));
          say(`Source busy (${printable(errorLine(t.error))}); asking it again in ${secs} s`);
        } else if (t.kind === "queued" && session.verbose) {
          say(`  queued at ${t.source}: place ${t.position}`);
        } else if (t.kind === "chunk" && session.verbose) {
          say(`  chunk ${t.index} in (${t.done} of ${t.total}) from ${t.source}`);
        }
        return;
      }
    }
  };
  try {
    return await session.fetcher.fetch(jobs, { signal: ctx.signal, onEvent: show });
  } finally {
    board.stop();
  }
}

/** The one source (`carla (IP:PORT)`, or `IP:PORT` when the tracker gave no name), or how many. */
function from(bySource: Map<string, number>): string {
  const used = [...bySource].filter(([, n]) => n > 0).map(([label]) => label);
  return used.length === 1 ? used[0] : `${used.length} sources`;
}
