/**
 * The share index: which files this peer serves, under which names, with their descriptors
 * (size, chunk hashes, root). Descriptors are cached on disk by (path, size, mtime), so a
 * restart does not rehash; a file that changed is rehashed before it is served again, and a
 * chunk is only served while the file still matches what was announced.
 *
 * A manifest entry may name a folder: its files are shared recursively, named by the entry's
 * name and their relative paths joined with `/`.
 */
import { join, resolve } from "node:path";
import * as v from "valibot";
import { chunkSpan, Descriptor, type FileSummary, type NamedDescriptor } from "../core/content.ts";
import { RedeError } from "../core/errors.ts";
import { readFull, SerialQueue, writeJsonAtomic } from "../core/io.ts";
import { SHORT_HASH_CHARS } from "../core/limits.ts";
import { shareNameProblem, sharePathProblem } from "../core/names.ts";
import { describeFile } from "./chunks.ts";
import { readManifest } from "./manifest.ts";

/** Folder, inside the shared folder, for rede-p2p's own state; never shared. */
export const STATE_DIR = ".rede-p2p";
const CACHE_VERSION = 2;

interface Entry {
  name: string;
  path: string;
  mtimeMs: number;
  desc: Descriptor;
}

interface CacheRecord extends Descriptor {
  mtimeMs: number;
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
  #byRoot = new Map<string, Entry>();
  #cache = new Map<string, CacheRecord>();
  #cacheLoaded = false;
  #cacheDirty = false;
  #queue = new SerialQueue();

  constructor(dir: string, manifestPath: string) {
    this.dir = resolve(dir);
    this.manifestPath = resolve(manifestPath);
  }

  /** How many files are shared. */
  get count(): number {
    return this.#files.size;
  }

