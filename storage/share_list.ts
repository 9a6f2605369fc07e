/**
 * What a share lists: the files the manifest names (a folder entry's files recursively), or,
 * with no manifest, every visible regular file of the shared folder and its subfolders. Only
 * names and paths; the share index (share_index.ts) describes and serves them.
 *
 * It also says where the share comes from on disk (`ShareSources`), so that a watcher
 * (share_watch.ts) knows which folders and files to watch.
 */
import { promises as fsp, type Stats } from "node:fs";
import { join } from "node:path";
import { t } from "../core/i18n.ts";
import { shareNameProblem, sharePathProblem } from "../core/names.ts";
import { readManifest } from "./manifest.ts";
import { ownStateProblem } from "./share_cache.ts";

/** One file a share lists: its shared name, its path, and the manifest line that listed it. */
export interface Listed {
  name: string;
  path: string;
  line?: number;
}

/** A problem with an entry, after its manifest line (`Line N: ...`) when it has one. */
export function atLine(line: number | undefined, problem: string): string {
  return line === undefined ? problem : t("manifest.atLine", { line, problem });
}

/** Where a share's files come from on disk, as of the last listing. */
export interface ShareSources {
  /** Folders shared recursively: the shared folder without a manifest, else folder entries. */
  folders: string[];
  /** Files the manifest lists one by one (those missing too: they may appear). */
  files: string[];
}

/** What one listing found. */
export interface ShareListing {
  /** `manifest` when the manifest exists; `folder` when every file of the folder is shared. */
  mode: "manifest" | "folder";
  listed: Listed[];
  /** One line per skipped entry, with its line number where there is one. */
  problems: string[];
  sources: ShareSources;
}

/**
 * Lists a share: the manifest's entries when it exists, else the shared folder. Names are
 * not checked for duplicates here (the index keeps the first).
 */
export async function listShare(dir: string, manifestPath: string): Promise<ShareListing> {
  const parsed = await readManifest(manifestPath, dir);
  const problems: string[] = [];
  const listed: Listed[] = [];
  const sources: ShareSources = { folders: [], files: [] };
  if (!parsed) {
    sources.folders.push(dir);
    await walk(dir, "", listed, problems);
    return { mode: "folder", listed, problems, sources };
  }
  problems.push(...parsed.problems.map((p) => p.message));
  for (const e of parsed.entries) {
    const { line, name } = e;
    const problem = (text: string) => problems.push(atLine(line, text));
    const own = ownStateProblem(dir, e.path);
    if (own) {
      problem(t("share.own", { name, problem: own, path: e.path }));
      continue;
    }
    let st: Stats;
    try {
      st = await fsp.lstat(e.path);
    } catch {
      sources.files.push(e.path);
      problem(t("share.notFound", { name, path: e.path }));
      continue;
    }
    if (st.isDirectory()) {
      sources.folders.push(e.path);
      await walk(e.path, e.name, listed, problems);
      continue;
    }
    sources.files.push(e.path);
    if (st.isFile()) listed.push({ name, path: e.path, line });
    else if (st.isSymbolicLink()) problem(t("share.link", { name, path: e.path }));
    else problem(t("share.notRegular", { name, path: e.path }));
  }
  return { mode: "manifest", listed, problems, sources };
}

/** Lists the visible regular files under a folder, named `prefix/relative/path`. */
async function walk(
  dir: string,
  prefix: string,
  out: Listed[],
  problems: string[],
): Promise<void> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return;
    throw err;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith(".") || e.isSymlink) continue;
    const name = (prefix ? `${prefix}/${e.name}` : e.name).normalize("NFC"); // Shared in NFC.
    const problem = shareNameProblem(e.name) ?? sharePathProblem(name);
    if (problem) {
      problems.push(t("share.badName", { name, problem }));
    } else if (e.isDirectory) {
      await walk(join(dir, e.name), name, out, problems);
    } else if (e.isFile) {
      out.push({ name, path: join(dir, e.name) });
    }
  }
}
