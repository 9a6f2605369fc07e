/**
 * The share index: which files this peer serves, under which names, with their descriptors
 * (size, chunk hashes, root). Descriptors are cached on disk by path and stamp (device, inode,
 * size, modification and change times), so a restart does not rehash.
 *
 * Only what was indexed is served (docs/PROTOCOL.md, Peer): before a file is described or a
 * chunk sent, its stamp is compared with the index. A file replaced by another or by a link is
 * refused until the next refresh (which never follows a link); one of another size or
 * modification time is rehashed first; one whose change time alone moved, or whose stamp was taken
 * in the second of its last change, is "unvouched": each chunk is checked against its hash before
 * it is sent, until every chunk has matched once. Chunks are read without following a link.
 *
 * What is listed comes from share_list.ts. A manifest entry may name a folder: its files are
 * shared recursively (hidden ones and links left out), named by the entry's name and their relative paths joined with `/`. rede-p2p's own
 * state (`.rede-p2p/`) and partial downloads (`.NAME.rede-part`) are never shared, whatever the
 * manifest says.
 */
import { promises as fsp, type Stats } from "node:fs";
import { resolve } from "node:path";
import {
  chunkSpan,
  type Descriptor,
  type FileSummary,
  hashChunk,
  type NamedDescriptor,
} from "../core/content.ts";
import { errorLine, RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { SerialQueue } from "../core/io.ts";
import { SHORT_HASH_CHARS } from "../core/limits.ts";
import { sharePathProblem } from "../core/names.ts";
import {
  describeStamped,
  type FileStamp,
  openFile,
  readAt,
  sameFile,
  sameStamp,
  sameWrite,
  stampOf,
} from "./chunks.ts";
import { DescriptorCache } from "./share_cache.ts";
import { atLine, listShare, type ShareSources } from "./share_list.ts";

export { STATE_DIR } from "./share_cache.ts";
export type { ShareSources } from "./share_list.ts";

interface Entry {
  name: string;
  path: string;
  desc: Descriptor;
  stamp: FileStamp;
  /** The stamp does not vouch for the content: each chunk is checked before it is sent. */
  unvouched: boolean;
  /** Chunks that matched when read after the second of the change time: all in, vouched for. */
  verified?: Set<number>;
  /** A chunk did not match: the file is rehashed before it is described again. */
  stale?: boolean;
  /** A check under way, which every request for this file waits on. */
  checking?: Promise<void>;
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
  #cache: DescriptorCache;
  #queue = new SerialQueue();
  #sources: ShareSources = { folders: [], files: [] };

  #now: () => number;

  /** @param opts.now The clock, in epoch milliseconds (tests set their own). */
  constructor(dir: string, manifestPath: string, opts: { now?: () => number } = {}) {
    this.dir = resolve(dir);
    this.manifestPath = resolve(manifestPath);
    this.#cache = new DescriptorCache(this.dir);
    this.#now = opts.now ?? Date.now;
  }

  /** How many shared files are checked chunk by chunk before they are sent (see `verified`). */
  get unvouched(): number {
    return [...this.#files.values()].filter((e) => e.unvouched).length;
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

  /** Where the share came from on disk at the last refresh (what a watcher watches). */
  get sources(): ShareSources {
    return this.#sources;
  }

  /** Whether a name is shared. */
  has(name: string): boolean {
    return this.#files.has(name.normalize("NFC"));
  }

  /** The name under which a content is shared here, if it is. */
  nameOf(root: string): string | undefined {
    return this.#byRoot.get(root)?.name;
  }

  /**
   * Re-reads the manifest (or the folder) and hashes what is new or changed.
   * Refreshes run one at a time.
   *
   * @param signal Stops the refresh between two files or chunks, leaving the index as it was.
   */
  refresh(signal?: AbortSignal): Promise<IndexReport> {
    return this.#queue.run(() => this.#refresh(signal));
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
    const entry = this.#files.get(name.normalize("NFC"));
    if (!entry) throw new RedeError("NOT_FOUND", t("share.noFile", { name }));
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
      throw new RedeError(
        "NOT_FOUND",
        t("share.noContent", { root: root.slice(0, SHORT_HASH_CHARS) }),
      );
    }
    await this.#fresh(entry);
    if (entry.desc.root !== root) {
      throw new RedeError("NOT_FOUND", t("share.changed", { name: entry.name }));
    }
    return { name: entry.name, ...entry.desc };
  }

  /**
   * Reads one chunk of a shared content into `buf`, only while the file still is the file that
   * was described, unchanged: it is opened without following a link, and its stamp compared
   * with the index before a byte is read.
   *
   * @returns How many bytes were read (the chunk's length).
   * @throws {RedeError} `NOT_FOUND` for an unknown root or a file that changed since.
   */
  async readChunk(root: string, index: number, buf: Uint8Array): Promise<number> {
    const entry = this.#chunkEntry(root, index);
    await this.#fresh(entry);
    const changed = () => new RedeError("NOT_FOUND", t("share.changedAsk", { name: entry.name }));
    if (entry.desc.root !== root) throw changed();
    const { offset, length } = chunkSpan(entry.desc, index);
    const readSecond = Math.floor(this.#now() / 1000);
    let opened;
    try {
      opened = await openFile(entry.path);
    } catch (err) {
      throw new RedeError("NOT_FOUND", t("share.gone", { name: entry.name }), { cause: err });
    }
    try {
      if (!sameStamp(opened.stamp, entry.stamp)) throw changed();
      if ((await readAt(opened.file, buf.subarray(0, length), offset)) < length) throw changed();
    } finally {
      await opened.file.close();
    }
    if (entry.unvouched && hashChunk(buf.subarray(0, length)) !== entry.desc.chunks[index]) {
      entry.stale = true;
      this.#cache.records.delete(entry.path); // A refresh before the next check rehashes it too.
      throw changed();
    }
    if (entry.unvouched && readSecond > Math.floor(entry.stamp.ctimeMs / 1000)) {
      const verified = entry.verified ??= new Set();
      verified.add(index);
      if (verified.size === entry.desc.chunks.length) {
        entry.unvouched = false;
        entry.verified = undefined;
        this.#cache.records.set(entry.path, {
          desc: entry.desc,
          stamp: entry.stamp,
          unvouched: false,
        });
        this.#cache.dirty = true;
      }
    }
    return length;
  }

  /** Refuses, without the disk, a chunk not here: `NOT_FOUND` (root), `BAD_REQUEST` (index). */
  checkChunk(root: string, index: number): void {
    this.#chunkEntry(root, index);
  }

  #chunkEntry(root: string, index: number): Entry {
    const entry = this.#byRoot.get(root);
    if (!entry) {
      throw new RedeError(
        "NOT_FOUND",
        t("share.noContent", { root: root.slice(0, SHORT_HASH_CHARS) }),
      );
    }
    if (index >= entry.desc.chunks.length) {
      throw new RedeError("BAD_REQUEST", t("share.noChunk", { index, name: entry.name }));
    }
    return entry;
  }

  /**
   * Records the descriptor of a file this peer just verified (a finished download), so that
   * the next refresh does not read it again.
   */
  async remember(path: string, desc: Descriptor): Promise<void> {
    await this.#cache.load();
    const stamp = stampOf(await fsp.lstat(path));
    this.#cache.records.set(resolve(path), { desc, stamp, unvouched: stamp.size !== desc.size });
    this.#cache.dirty = true;
  }

  /** Checks an entry against its file; one check at a time per entry. */
  async #fresh(entry: Entry): Promise<void> {
    entry.checking ??= this.#check(entry).finally(() => (entry.checking = undefined));
    await entry.checking;
  }

  /**
   * Rehashes an entry whose file was written since it was described, or leaves its chunks to be
   * checked one by one when only its change time moved.
   *
   * @throws {RedeError} `NOT_FOUND` when the file is gone, or is another file or a link now.
   */
  async #check(entry: Entry): Promise<void> {
    let st: Stats;
    try {
      st = await fsp.lstat(entry.path);
    } catch (err) {
      throw new RedeError("NOT_FOUND", t("share.gone", { name: entry.name }), { cause: err });
    }
    const replaced = () => new RedeError("NOT_FOUND", t("share.replaced", { name: entry.name }));
    const now = stampOf(st);
    if (!st.isFile() || !sameFile(now, entry.stamp)) throw replaced();
    if (!entry.stale && sameWrite(now, entry.stamp)) {
      if (now.ctimeMs !== entry.stamp.ctimeMs) {
        entry.stamp = now;
        entry.unvouched = true;
        entry.verified = undefined;
        this.#cache.records.set(entry.path, { desc: entry.desc, stamp: now, unvouched: true });
        this.#cache.dirty = true;
      }
      return;
    }
    let read;
    try {
      read = await describeStamped(entry.path);
    } catch (err) {
      throw new RedeError("NOT_FOUND", t("share.gone", { name: entry.name }), { cause: err });
    }
    if (!sameFile(read.stamp, entry.stamp)) throw replaced();
    // A refresh may have run meanwhile: an entry it dropped (no longer shared) stays out.
    const current = this.#files.get(entry.name) === entry;
    if (this.#byRoot.get(entry.desc.root) === entry) this.#byRoot.delete(entry.desc.root);
    entry.desc = read.desc;
    entry.stamp = read.stamp;
    entry.unvouched = read.racy;
    entry.verified = undefined;
    entry.stale = false;
    if (current && !this.#byRoot.has(read.desc.root)) this.#byRoot.set(read.desc.root, entry);
    this.#cache.records.set(entry.path, {
      desc: read.desc,
      stamp: read.stamp,
      unvouched: read.racy,
    });
    this.#cache.dirty = true;
    await this.#saveCache();
  }

  async #refresh(signal?: AbortSignal): Promise<IndexReport> {
    await this.#cache.load();
    const { mode, listed, problems, sources } = await listShare(this.dir, this.manifestPath);
    const files = new Map<string, Entry>();
    const byRoot = new Map<string, Entry>();
    let hashed = 0;
    for (const { name, path, line } of listed) {
      signal?.throwIfAborted();
      if (files.has(name)) {
        problems.push(atLine(line, t("share.twice", { name })));
        continue;
      }
      if (sharePathProblem(name) !== undefined) continue; // Every way in checked it already.
      let st: Stats;
      try {
        st = await fsp.lstat(path);
      } catch {
        problems.push(atLine(line, t("share.notFound", { name, path })));
        continue;
      }
      const now = stampOf(st);
      let record = this.#cache.records.get(path);
      if (st.isFile() && record && sameWrite(record.stamp, now)) {
        if (record.stamp.ctimeMs !== now.ctimeMs) {
          // Only the change time moved: the chunks are checked as they are sent.
          record = { desc: record.desc, stamp: now, unvouched: true };
          this.#cache.records.set(path, record);
          this.#cache.dirty = true;
        }
      } else {
        try {
          const read = await describeStamped(path, signal);
          record = { desc: read.desc, stamp: read.stamp, unvouched: read.racy };
        } catch (err) {
          if (signal?.aborted) throw err;
          const error = errorLine(err);
          problems.push(atLine(line, t("share.unreadable", { name, error })));
          continue;
        }
        hashed++;
        this.#cache.records.set(path, record);
      }
      const entry: Entry = { name, path, ...record };
      files.set(name, entry);
      if (!byRoot.has(entry.desc.root)) byRoot.set(entry.desc.root, entry);
    }
    this.#files = files;
    this.#byRoot = byRoot;
    this.#sources = sources;
    if (hashed > 0 || this.#cache.dirty) await this.#saveCache();
    return { mode, problems, hashed };
  }

  #saveCache(): Promise<void> {
    return this.#cache.save(new Set([...this.#files.values()].map((e) => e.path)));
  }
}