  /** The shared files, sorted by name. */
  list(): FileSummary[] {
    return [...this.#files.values()]
      .map((e) => ({ name: e.name, size: e.desc.size, root: e.desc.root }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Whether a name is shared. */
  has(name: string): boolean {
    return this.#files.has(name);
  }

  /** The name under which a content is shared here, if it is. */
  nameOf(root: string): string | undefined {
    return this.#byRoot.get(root)?.name;
  }

  /**
   * Re-reads the manifest (or the folder) and hashes what is new or changed.
   * Refreshes run one at a time.
   */
  refresh(): Promise<IndexReport> {
    return this.#queue.run(() => this.#refresh());
  }

  /**
   * The descriptor of a shared file, checked against the file on disk first.
   *
   * The name is only looked up, never joined to a path; the wire gate already refused unsafe
   * names with `BAD_NAME`.
   *
   * @throws {RedeError} `NOT_FOUND`.
   */
  async describe(name: string): Promise<NamedDescriptor> {
    const entry = this.#files.get(name);
    if (!entry) throw new RedeError("NOT_FOUND", `No shared file named '${name}'`);
    await this.#fresh(entry);
    return { name: entry.name, ...entry.desc };
  }

  /**
   * The descriptor of a shared content, found by its root.
   *
   * @throws {RedeError} `NOT_FOUND`.
   */
  async describeRoot(root: string): Promise<NamedDescriptor> {
    const entry = this.#byRoot.get(root);
    if (!entry) {
      throw new RedeError("NOT_FOUND", `No shared content ${root.slice(0, SHORT_HASH_CHARS)}`);
    }
    await this.#fresh(entry);
    if (entry.desc.root !== root) {
      throw new RedeError("NOT_FOUND", `'${entry.name}' changed on disk`);
    }
    return { name: entry.name, ...entry.desc };
  }

  /**
   * Reads one chunk of a shared content into `buf`, only while the file still matches the
   * descriptor it was announced with.
   *
   * @returns How many bytes were read (the chunk's length).
   * @throws {RedeError} `NOT_FOUND` for an unknown root or a file that changed since.
   */
  async readChunk(root: string, index: number, buf: Uint8Array): Promise<number> {
    const entry = this.#byRoot.get(root);
    if (!entry) {
      throw new RedeError("NOT_FOUND", `No shared content ${root.slice(0, SHORT_HASH_CHARS)}`);
    }
    if (index >= entry.desc.chunks.length) {
      throw new RedeError("BAD_REQUEST", `No chunk ${index} in ${entry.name}`);
    }
    await this.#fresh(entry);
    if (entry.desc.root !== root) {
      throw new RedeError("NOT_FOUND", `'${entry.name}' changed on disk; ask for it again`);
    }
    const { offset, length } = chunkSpan(entry.desc, index);
    using file = await Deno.open(entry.path, { read: true });
    await file.seek(offset, Deno.SeekMode.Start);
    if ((await readFull(file, buf.subarray(0, length))) < length) {
      throw new RedeError("NOT_FOUND", `'${entry.name}' shrank on disk`);
    }
    return length;
  }

  /**
   * Records the descriptor of a file this peer just verified (a finished download), so that
   * the next refresh does not read it again.
   */
  async remember(path: string, desc: Descriptor): Promise<void> {
    await this.#loadCache();
    const st = await Deno.stat(path);
    this.#cache.set(resolve(path), { ...desc, mtimeMs: st.mtime?.getTime() ?? 0 });
    this.#cacheDirty = true;
  }

  /** Rehashes an entry whose file changed since it was described. */
  async #fresh(entry: Entry): Promise<void> {
    let st: Deno.FileInfo;
    try {
      st = await Deno.stat(entry.path);
    } catch (err) {
      throw new RedeError("NOT_FOUND", `Shared file '${entry.name}' is gone`, { cause: err });
    }
    const mtimeMs = st.mtime?.getTime() ?? 0;
    if (st.size === entry.desc.size && mtimeMs === entry.mtimeMs) return;
    const desc = await describeFile(entry.path);
    this.#byRoot.delete(entry.desc.root);
    entry.desc = desc;
    entry.mtimeMs = mtimeMs;
    this.#byRoot.set(desc.root, entry);
    this.#cache.set(entry.path, { ...desc, mtimeMs });
    this.#cacheDirty = true;
    await this.#saveCache();
  }

  async #refresh(): Promise<IndexReport> {
    await this.#loadCache();
    const parsed = await readManifest(this.manifestPath, this.dir);
    const problems: string[] = [];
    const listed: { name: string; path: string; where: string }[] = [];
    if (parsed) {
      problems.push(...parsed.problems.map((p) => p.message));
      for (const e of parsed.entries) {
        const where = `Line ${e.line}: `;
        let st: Deno.FileInfo;
        try {
          st = await Deno.stat(e.path);
        } catch {
          problems.push(`${where}'${e.name}': file not found (${e.path}); skipped`);
          continue;
        }
        if (st.isDirectory) await this.#walk(e.path, e.name, listed, problems);
        else if (st.isFile) listed.push({ name: e.name, path: e.path, where });
        else problems.push(`${where}'${e.name}': not a regular file (${e.path}); skipped`);
      }
    } else {
      await this.#walk(this.dir, "", listed, problems);
    }
    const files = new Map<string, Entry>();
    const byRoot = new Map<string, Entry>();
    let hashed = 0;
    for (const { name, path, where } of listed) {
      if (files.has(name)) {
        problems.push(`${where}'${name}' is shared twice; the first one is kept`);
        continue;
      }
      let st: Deno.FileInfo;
      try {
        st = await Deno.stat(path);
      } catch {
        problems.push(`${where}'${name}': file not found (${path}); skipped`);
        continue;
      }
      const mtimeMs = st.mtime?.getTime() ?? 0;
      const cached = this.#cache.get(path);
      let desc: Descriptor | undefined = cached;
      if (!cached || cached.size !== st.size || cached.mtimeMs !== mtimeMs) {
        try {
          desc = await describeFile(path);
        } catch (err) {
          problems.push(`${where}'${name}': cannot read (${(err as Error).message}); skipped`);
          continue;
        }
        hashed++;
        this.#cache.set(path, { ...desc, mtimeMs });
      }
      const { size, chunk_size, chunks, root } = desc!;
      const entry = { name, path, mtimeMs, desc: { size, chunk_size, chunks, root } };
      files.set(name, entry);
      if (!byRoot.has(root)) byRoot.set(root, entry);
    }
    this.#files = files;
    this.#byRoot = byRoot;
    if (hashed > 0 || this.#cacheDirty) await this.#saveCache();
    return { mode: parsed ? "manifest" : "folder", problems, hashed };
  }

  /** Lists the visible regular files under a folder, named `prefix/relative/path`. */
  async #walk(
    dir: string,
    prefix: string,
    out: { name: string; path: string; where: string }[],
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
      const name = prefix ? `${prefix}/${e.name}` : e.name;
      const problem = shareNameProblem(e.name) ?? sharePathProblem(name);
      if (problem) {
        problems.push(`'${name}': cannot be shared, its name ${problem}`);
      } else if (e.isDirectory) {
        await this.#walk(join(dir, e.name), name, out, problems);
      } else if (e.isFile) {
        out.push({ name, path: join(dir, e.name), where: "" });
      }
    }
  }

  get #cachePath(): string {
    return join(this.dir, STATE_DIR, "index.json");
  }

  async #loadCache(): Promise<void> {
    if (this.#cacheLoaded) return;
    this.#cacheLoaded = true;
    try {
      const data = JSON.parse(await Deno.readTextFile(this.#cachePath));
      if (data?.version !== CACHE_VERSION || typeof data.files !== "object") return;
      for (const [path, r] of Object.entries(data.files as Record<string, unknown>)) {
        // A damaged or foreign record is dropped, and that file hashed again.
        const mtimeMs = (r as { mtimeMs?: unknown })?.mtimeMs;
        const desc = v.safeParse(Descriptor, r);
        if (desc.success && typeof mtimeMs === "number") {
          this.#cache.set(path, { ...desc.output, mtimeMs });
        }
      }
    } catch {
      // No cache yet, or an unreadable one: everything is hashed again.
    }
  }

  async #saveCache(): Promise<void> {
    const live = new Set([...this.#files.values()].map((e) => e.path));
    const files = Object.fromEntries([...this.#cache].filter(([p]) => live.has(p)));
    try {
      await Deno.mkdir(join(this.dir, STATE_DIR), { recursive: true });
      await writeJsonAtomic(this.#cachePath, { version: CACHE_VERSION, files });
      this.#cacheDirty = false;
    } catch {
      // A read-only share still works; it just rehashes after a restart.
    }
  }
}
