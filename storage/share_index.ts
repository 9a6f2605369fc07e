/**
 * The share index: which files this peer serves, under which names, with their sizes and
 * SHA-256. Hashes are cached on disk by (path, size, mtime), so a restart does not rehash
 * files that did not change, and a file that changed is rehashed before it is served again.
 */
import { join, resolve } from "node:path";
import { RedeError } from "../net/errors.ts";
import type { FileInfo } from "../net/protocol.ts";
import { hashFile } from "./hashing.ts";
import { readManifest } from "./manifest.ts";
import { shareNameProblem } from "./names.ts";

/** Folder, inside the shared folder, for rede-p2p's own state; never shared. */
export const STATE_DIR = ".rede-p2p";

interface Entry extends FileInfo {
  path: string;
  mtimeMs: number;
}

interface CacheRecord {
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** What one refresh found. */
export interface IndexReport {
  /** `manifest` when the manifest exists; `folder` when every file of the folder is shared. */
  mode: "manifest" | "folder";
  /** One line per skipped entry, with its line number where there is one. */
  problems: string[];
  /** How many files had to be hashed. */
  hashed: number;
}

/** The files a peer shares. */
export class ShareIndex {
  readonly dir: string;
  readonly manifestPath: string;
  #files = new Map<string, Entry>();
  #cache = new Map<string, CacheRecord>();
  #cacheLoaded = false;
  #cacheDirty = false;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string, manifestPath: string) {
    this.dir = resolve(dir);
    this.manifestPath = resolve(manifestPath);
  }

  /** How many files are shared. */
  get count(): number {
    return this.#files.size;
  }

  /** The shared files, sorted by name. */
  list(): FileInfo[] {
    return [...this.#files.values()]
      .map(({ name, size, sha256 }) => ({ name, size, sha256 }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Whether a name is shared. */
  has(name: string): boolean {
    return this.#files.has(name);
  }

  /**
   * Re-reads the manifest (or the folder) and hashes what is new or changed.
   * Refreshes run one at a time.
   */
  refresh(): Promise<IndexReport> {
    const run = this.#queue.then(() => this.#refresh());
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * Opens a shared file for reading, after checking it still matches its announced hash
   * (rehashing it first if it changed on disk).
   *
   * @param name A name announced by this peer; nothing else can be opened.
   * @throws {RedeError} `BAD_NAME` or `NOT_FOUND`.
   */
  async open(name: string): Promise<{ file: Deno.FsFile; info: FileInfo }> {
    const problem = shareNameProblem(name);
    if (problem) throw new RedeError("BAD_NAME", `Invalid file name '${name}': ${problem}`);
    const entry = this.#files.get(name);
    if (!entry) throw new RedeError("NOT_FOUND", `No shared file named '${name}'`);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(entry.path, { read: true });
    } catch (err) {
      throw new RedeError("NOT_FOUND", `Shared file '${name}' is no longer readable`, {
        cause: err,
      });
    }
    try {
      const st = await file.stat();
      if (!st.isFile) throw new RedeError("NOT_FOUND", `Shared file '${name}' is not a file`);
      const mtimeMs = st.mtime?.getTime() ?? 0;
      if (st.size !== entry.size || mtimeMs !== entry.mtimeMs) {
        const sha256 = await hashFile(entry.path);
        Object.assign(entry, { size: st.size, mtimeMs, sha256 });
        this.#cache.set(entry.path, { size: st.size, mtimeMs, sha256 });
        await this.#saveCache();
      }
      return { file, info: { name: entry.name, size: entry.size, sha256: entry.sha256 } };
    } catch (err) {
      file.close();
      throw err;
    }
  }

  /**
   * Records the SHA-256 of a file this peer just verified (a finished download), so that the
   * next refresh does not read it again.
   */
  async remember(path: string, sha256: string): Promise<void> {
    await this.#loadCache();
    const st = await Deno.stat(path);
    this.#cache.set(resolve(path), { size: st.size, mtimeMs: st.mtime?.getTime() ?? 0, sha256 });
    this.#cacheDirty = true;
  }

  async #refresh(): Promise<IndexReport> {
    await this.#loadCache();
    const parsed = await readManifest(this.manifestPath, this.dir);
    const problems: string[] = [];
    let listed: { name: string; path: string; where: string }[];
    if (parsed) {
      problems.push(...parsed.problems.map((p) => p.message));
      listed = parsed.entries.map((e) => ({ ...e, where: `Line ${e.line}: ` }));
    } else {
      listed = await this.#folderFiles(problems);
    }
    const files = new Map<string, Entry>();
    let hashed = 0;
    for (const { name, path, where } of listed) {
      let st: Deno.FileInfo;
      try {
        st = await Deno.stat(path);
      } catch {
        problems.push(`${where}'${name}': file not found (${path}); skipped`);
        continue;
      }
      if (!st.isFile) {
        problems.push(`${where}'${name}': not a regular file (${path}); skipped`);
        continue;
      }
      const mtimeMs = st.mtime?.getTime() ?? 0;
      const cached = this.#cache.get(path);
      let sha256 = cached?.sha256;
      if (!cached || cached.size !== st.size || cached.mtimeMs !== mtimeMs) {
        try {
          sha256 = await hashFile(path);
        } catch (err) {
          problems.push(`${where}'${name}': cannot read (${(err as Error).message}); skipped`);
          continue;
        }
        hashed++;
        this.#cache.set(path, { size: st.size, mtimeMs, sha256 });
      }
      files.set(name, { name, path, size: st.size, mtimeMs, sha256: sha256! });
    }
    this.#files = files;
    if (hashed > 0 || this.#cacheDirty) await this.#saveCache();
    return { mode: parsed ? "manifest" : "folder", problems, hashed };
  }

  async #folderFiles(problems: string[]) {
    const out: { name: string; path: string; where: string }[] = [];
    try {
      for await (const e of Deno.readDir(this.dir)) {
        if (!e.isFile || e.name.startsWith(".")) continue;
        const problem = shareNameProblem(e.name);
        if (problem) problems.push(`'${e.name}': cannot be shared, its name ${problem}`);
        else out.push({ name: e.name, path: join(this.dir, e.name), where: "" });
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
    return out;
  }

  get #cachePath(): string {
    return join(this.dir, STATE_DIR, "hashes.json");
  }

  async #loadCache(): Promise<void> {
    if (this.#cacheLoaded) return;
    this.#cacheLoaded = true;
    try {
      const data = JSON.parse(await Deno.readTextFile(this.#cachePath));
      for (const [path, r] of Object.entries(data as Record<string, CacheRecord>)) {
        if (
          Number.isSafeInteger(r?.size) && typeof r.mtimeMs === "number" &&
          /^[0-9a-f]{64}$/.test(r.sha256)
        ) this.#cache.set(path, r);
      }
    } catch {
      // No cache yet, or an unreadable one: everything is hashed again.
    }
  }

  async #saveCache(): Promise<void> {
    const live = new Set([...this.#files.values()].map((e) => e.path));
    const data = Object.fromEntries([...this.#cache].filter(([p]) => live.has(p)));
    try {
      await Deno.mkdir(join(this.dir, STATE_DIR), { recursive: true });
      const tmp = `${this.#cachePath}.${Deno.pid}.tmp`;
      await Deno.writeTextFile(tmp, JSON.stringify(data));
      await Deno.rename(tmp, this.#cachePath);
      this.#cacheDirty = false;
    } catch {
      // A read-only share still works; it just rehashes after a restart.
    }
  }
}
