/**
 * What `get` does once it knows what to fetch: finds every holder of each content, downloads
 * the files (a few at a time) from all their holders, and shares the results on.
 */
import { errorLine, RedeError } from "../net/errors.ts";
import { MAX_ACTIVE_DOWNLOADS, MAX_SOURCES } from "../net/limits.ts";
import { describe, PeerSource } from "../net/peer_client.ts";
import { type Address, formatAddress } from "../net/transport.ts";
import { downloadContent } from "../storage/download.ts";
import { sharePathProblem } from "../storage/names.ts";
import { join } from "node:path";
import { appendManifestEntry, readManifest } from "../storage/manifest.ts";
import type { Context } from "./_command.ts";
import type { Session } from "./_session.ts";
import { bytes, ProgressBoard, rate, shortHash } from "./_ui.ts";

/** One file to fetch: its name, and either the peer that has it or its root. */
export interface Job {
  name: string;
  root?: string;
  /** A peer known to hold it (named by the user). */
  from?: Address;
}

/** A download of this session, as `downloads` lists it. */
export interface DownloadRecord {
  name: string;
  size?: number;
  root?: string;
  status: "queued" | "active" | "done" | "failed" | "cancelled" | "skipped";
  received: number;
  sources: number;
  bySource: Map<string, number>;
  started?: number;
  ms?: number;
  note?: string;
}

/**
 * Runs the jobs, at most {@link MAX_ACTIVE_DOWNLOADS} at once.
 *
 * @returns The errors of the jobs that failed.
 */
export async function fetchAll(session: Session, jobs: Job[], ctx: Context): Promise<unknown[]> {
  const records = jobs.map((j): DownloadRecord => ({
    name: j.name,
    root: j.root,
    status: "queued",
    received: 0,
    sources: 0,
    bySource: new Map(),
  }));
  session.downloads.push(...records);
  const board = new ProgressBoard(Deno.stdout.isTerminal());
  let next = 0;
  const failed: unknown[] = [];
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      try {
        await fetchOne(session, jobs[i], records[i], board, ctx);
      } catch (err) {
        failed.push(err);
        records[i].status = ctx.signal.aborted ? "cancelled" : "failed";
        records[i].note = errorLine(err);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(MAX_ACTIVE_DOWNLOADS, jobs.length) }, worker));
  } finally {
    board.stop();
  }
  return failed;
}

async function fetchOne(
  session: Session,
  job: Job,
  rec: DownloadRecord,
  board: ProgressBoard,
  ctx: Context,
): Promise<void> {
  const { index, tracker } = session.peer;
  // With live bars on screen, lines go above them instead of through them.
  const say = (line: string) => session.interactive ? board.log(line) : ctx.out(line);
  ctx.signal.throwIfAborted();
  // Names can come from other peers (a folder's list, a search): never trust them with a path.
  const problem = sharePathProblem(job.name);
  if (problem) throw new RedeError("BAD_NAME", `Refusing the name '${job.name}': ${problem}`);
  const skip = (here: string) => {
    rec.status = "skipped";
    rec.note = `already here as '${here}'`;
    say(`'${job.name}' is already here as '${here}' (same content); nothing to do`);
  };
  const known = job.root === undefined ? undefined : index.nameOf(job.root);
  if (known !== undefined) return skip(known);
  // The descriptor, from the named peer or from a holder of the root.
  let holders: Address[] = job.from ? [job.from] : [];
  if (job.root) holders.push(...(await holdersOf(session, job.root)));
  holders = dedupe(holders).filter((a) => !session.isSelfAddress(a));
  if (holders.length === 0) {
    throw new RedeError("NOT_FOUND", `Nobody else shares '${job.name}'`);
  }
  const desc = await describe(holders[0], job.from ? { name: job.name } : { root: job.root! });
  rec.root = desc.root;
  rec.size = desc.size;
  const here = index.nameOf(desc.root);
  if (here !== undefined) return skip(here);
  if (!job.root) holders = dedupe([...holders, ...(await holdersOf(session, desc.root))]);
  holders = holders.filter((a) => !session.isSelfAddress(a)).slice(0, MAX_SOURCES);
  if (!session.interactive) {
    ctx.note(
      `Downloading '${job.name}' (${bytes(desc.size)}) from ${holders.length} source(s)`,
    );
  }
  rec.status = "active";
  rec.started = performance.now();
  const bar = board.add(job.name, desc.size);
  const result = await downloadContent({
    dir: index.dir,
    name: job.name,
    desc,
    sources: holders.map((a) => () => PeerSource.open(a, desc.root)),
    taken: (n) => index.has(n),
    signal: ctx.signal,
    log: say,
    onChunk: session.verbose
      ? (i, done, total, label) => say(`  chunk ${i} in (${done} of ${total}) from ${label}`)
      : undefined,
    onProgress: (received, sources) => {
      rec.received = received;
      rec.sources = sources;
      bar.update(received, sources);
    },
  });
  rec.ms = performance.now() - rec.started;
  rec.bySource = result.bySource;
  rec.received = desc.size;
  rec.status = "done";
  if (result.name !== job.name) {
    rec.note = `saved as '${result.name}'`;
    say(`A file named '${job.name}' is already here; saved as '${result.name}'`);
  }
  await shareOn(session, result.name, result.path);
  await index.remember(result.path, desc);
  await index.refresh();
  tracker.notifyFiles();
  const fetched = desc.size - result.resumed;
  say(
    `Saved '${result.name}' (${bytes(desc.size)}) from ${from(result.bySource)} in ` +
      `${(rec.ms / 1000).toFixed(1)} s (${rate(fetched, rec.ms)}); ` +
      `root ${shortHash(desc.root)} verified` +
      (result.resumed ? `; ${bytes(result.resumed)} resumed` : ""),
  );
  if (result.bySource.size > 1 || session.verbose) {
    const parts = [...result.bySource].map(([label, n]) => `${label} ${bytes(n)}`);
    say(`  sources: ${parts.join(", ")}`);
  }
}

/**
 * Adds a finished download to the manifest, when there is one and it does not cover it yet:
 * a file by its name, a file inside a folder by the folder's name, once.
 */
function shareOn(session: Session, name: string, path: string): Promise<void> {
  const { index } = session.peer;
  return session.serial(async () => {
    const manifest = await readManifest(index.manifestPath, index.dir);
    if (!manifest) return; // No manifest: the whole folder is shared already.
    const top = name.split("/")[0];
    if (manifest.entries.some((e) => e.name === top)) return;
    await appendManifestEntry(
      index.manifestPath,
      top,
      name.includes("/") ? join(index.dir, top) : path,
    );
  });
}

/** `IP:PORT` of the one source, or how many there were. */
function from(bySource: Map<string, number>): string {
  const used = [...bySource].filter(([, n]) => n > 0).map(([label]) => label);
  return used.length === 1 ? used[0] : `${used.length} sources`;
}

async function holdersOf(session: Session, root: string): Promise<Address[]> {
  try {
    return (await session.peer.tracker.whoHas(root)).map((p) => ({ host: p.ip, port: p.port }));
  } catch {
    return []; // Without the tracker, the named peer alone.
  }
}

function dedupe(list: Address[]): Address[] {
  const seen = new Map(list.map((a) => [formatAddress(a), a]));
  return [...seen.values()];
}
