/**
 * Keeps a share index current while a peer runs, and says when what it shares changed.
 *
 * The share is looked at again (`ShareIndex.refresh`) in two ways:
 *
 * - A watcher (`Deno.watchFs`) on where the share comes from: the shared folder and every
 *   folder entry of the manifest, recursively; and, one level deep, the manifest's folder (for
 *   the manifest itself, which may appear, change or go) and the folders of the files the
 *   manifest lists one by one. A change that matters (not in a hidden file or folder, so not a
 *   partial download or rede-p2p's own state) starts a look once the share has stayed quiet
 *   for `debounceMs`, so a burst of changes makes one look.
 * - Every `rescanMs` whatever happens: the fallback when the share cannot be watched (a
 *   folder that is missing or was removed, a system out of watches), and the latest a change
 *   is noticed while changes never stop (a file being copied in is looked at once it is
 *   complete, not hashed again and again while it grows).
 *
 * One look runs at a time; asking for one while another runs makes one more after it. After
 * each look the watchers follow the share: folders that appeared or went away are watched
 * again (and a look follows a newly watched folder, for what changed while nobody watched).
 */
import { basename, dirname, isAbsolute, relative, sep } from "node:path";
import { errorLine } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import type { ShareIndex } from "./share_index.ts";

export interface ShareWatchOptions {
  /** How often the share is looked at whatever the watcher says. */
  rescanMs: number;
  /** How long the share must stay quiet after a change before it is looked at. */
  debounceMs: number;
  /** Called after a look that changed what is shared (names, sizes or contents). */
  onChange: () => void;
  /** Told when the share cannot be watched (changes are then found by the periodic look). */
  log?: (line: string) => void;
}

/** A folder watched, as given and as the system names it (events may use either). */
interface Root {
  path: string;
  real: string;
}

/** What is watched: folders recursively (deep), folders one level (shallow) for some names. */
interface Plan {
  deep: Root[];
  shallow: Root[];
  /** The names that matter in a shallow folder: the manifest's, the listed files'. */
  names: Set<string>;
}

interface Watcher {
  fs: Deno.FsWatcher;
  loop: Promise<void>;
  closed: boolean;
}

/** Watches a share and keeps its index current; `close` stops it. */
export class ShareWatch {
  #index: ShareIndex;
  #opts: ShareWatchOptions;
  #shared: string;
  #interval: ReturnType<typeof setInterval>;
  #quietTimer?: ReturnType<typeof setTimeout>;
  #lastChange = 0;
  #busy?: Promise<void>;
  #next?: Promise<void>;
  #watchers: Watcher[] = [];
  #plan: Plan = { deep: [], shallow: [], names: new Set() };
  #planKey = "";
  /** A watched folder went away or a watcher failed: the next look watches anew. */
  #stale = false;
  #failed = false;
  #closed = false;
  #stop = new AbortController();

  /** Settles once the share is watched (or found not watchable: the periodic look stays). */
  readonly ready: Promise<void>;

  /** Starts watching the share of `index`, which has been refreshed once already. */
  constructor(index: ShareIndex, opts: ShareWatchOptions) {
    this.#index = index;
    this.#opts = opts;
    this.#shared = sharedKey(index);
    this.#interval = setInterval(() => void this.rescan(), opts.rescanMs);
    this.ready = this.#start(() => this.#watch());
  }

