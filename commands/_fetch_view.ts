/**
 * What a user sees of the download engine: one live bar per download on a terminal, and the
 * lines that say what happened (skipped, resumed, dropped sources, saved), above the bars.
 * Names shown here passed the name rule; an error's text is made printable as one line; and
 * every line passes the terminal sanitiser again on its way out (`_ui.ts`).
 */
import { errorLine } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { printable } from "../core/terminal.ts";
import { chunkSizeFor } from "../core/content.ts";
import type { FetchEvent, Job } from "../app/fetch.ts";
import type { Context } from "./_command.ts";
import type { Session } from "./_session.ts";
import { type Bar, ProgressBoard } from "./_progress.ts";
import { bytes, duration, rate, shortHash } from "./_ui.ts";

/**
 * Fetches the jobs through the session's engine, showing their progress; `watch` hears every
 * event too (the result of `get --json`).
 *
 * @returns The errors of the jobs that failed.
 */
export async function fetchShown(
  session: Session,
  jobs: Job[],
  ctx: Context,
  watch?: (e: FetchEvent) => void,
): Promise<unknown[]> {
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
    watch?.(e);
    const { job } = e;
    switch (e.kind) {
      case "failed":
        return end(job); // Said once all are done (the errors `fetch` returns).
      case "skipped":
        end(job);
        return say(t("fetch.skipped", { name: job.name, here: e.here }));
      case "started":
        if (!session.interactive) {
          ctx.note(
            t("fetch.downloading", { name: job.name, size: bytes(e.size), count: e.sources }),
          );
        }
        bars.set(job, board.add(job.name, e.size));
        sizes.set(job, e.size);
        return;
      case "adopted":
        return say(t("fetch.adopted", { name: e.name, root: shortHash(e.desc.root) }));
      case "renamed":
        return say(t("fetch.renamed", { name: job.name, saved: e.saved }));
      case "saved": {
        end(job);
        const fetched = e.desc.size - e.resumed;
        const saved = {
          name: e.name,
          size: bytes(e.desc.size),
          from: from(e.bySource),
          time: duration(e.ms),
          rate: rate(fetched, e.ms),
          root: shortHash(e.desc.root),
        };
        say(
          e.resumed
            ? t("fetch.savedResumed", { ...saved, resumed: bytes(e.resumed) })
            : t("fetch.saved", saved),
        );
        if (e.bySource.size > 1 || session.verbose) {
          // Pairs of a source and its bytes: the parts stay apart with ", " whatever the language
          // (a size may hold a decimal comma, never followed by a space).
          const parts = [...e.bySource].map(([label, n]) => `${label} ${bytes(n)}`);
          say(t("fetch.sources", { list: parts.join(", ") }));
        }
        return;
      }
      case "transfer": {
        const ev = e.event;
        if (ev.kind === "progress") bars.get(job)?.update(ev.received, ev.arriving, ev.sources);
        else if (ev.kind === "checking") {
          // Checking what is on disk reads it all: the bar shows how far it is.
          const size = sizes.get(job) ?? 0;
          bars.get(job)?.checking(Math.min(ev.done * chunkSizeFor(size), size));
          if (ev.done === 0 && ev.total > 0) {
            const what = { name: job.name, count: ev.total };
            say(
              ev.of === "partial"
                ? t("fetch.checkingPartial", what)
                : t("fetch.checkingHere", what),
            );
          }
        } else if (ev.kind === "resumed") {
          say(t("fetch.resuming", { name: job.name, have: ev.have, count: ev.total }));
        } else if (ev.kind === "discarded") {
          say(t("fetch.discarding"));
        } else if (ev.kind === "dropped") {
          say(t("fetch.dropped", { source: ev.source, error: printable(errorLine(ev.error)) }));
        } else if (ev.kind === "busy") {
          const secs = Math.max(1, Math.round(ev.retryMs / 1000));
          say(t("fetch.busy", { error: printable(errorLine(ev.error)), seconds: secs }));
        } else if (ev.kind === "queued" && session.verbose) {
          say(t("fetch.queued", { source: ev.source, position: ev.position }));
        } else if (ev.kind === "chunk" && session.verbose) {
          say(
            t("fetch.chunk", {
              index: ev.index,
              done: ev.done,
              total: ev.total,
              source: ev.source,
            }),
          );
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
  return used.length === 1 ? used[0] : t("fetch.sourceCount", { count: used.length });
}
