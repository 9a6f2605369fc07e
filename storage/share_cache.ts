/**
 * rede-p2p's own state in a shared folder (`.rede-p2p/`): the cache of descriptors the share
 * index keeps across restarts, and the rule that this state, partial downloads and hidden files
 * are never shared.
 *
 * The cache (`.rede-p2p/index.json`) maps a file's absolute path to its descriptor and the stamp
 * of the file it was read from (`storage/chunks.ts`). Version 3 keys records by stamp; a cache
 * of another version (version 2 kept records by size and modification time alone), a damaged
 * one or a damaged record is ignored, and those files are hashed again.
 */
import { basename, isAbsolute, join, relative, sep } from "node:path";
import * as v from "valibot";
import { Descriptor } from "../core/content.ts";
import { t } from "../core/i18n.ts";
import { writeJsonAtomic } from "../core/io.ts";
import { FileStamp } from "./chunks.ts";

/** Folder, inside the shared folder, for rede-p2p's own state; never shared. */
export const STATE_DIR = ".rede-p2p";
const CACHE_VERSION = 3;

/** What the cache keeps of a file. */
export const CacheRecord = v.object({
  desc: Descriptor,
  stamp: FileStamp,
  /** The stamp does not vouch for the content: each chunk is checked before it is sent. */
  unvouched: v.boolean(),
});
export type CacheRecord = v.InferOutput<typeof CacheRecord>;

/** The descriptors of a shared folder's files, by absolute path, kept across restarts. */
export class DescriptorCache {
  readonly records = new Map<string, CacheRecord>();
  /** Records changed since the last save. */
  dirty = false;
  #path: string;
  #loaded = false;

  constructor(readonly shareDir: string) {
    this.#path = join(shareDir, STATE_DIR, "index.json");
  }

  /** Reads the cache once; an unreadable or foreign one is left out. */
  async load(): Promise<void> {
    if (this.#loaded) return;
    this.#loaded = true;
    try {
      const data = JSON.parse(await Deno.readTextFile(this.#path));
      if (data?.version !== CACHE_VERSION || typeof data.files !== "object") return;
      for (const [path, r] of Object.entries(data.files as Record<string, unknown>)) {
        const record = v.safeParse(CacheRecord, r);
        if (record.success) this.records.set(path, record.output);
      }
    } catch {
      // No cache yet, or an unreadable one: everything is hashed again.
    }
  }

  /** Writes the records of the files still shared (`live`). */
  async save(live: Set<string>): Promise<void> {
    const files = Object.fromEntries([...this.records].filter(([p]) => live.has(p)));
    try {
      await Deno.mkdir(join(this.shareDir, STATE_DIR), { recursive: true });
      await writeJsonAtomic(this.#path, { version: CACHE_VERSION, files });
      this.dirty = false;
    } catch {
      // A read-only share still works; it just rehashes after a restart.
    }
  }
}

/**
 * Why a path must not be shared whatever a manifest says: rede-p2p's own state (a `.rede-p2p`
 * folder, this share's or another's), a partial download (`.NAME.rede-part`, `.json`), or a
 * hidden part inside the shared folder.
 *
 * @returns The reason, or `undefined` when the path may be shared.
 */
export function ownStateProblem(shareDir: string, path: string): string | undefined {
  if (path.split(sep).includes(STATE_DIR)) return t("share.ownState");
  if (/^\..+\.rede-part(\.json)?$/.test(basename(path))) {
    return t("share.partial");
  }
  const rel = relative(shareDir, path);
  const inside = rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  if (inside && rel.split(sep).some((p) => p.startsWith("."))) {
    return t("share.hidden");
  }
  return undefined;
}
