/**
 * The download engine: given files to fetch, finds every holder of each content, downloads
 * the files (a few at a time) from all their holders, and shares the results on. It reports
 * what happens as {@link FetchEvent}s and keeps a {@link DownloadRecord} per file; it knows
 * nothing of terminals.
 */
import { chunkCount, type NamedDescriptor } from "../core/content.ts";
import { errorLine, RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import {
  MAX_ACTIVE_DOWNLOADS,
  MAX_DESCRIBE_HOLDERS,
  MAX_SOURCES,
  type Timings,
} from "../core/limits.ts";
import { downloadContent, type OpenSource, type TransferEvent } from "../storage/download.ts";
import { type Address, formatAddress } from "../net/address.ts";
import type { Trust } from "../net/membership.ts";
import { describe, PeerSource } from "../net/peer_client.ts";
import type { Node } from "./node.ts";
import type { PartialServing } from "./swarm.ts";

/** A holder of a content; `have`: its chunks, when it holds the content in part. */
type Holder = Address & { have?: number };

/** One file to fetch: its name, and the peer that has it, or its root, or both. */
export interface Job {
  name: string;
  root?: string;
  /** A peer known to hold it (named by the user). */
  from?: Address;
  /**
   * Only the content `root` will do: `from` is asked for it by root, not by name, so a peer that
   * now shares other content under the name cannot swap it in (a push fetches what was accepted).
   */
  exact?: boolean;
}

/** A download, as `downloads` lists it. */
export interface DownloadRecord {
  name: string;
  size?: number;
  root?: string;
  status: "queued" | "active" | "done" | "failed" | "cancelled" | "skipped";
  /** Bytes in hand. */
  received: number;
  /** Sources working now. */
  sources: number;
  /** Bytes each source sent, by its address. */
  bySource: Map<string, number>;
  started?: number;
  ms?: number;
  /** Why it failed, was skipped, or saved under another name. */
  note?: string;
}

/** What the engine reports about one job. */
export type FetchEvent =
  /** The content is already shared here, as `here`. */
  | { kind: "skipped"; job: Job; here: string }
  /** It failed (the error is also among those `fetch` returns). */
  | { kind: "failed"; job: Job; error: unknown }
  /** The transfer starts, from `sources` holders. */
  | { kind: "started"; job: Job; size: number; sources: number }
  /** Something happened during the transfer. */
  | { kind: "transfer"; job: Job; event: TransferEvent }
  /**
   * A complete file of this content was already here under the name (a crash before it was
   * listed): it was checked whole and is now shared, nothing fetched.
   */
  | { kind: "adopted"; job: Job; name: string; desc: NamedDescriptor }
  /** The name was taken here; the file is saved as `saved`. */
  | { kind: "renamed"; job: Job; saved: string }
  /** The file is in, verified and shared on. */
  | {
    kind: "saved";
    job: Job;
    name: string;
    desc: NamedDescriptor;
    ms: number;
    resumed: number;
    bySource: Map<string, number>;
  };

export interface FetchOptions {
  signal: AbortSignal;
  onEvent?: (e: FetchEvent) => void;
}

/** Runs downloads for a node and remembers every one. */
export class Fetcher {
  /** Every download asked for, in order. */
  readonly records: DownloadRecord[] = [];
  #node: Node;

  constructor(node: Node) {
    this.#node = node;
  }

  /**
   * Runs the jobs, at most {@link MAX_ACTIVE_DOWNLOADS} at once.
   *
   * @returns The errors of the jobs that failed.
   */
  async fetch(jobs: Job[], opts: FetchOptions): Promise<unknown[]> {
    const records = jobs.map((j): DownloadRecord => ({
      name: j.name,
      root: j.root,
      status: "queued",
      received: 0,
      sources: 0,
      bySource: new Map(),
    }));
    this.records.push(...records);
    let next = 0;
    const failed: unknown[] = [];
    const worker = async () => {
      while (next < jobs.length) {
        const i = next++;
        try {
          await this.#fetchOne(jobs[i], records[i], opts);
        } catch (err) {
          failed.push(err);
          opts.onEvent?.({ kind: "failed", job: jobs[i], error: err });
          records[i].status = opts.signal.aborted ? "cancelled" : "failed";
          records[i].note = errorLine(err);
        }
      }
    };
    const workers = Math.min(MAX_ACTIVE_DOWNLOADS, jobs.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return failed;
  }

  async #fetchOne(job: Job, rec: DownloadRecord, opts: FetchOptions): Promise<void> {
    const node = this.#node;
    const emit = opts.onEvent ?? (() => {});
    opts.signal.throwIfAborted();
    const skip = (here: string) => {
      rec.status = "skipped";
      rec.note = t("fetch.note.alreadyHere", { here });
      emit({ kind: "skipped", job, here });
    };
    const known = job.root === undefined ? undefined : await this.#sharedAs(job.root);
    if (known !== undefined) return skip(known);
    // The descriptor: from the named peer (by name) and from every holder of the root, asked
    // in quick succession; the first valid one wins, so a fake holder cannot stop the get.
    let holders: Holder[] = job.root ? await node.holdersOf(job.root) : [];
    holders = dedupe(holders).filter((a) => !node.isSelf(a));
    const asks: Ask[] = holders.filter((a) => !job.from || !sameAddress(a, job.from))
      .map((addr) => ({ addr, what: { root: job.root! } }));
    if (job.from) {
      asks.unshift({ addr: job.from, what: job.exact ? { root: job.root! } : { name: job.name } });
    }
    if (asks.length === 0) {
      throw new RedeError("NOT_FOUND", t("fetch.nobodyElse", { name: job.name }));
    }
    const { desc, from, failed } = await firstDescriptor(
      asks,
      job.name,
      node.trust,
      node.timings,
      opts.signal,
    );
    rec.root = desc.root;
    rec.size = desc.size;
    const here = await this.#sharedAs(desc.root);
    if (here !== undefined) return skip(here);
    if (desc.root !== job.root) holders = await node.holdersOf(desc.root);
    // Every holder is a source: the one that answered first, then the others, and those that
    // failed to describe it last (a source that fails to open is only skipped).
    const bad = (a: Address) => failed.has(formatAddress(a));
    holders = dedupe([from, ...spread(holders)]).filter((a) => !node.isSelf(a));
    holders = [...holders.filter((a) => !bad(a)), ...holders.filter(bad)].slice(0, MAX_SOURCES);
    rec.status = "active";
    rec.started = performance.now();
    emit({ kind: "started", job, size: desc.size, sources: holders.length });
    // Every holder is asked for its have-map (a whole one suggests chunks); each is opened once.
    const given = new Set(holders.map(formatAddress));
    const total = chunkCount(desc);
    const sourceOf = (a: Holder): OpenSource => (signal) =>
      PeerSource.open(
        a,
        desc.root,
        node.trust,
        times,
        signal,
        { total, whole: a.have === undefined },
      );
    const discover = async (room: number) => {
      const fresh = dedupe(spread(await node.holdersOf(desc.root)))
        .filter((a) => !node.isSelf(a) && !given.has(formatAddress(a))).slice(0, room);
      for (const a of fresh) given.add(formatAddress(a));
      return fresh.map(sourceOf);
    };
    const times = node.timings;
    const serving = node.swarm.serve(desc);
    try {
      await this.#transfer(job, rec, desc, holders.map(sourceOf), discover, serving, opts);
    } finally {
      serving.close();
    }
  }

  /**
   * The name under which a content is shared here, checked on disk: when its file is gone or
   * changed since the share was last looked at, the share is looked at again first.
   */
  async #sharedAs(root: string): Promise<string | undefined> {
    const { index } = this.#node;
    if (index.nameOf(root) === undefined) return undefined;
    try {
      return (await index.describeRoot(root)).name;
    } catch {
      await this.#node.rescan();
      return index.nameOf(root);
    }
  }

  /** Downloads the content and shares it on (while its verified chunks are served already). */
  async #transfer(
    job: Job,
    rec: DownloadRecord,
    desc: NamedDescriptor,
    sources: OpenSource[],
    discover: (room: number) => Promise<OpenSource[]>,
    swarm: PartialServing,
    opts: FetchOptions,
  ): Promise<void> {
    const node = this.#node;
    const { index, timings: times } = node;
    const emit = opts.onEvent ?? (() => {});
    const result = await downloadContent({
      dir: index.dir,
      name: job.name,
      desc,
      sources,
      discover,
      swarm,
      holdersRefreshMs: times.holdersRefreshMs,
      haveWaitMs: times.haveWaitMs,
      haveIdleMs: times.haveIdleMs,
      taken: (n) => index.has(n),
      busyDelaysMs: times.busyDelaysMs,
      signal: opts.signal,
      onEvent: (event) => {
        if (event.kind === "progress") {
          rec.received = event.received;
          rec.sources = event.sources;
        }
        emit({ kind: "transfer", job, event });
      },
    });
    rec.ms = performance.now() - rec.started!;
    rec.bySource = result.bySource;
    rec.received = desc.size;
    rec.status = "done";
    if (result.adopted) {
      rec.note = t("fetch.note.adopted");
      await node.adopt(result.name, result.path, desc);
      return emit({ kind: "adopted", job, name: result.name, desc });
    }
    if (result.name !== job.name) {
      rec.note = t("fetch.note.savedAs", { name: result.name });
      emit({ kind: "renamed", job, saved: result.name });
    }
    await node.adopt(result.name, result.path, desc);
    emit({
      kind: "saved",
      job,
      name: result.name,
      desc,
      ms: rec.ms,
      resumed: result.resumed,
      bySource: result.bySource,
    });
  }
}