  /**
   * Looks at the share again now, or right after the look under way; resolves once a look that
   * started after this call has ended.
   */
  rescan(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (!this.#busy) return this.#start(() => this.#look());
    this.#next ??= this.#busy.then(() => {
      this.#next = undefined;
      return this.rescan();
    });
    return this.#next;
  }

  /** Stops the watchers and the periodic look; a look under way stops at its next file or chunk. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stop.abort();
    clearInterval(this.#interval);
    clearTimeout(this.#quietTimer);
    await this.#next;
    await this.#busy;
    await this.#unwatch();
  }

  #start(task: () => Promise<void>): Promise<void> {
    const run: Promise<void> = task().catch(() => {}).finally(() => {
      if (this.#busy === run) this.#busy = undefined;
    });
    this.#busy = run;
    return run;
  }

  async #look(): Promise<void> {
    try {
      await this.#index.refresh(this.#stop.signal);
    } catch {
      return; // The next look tries again.
    }
    const now = sharedKey(this.#index);
    if (now !== this.#shared) {
      this.#shared = now;
      this.#opts.onChange();
    }
    await this.#watch();
  }

  /** A change that matters: a look once the share has been quiet for `debounceMs`. */
  #changed(): void {
    if (this.#closed) return;
    this.#lastChange = performance.now();
    if (this.#quietTimer !== undefined) return;
    const wait = (ms: number) => {
      this.#quietTimer = setTimeout(() => {
        const left = this.#lastChange + this.#opts.debounceMs - performance.now();
        if (left > 0) return wait(left);
        this.#quietTimer = undefined;
        void this.rescan();
      }, ms);
    };
    wait(this.#opts.debounceMs);
  }

  /** Watches where the share comes from now, unless the watchers already do. */
  async #watch(): Promise<void> {
    const plan = await this.#planNow();
    const key = JSON.stringify([plan.deep, plan.shallow]);
    if (this.#closed) return;
    if (key === this.#planKey && !this.#stale) {
      this.#plan = plan; // The same folders: only the names that matter may have changed.
      return;
    }
    const before = new Set([...this.#plan.deep, ...this.#plan.shallow].map((r) => r.path));
    await this.#unwatch();
    this.#plan = plan;
    this.#planKey = key;
    this.#stale = false;
    try {
      if (plan.deep.length > 0) this.#follow(plan.deep, true);
      if (plan.shallow.length > 0) this.#follow(plan.shallow, false);
      this.#failed = false;
    } catch (err) {
      await this.#unwatch();
      this.#stale = true; // Tried again at the next look.
      if (!this.#failed) {
        this.#failed = true;
        const seconds = Math.round(this.#opts.rescanMs / 1000);
        this.#opts.log?.(t("share.watchFailed", { error: errorLine(err), seconds }));
      }
      return;
    }
    const added = [...plan.deep, ...plan.shallow].some((r) => !before.has(r.path));
    if (before.size > 0 && added) this.#changed(); // What changed while nobody watched it.
  }

  #follow(roots: Root[], recursive: boolean): void {
    const fs = Deno.watchFs(roots.map((r) => r.path), { recursive });
    const w: Watcher = { fs, closed: false, loop: Promise.resolve() };
    this.#watchers.push(w);
    w.loop = (async () => {
      try {
        for await (const e of fs) {
          if (this.#matters(e, recursive)) this.#changed();
        }
      } catch {
        // Ended below.
      }
      if (!w.closed) this.#stale = true; // The system ended it: watched anew at the next look.
    })();
  }

  async #unwatch(): Promise<void> {
    const watchers = this.#watchers.splice(0);
    for (const w of watchers) {
      w.closed = true;
      try {
        w.fs.close();
      } catch {
        // Already closed.
      }
    }
    await Promise.all(watchers.map((w) => w.loop));
  }

  /** Whether an event may change what is shared. */
  #matters(e: Deno.FsEvent, deep: boolean): boolean {
    if (e.flag === "rescan") return true; // The system lost events.
    const { deep: roots, shallow, names } = this.#plan;
    return e.paths.some((p) => {
      if ([...roots, ...shallow].some((r) => p === r.path || p === r.real)) {
        this.#stale = true; // A watched folder itself changed (removed, renamed): watch anew.
        return true;
      }
      if (!deep) return names.has(basename(p));
      const rel = roots.map((r) => inside(r, p)).find((x) => x !== undefined);
      // A path under no root (named some other way) counts; hidden ones are never shared.
      return rel === undefined || !rel.split(sep).some((part) => part.startsWith("."));
    });
  }

  /** The folders to watch, of those that exist now. */
  async #planNow(): Promise<Plan> {
    const { dir, manifestPath, sources } = this.#index;
    const deep: Root[] = [];
    // Shortest first: a folder inside another one watched is left to it.
    for (const path of [dir, ...sources.folders].sort((a, b) => a.length - b.length)) {
      if (deep.some((r) => inside(r, path) !== undefined)) continue;
      const root = await existing(path);
      if (root) deep.push(root);
    }
    const shallow: Root[] = [];
    for (const file of [manifestPath, ...sources.files]) {
      const path = dirname(file);
      if (shallow.some((r) => r.path === path)) continue;
      if (deep.some((r) => inside(r, path) !== undefined)) continue; // Watched deep already.
      const root = await existing(path);
      if (root) shallow.push(root);
    }
    const names = new Set([manifestPath, ...sources.files].map((f) => basename(f)));
    return { deep, shallow, names };
  }
}

/** What is shared, as one string to compare. */
function sharedKey(index: ShareIndex): string {
  return JSON.stringify(index.list());
}

/** A folder as a root, when it exists. */
async function existing(path: string): Promise<Root | undefined> {
  try {
    if (!(await Deno.stat(path)).isDirectory) return undefined;
    return { path, real: await Deno.realPath(path) };
  } catch {
    return undefined;
  }
}

/** `path` relative to the root ("" for the root itself), if it lies inside it. */
function inside(root: Root, path: string): string | undefined {
  for (const base of [root.path, root.real]) {
    const rel = relative(base, path);
    if (rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))) {
      return rel;
    }
  }
  return undefined;
}
