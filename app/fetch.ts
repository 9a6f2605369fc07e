/**
 * The download engine: given files to fetch, finds every holder of each content, downloads
 * the files (a few at a time) from all their holders, and shares the results on. It reports
 * what happens as {@link FetchEvent}s and keeps a {@link DownloadRecord} per file; it knows
 * nothing of terminals.
 */
import type { NamedDescriptor } from "../core/content.ts";
import { errorLine, RedeError } from "../core/errors.ts";
import { MAX_ACTIVE_DOWNLOADS, MAX_SOURCES } from "../core/limits.ts";
import { downloadContent, type TransferEvent } from "../storage/download.ts";
import { type Address, formatAddress } from "../net/address.ts";
import { describe, PeerSource } from "../net/peer_client.ts";
import type { Node } from "./node.ts";

/** One file to fetch: its name, and the peer that has it, or its root, or both. */
export interface Job {
  name: string;
  root?: string;
  /** A peer known to hold it (named by the user). */
  from?: Address;
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
  /** The transfer starts, from `sources` holders. */
  | { kind: "started"; job: Job; size: number; sources: number }
  /** Something happened during the transfer. */
  | { kind: "transfer"; job: Job; event: TransferEvent }
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
    const { index } = node;
    const emit = opts.onEvent ?? (() => {});
    opts.signal.throwIfAborted();
    const skip = (here: string) => {
      rec.status = "skipped";
      rec.note = `already here as '${here}'`;
      emit({ kind: "skipped", job, here });
    };
    const known = job.root === undefined ? undefined : index.nameOf(job.root);
    if (known !== undefined) return skip(known);
    // The descriptor, from the named peer or from a holder of the root.
    let holders: Address[] = job.from ? [job.from] : [];
    if (job.root) holders.push(...(await node.holdersOf(job.root)));
    holders = dedupe(holders).filter((a) => !node.isSelf(a));
    if (holders.length === 0) {
      throw new RedeError("NOT_FOUND", `Nobody else shares '${job.name}'`);
    }
    const desc = await describe(
      holders[0],
      job.from ? { name: job.name } : { root: job.root! },
      node.timings,
    );
    rec.root = desc.root;
    rec.size = desc.size;
    const here = index.nameOf(desc.root);
    if (here !== undefined) return skip(here);
    if (!job.root) holders = dedupe([...holders, ...(await node.holdersOf(desc.root))]);
    holders = holders.filter((a) => !node.isSelf(a)).slice(0, MAX_SOURCES);
    rec.status = "active";
    rec.started = performance.now();
    emit({ kind: "started", job, size: desc.size, sources: holders.length });
    const result = await downloadContent({
      dir: index.dir,
      name: job.name,
      desc,
      sources: holders.map((a) => () => PeerSource.open(a, desc.root, node.timings)),
      taken: (n) => index.has(n),
      signal: opts.signal,
      onEvent: (event) => {
        if (event.kind === "progress") {
          rec.received = event.received;
          rec.sources = event.sources;
        }
        emit({ kind: "transfer", job, event });
      },
    });
    rec.ms = performance.now() - rec.started;
    rec.bySource = result.bySource;
    rec.received = desc.size;
    rec.status = "done";
    if (result.name !== job.name) {
      rec.note = `saved as '${result.name}'`;
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

function dedupe(list: Address[]): Address[] {
  const seen = new Map(list.map((a) => [formatAddress(a), a]));
  return [...seen.values()];
}
