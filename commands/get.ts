import { resolve } from "node:path";
import type { FileSummary } from "../core/content.ts";
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { assertShareName } from "../core/names.ts";
import type { Job } from "../app/fetch.ts";
import type { Address } from "../net/address.ts";
import { listFiles } from "../net/peer_client.ts";
import type { PeerInfo } from "../net/protocol.ts";
import { type Command, UsageError } from "./_command.ts";
import { fetchShown } from "./_fetch_view.ts";
import { fetchDoc } from "./_json.ts";
import { ONE_SHOT_OPTIONS, SHARE_OPTIONS } from "./_oneshot.ts";
import type { Session } from "./_session.ts";
import { needSession, reportError } from "./_shell.ts";

export const get: Command = {
  name: "get",
  scopes: ["shell", "cli"],
  args: [{ name: "file" }],
  variadic: true,
  options: {
    from: {
      type: "string",
      short: "f",
      value: "PEER",
    },
    ...ONE_SHOT_OPTIONS,
    ...SHARE_OPTIONS,
    seed: { type: "boolean", scopes: ["cli"] },
  },
  examples: [
    "get movie.mkv",
    'get "my notes.txt" b.txt',
    "get #1 #2",
    "get --from 2 b.txt",
    "get 192.168.0.7:50123 a.txt",
    "get ./#3",
  ],
  cliExamples: [
    "get movie.mkv --tracker 192.168.0.10",
    "get --from ana b.txt --tracker 192.168.0.10 --dir ./baixados",
    "get aula.pdf --tracker 192.168.0.10 --seed",
    "get aula.pdf --tracker 192.168.0.10 --json",
  ],
  oneShot: ({ options }) => options.seed === true ? "serve" : "fetch",
  async run({ args, options }, ctx) {
    const session = needSession(ctx);
    const plan = readGetArgs(args, options.from as string | undefined, session.lastFound.length);
    const jobs = await planJobs(session, plan);
    if (ctx.json) {
      const doc = fetchDoc(jobs);
      const errors = await fetchShown(session, jobs, ctx, doc.hear);
      ctx.json({ dir: resolve(session.node.index.dir), files: doc.files() });
      return errors.length ? 1 : 0;
    }
    const errors = await fetchShown(session, jobs, ctx);
    if (errors.length === 1) throw errors[0];
    for (const err of errors) reportError(err, session.verbose);
    return errors.length ? 1 : 0;
  },
};

/** What `get` was asked for: from which peer (if one), rows of `find`, and names. */
export interface GetPlan {
  peer?: string;
  items: ({ row: number } | { name: string })[];
}

/**
 * Reads the words of `get` by the documented grammar: `#N` is a row of the last `find`; a first
 * word that is an IP address (with or without `:PORT`) and not alone names the peer, as `--from`
 * does (with `--from` given, it is a name); `./NAME` is the name NAME; every other word is a name.
 *
 * @param found How many rows the last `find` listed.
 * @throws {UsageError} for a `#N` with no such row, or an empty `--from`.
 */
export function readGetArgs(words: string[], from: string | undefined, found: number): GetPlan {
  let peer = from;
  let rest = words;
  // With --from, every word is a file: a file named like an address is fetched that way too.
  if (peer === undefined && words.length >= 2 && isAddress(words[0])) {
    peer = words[0];
    rest = words.slice(1);
  }
  if (peer === "") throw new UsageError(t("get.fromEmpty"), get);
  const items = rest.map((word) => {
    const row = /^#(\d+)$/.exec(word);
    if (row) {
      const n = Number(row[1]);
      if (found === 0) {
        throw new UsageError(t("get.noFindYet", { word }), get);
      }
      if (n < 1 || n > found) {
        throw new UsageError(t("get.noRow", { word, found }), get);
      }
      return { row: n };
    }
    return { name: (word.startsWith("./") ? word.slice(2) : word).normalize("NFC") };
  });
  return { peer, items };
}

