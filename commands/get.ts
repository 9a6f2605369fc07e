import type { FileSummary } from "../core/content.ts";
import { RedeError } from "../core/errors.ts";
import { assertShareName } from "../core/names.ts";
import type { Job } from "../app/fetch.ts";
import { listFiles } from "../net/peer_client.ts";
import type { PeerInfo } from "../net/protocol.ts";
import type { Command } from "./_command.ts";
import { fetchShown } from "./_fetch_view.ts";
import type { Session } from "./_session.ts";
import { needSession, reportError } from "./_shell.ts";

export const get: Command = {
  name: "get",
  scopes: ["shell"],
  summary: "Download files, from one peer or from every peer that has them",
  description: "get <peer> <file>...   from the peer named by name, IP, IP:PORT or # in 'peers'\n" +
    "get <file>...          from every peer that shares that content (or a # row of 'find')\n\n" +
    "Each file is fetched in chunks (1 MiB, up to 4 MiB for files over 1 GiB) from every peer\n" +
    "holding the same content, those still downloading it included, each chunk\n" +
    "checked against its SHA-256 before it is written. It lands in the shared folder, is added\n" +
    "to the manifest and shared on. An existing file is never replaced: a free name such as\n" +
    "'a (1).txt' is used, and said. A name that is a shared folder fetches the whole folder.\n" +
    "Several files download at once. An interrupted download (Ctrl-C, a lost peer, a crash)\n" +
    "resumes on the next 'get' of the same file. A file that cannot fit on the disk is refused\n" +
    "before anything is written; a disk that fills up stops the download, kept to resume.\n" +
    "Quote names with spaces.",
  args: [
    { name: "peer", description: "name, IP, IP:PORT or # from 'peers' (optional)", optional: true },
    { name: "file", description: "a name shown by 'ls' or 'find', or a # row of 'find'" },
  ],
  variadic: true,
  examples: [
    "get 192.168.0.7 a.txt",
    'get 192.168.0.7:50123 "my notes.txt" b.txt',
    "get 2 b.txt",
    "get movie.mkv",
    "get #3",
  ],
  async run({ args }, ctx) {
    const session = needSession(ctx);
    const jobs = args.length >= 2 && (looksLikePeer(args[0]) || await session.peerNamed(args[0]))
      ? await fromPeer(session, args[0], args.slice(1))
      : await fromNetwork(session, args);
    const errors = await fetchShown(session, jobs, ctx);
    if (errors.length === 1) throw errors[0];
    for (const err of errors) reportError(err, session.verbose);
    return errors.length ? 1 : 0;
  },
};

/** A row number, an IP, or HOST:PORT: what names a peer rather than a file. */
function looksLikePeer(text: string): boolean {
  return /^#?\d{1,4}$/.test(text) || /^\d{1,3}(\.\d{1,3}){3}(:\d+)?$/.test(text) ||
    /^\[[0-9a-fA-F:.]+\](:\d+)?$/.test(text) ||
    /^[0-9a-fA-F]*:[0-9a-fA-F:]*:[0-9a-fA-F:.]*$/.test(text) ||
    /^[^\s:/\\]+:\d{1,5}$/.test(text);
}

/** The files (or folders) named, from one peer's list. */
async function fromPeer(session: Session, peerText: string, names: string[]): Promise<Job[]> {
  names.forEach(assertShareName); // The gate for names the user typed.
  const addr = await session.resolvePeer(
    peerText,
    undefined,
    (candidates) => holderOf(session, candidates, names[0]),
  );
  if (session.node.isSelf(addr)) {
    throw new RedeError("BAD_INPUT", `That peer is this one; pick another in 'peers'`);
  }
  const files = await listFiles(addr, session.node.trust, session.node.timings);
  return names.flatMap((name) =>
    pick(files, name, `at ${peerText}`).map((f) => ({
      name: f.name,
      root: f.root,
      from: addr,
    }))
  );
}

/** The files (or folders) named, wherever they are, or rows of the last `find`. */
async function fromNetwork(session: Session, items: string[]): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const item of items) {
    const row = /^#?(\d{1,4})$/.exec(item);
    if (row && session.lastFound.length > 0) {
      const found = session.lastFound[Number(row[1]) - 1];
      if (!found) {
        throw new RedeError(
          "BAD_INPUT",
          `No row #${row[1]}: 'find' listed ${session.lastFound.length}`,
        );
      }
      jobs.push({ name: found.name, root: found.root });
      continue;
    }
    assertShareName(item);
    const results = await session.node.tracker.find(item);
    const chosen = pick(results, item, "on the network");
    const roots = new Set(chosen.filter((f) => f.name === item).map((f) => f.root));
    if (roots.size > 1) {
      throw new RedeError(
        "BAD_INPUT",
        `Several different files are named '${item}'; use 'find ${item}' and get one by its #`,
      );
    }
    jobs.push(...chosen.map((f) => ({ name: f.name, root: f.root })));
  }
  return jobs;
}

/** The entry named `name`, or every file of the folder `name`. */
function pick<T extends FileSummary>(files: T[], name: string, where: string): T[] {
  const exact = files.filter((f) => f.name === name);
  if (exact.length) return exact;
  const inFolder = files.filter((f) => f.name.startsWith(`${name}/`));
  if (inFolder.length) return inFolder;
  throw new RedeError("NOT_FOUND", `No file or folder named '${name}' ${where}`);
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