function dedupe<A extends Address>(list: A[]): A[] {
  const seen = new Map(list.map((a) => [formatAddress(a), a]));
  return [...seen.values()];
}

function sameAddress(a: Address, b: Address): boolean {
  return formatAddress(a) === formatAddress(b);
}

/** A holder to ask for a descriptor, and how: by name (the peer the user named) or by root. */
interface Ask {
  addr: Address;
  what: { name: string } | { root: string };
}

/**
 * The first valid descriptor among the holders asked. They are asked in order, one more every
 * `describeStaggerMs` or as soon as one fails, at most {@link MAX_DESCRIBE_HOLDERS}; the first
 * valid answer wins and every other request is stopped at once (its connection closed).
 *
 * @returns The descriptor, who gave it, and the holders that failed (by `IP:PORT`).
 * @throws The error of the only holder asked; with several, one line saying how many failed
 * and why the first did; `CANCELLED` when the signal aborts.
 */
function firstDescriptor(
  asks: Ask[],
  name: string,
  trust: Trust,
  times: Timings,
  signal: AbortSignal,
): Promise<{ desc: NamedDescriptor; from: Address; failed: Set<string> }> {
  const list = asks.slice(0, MAX_DESCRIBE_HOLDERS);
  const stop = new AbortController();
  const failed = new Set<string>();
  const errors: unknown[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let next = 0;
  let running = 0;
  let settled = false;
  return new Promise<{ desc: NamedDescriptor; from: Address; failed: Set<string> }>(
    (resolve, reject) => {
      const finish = (err?: unknown) => {
        if (settled) return;
        settled = true;
        reject(err);
      };
      const cancel = () =>
        finish(new RedeError("CANCELLED", t("fetch.cancelledBeforeStart", { name })));
      if (signal.aborted) return cancel();
      signal.addEventListener("abort", cancel, { once: true });
      stop.signal.addEventListener("abort", () => signal.removeEventListener("abort", cancel));
      const launch = () => {
        clearTimeout(timer);
        if (settled) return;
        if (next >= list.length) {
          if (running > 0) return;
          if (errors.length === 1) return finish(errors[0]);
          return finish(
            new RedeError(
              "UNREACHABLE",
              t("fetch.noDescriptor", {
                count: errors.length,
                name,
                error: errorLine(errors[0]),
              }),
              { cause: errors[0] },
            ),
          );
        }
        const { addr, what } = list[next++];
        running++;
        describe(addr, what, trust, times, stop.signal).then((desc) => {
          if (settled) return;
          settled = true;
          resolve({ desc, from: addr, failed });
        }, (err) => {
          running--;
          if (settled) return;
          errors.push(err);
          failed.add(formatAddress(addr));
          launch();
        });
        timer = setTimeout(launch, times.describeStaggerMs);
      };
      launch();
    },
  ).finally(() => {
    clearTimeout(timer);
    stop.abort();
  });
}

/**
 * Holders as a download takes them: whole ones first, then those in part in a random order, so
 * that downloaders of one content do not all crowd the same few (the tracker lists the fullest
 * first).
 */
function spread(holders: Holder[]): Holder[] {
  const part = holders.filter((h) => h.have !== undefined);
  const rank = new Map(part.map((h) => [h, Math.random()]));
  part.sort((a, b) => rank.get(a)! - rank.get(b)!);
  return [...holders.filter((h) => h.have === undefined), ...part];
}