/** An IP address literal, alone or with `:PORT`: what names a peer in the first place. */
function isAddress(text: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?$/.test(text) ||
    /^\[[0-9a-fA-F:.]+\](:\d{1,5})?$/.test(text) ||
    /^[0-9a-fA-F]{0,4}:[0-9a-fA-F]{0,4}:[0-9a-fA-F:.]*$/.test(text);
}

/** The downloads a plan means: names looked up at the peer named, or on the whole network. */
async function planJobs(session: Session, plan: GetPlan): Promise<Job[]> {
  const names = plan.items.flatMap((i) => "name" in i ? [i.name] : []);
  names.forEach(assertShareName); // The gate for names the user typed.
  let addr: Address | undefined;
  let files: FileSummary[] = [];
  if (plan.peer !== undefined) {
    addr = await session.resolvePeer(
      plan.peer,
      undefined,
      (candidates) => holderOf(session, candidates, names[0] ?? ""),
    );
    if (session.node.isSelf(addr)) {
      throw new RedeError("BAD_INPUT", t("get.isSelf"));
    }
    if (names.length) files = await listFiles(addr, session.node.trust, session.node.timings);
  }
  const jobs: Job[] = [];
  for (const item of plan.items) {
    if ("row" in item) {
      const found = session.lastFound[item.row - 1];
      jobs.push({ name: found.name, root: found.root, ...(addr ? { from: addr } : {}) });
    } else if (addr) {
      const missing = t("get.notFoundAt", { name: item.name, peer: plan.peer! });
      jobs.push(...pick(files, item.name, missing).map((f) => ({ ...f, from: addr })));
    } else jobs.push(...await onNetwork(session, item.name));
  }
  return jobs.map(({ name, root, from }) => ({ name, root, ...(from ? { from } : {}) }));
}

/** The file (or folder) named, wherever it is on the network. */
async function onNetwork(session: Session, name: string): Promise<Job[]> {
  const results = await session.link.tracker.find(name);
  let chosen;
  try {
    chosen = pick(results, name, t("get.notFoundOnNetwork", { name }));
  } catch (err) {
    // Someone used to `get 2 b.txt` (a peer's row) gets told how to say it now.
    if (/^\d{1,4}$/.test(name) || isAddress(name)) {
      throw new RedeError("NOT_FOUND", t("get.notFoundTryFrom", { name }));
    }
    throw err;
  }
  const roots = new Set(chosen.filter((f) => f.name === name).map((f) => f.root));
  if (roots.size > 1) {
    throw new RedeError("BAD_INPUT", t("get.several", { name }));
  }
  return chosen.map((f) => ({ name: f.name, root: f.root }));
}

/** The entry named `name`, or every file of the folder `name`; else `NOT_FOUND`, saying `missing`. */
function pick<T extends FileSummary>(files: T[], name: string, missing: string): T[] {
  const exact = files.filter((f) => f.name.normalize("NFC") === name);
  if (exact.length) return exact;
  const inFolder = files.filter((f) => f.name.normalize("NFC").startsWith(`${name}/`));
  if (inFolder.length) return inFolder;
  throw new RedeError("NOT_FOUND", missing);
}

/** Among several peers on one IP, the only one that shares `name`, if exactly one does. */
async function holderOf(
  session: Session,
  candidates: PeerInfo[],
  name: string,
): Promise<PeerInfo | undefined> {
  const holders = await Promise.all(candidates.map(async (p) => {
    try {
      const files = await listFiles(
        { host: p.ip, port: p.port, id: p.id },
        session.node.trust,
        session.node.timings,
      );
      return files.some((f) => f.name === name || f.name.startsWith(`${name}/`)) ? p : undefined;
    } catch {
      return undefined;
    }
  }));
  const found = holders.filter((p) => p !== undefined);
  return found.length === 1 ? found[0] : undefined;
}
