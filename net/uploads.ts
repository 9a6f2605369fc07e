/**
 * Who downloads from this peer: a bounded live registry of uploads, kept by the peer server. One
 * upload is one downloading peer (its proven ID, else its address) and one content (root),
 * whatever number of connections and chunk requests it uses: a downloader opens several
 * connections and asks for many chunks, and they all count for the one upload.
 *
 * An upload begins when its first chunk gets an upload slot (a request waiting in the queue keeps
 * an upload going but does not start one), and ends `idleMs` after its last request ended. It
 * keeps no timer: ended uploads are dropped when the registry is next used, and when it holds
 * {@link MAX_TRACKED_UPLOADS}, the one idle longest makes room.
 */
import { MAX_TRACKED_UPLOADS, UPLOAD_RATE_WINDOW_MS } from "../core/limits.ts";

/** The downloading side of an upload, as the server knows it. */
export interface UploadPeer {
  /** Its proven identity, when it showed one. */
  id?: string;
  /** The address its connection came from (the port is the connection's, not its listener's). */
  host: string;
}

/** One upload, as shown. */
export interface UploadInfo {
  peer: UploadPeer;
  root: string;
  /** Bytes of chunk data sent so far. */
  sent: number;
  /** Bytes a second over the last few seconds. */
  rate: number;
  /** When its first chunk got a slot (`Date.now()` clock). */
  since: number;
}

/** What a chunk request does with its upload. */
export interface UploadTicket {
  /** Its chunk got a slot: the upload starts, if this is its first. */
  served(): void;
  /** `n` more bytes went out. */
  sent(n: number): void;
  /** The request ended, however. */
  end(): void;
}

interface Entry {
  peer: UploadPeer;
  root: string;
  /** Requests under way (waiting for a slot or sending). */
  open: number;
  /** When the last request ended (`performance.now()`), or started. */
  last: number;
  /** When it started (`Date.now()`); undefined until a chunk got a slot. */
  since?: number;
  /** When it started, `performance.now()` clock. */
  start: number;
  sent: number;
  /** Bytes sent in each of the last seconds, the current one at `second % length`. */
  buckets: number[];
  second: number;
}

const BUCKET_MS = 1000;
const BUCKETS = Math.max(1, Math.ceil(UPLOAD_RATE_WINDOW_MS / BUCKET_MS));
const NONE: UploadTicket = { served() {}, sent() {}, end() {} };

/** The uploads of one peer server. */
export class Uploads {
  #entries = new Map<string, Entry>();
  #idleMs: number;
  #onStart: ((u: UploadInfo) => void)[] = [];

  /** @param idleMs How long an upload with no request lasts before it ends. */
  constructor(idleMs: number) {
    this.#idleMs = idleMs;
  }

  /** Calls `fn` once when an upload starts (its first chunk got a slot). */
  onStart(fn: (u: UploadInfo) => void): void {
    this.#onStart.push(fn);
  }

  /** A chunk request of `peer` for `root` arrived; the ticket follows it to its end. */
  begin(peer: UploadPeer, root: string): UploadTicket {
    const now = performance.now();
    this.#prune(now);
    const key = `${peer.id ?? peer.host}\n${root}`;
    let e = this.#entries.get(key);
    if (!e) {
      if (this.#entries.size >= MAX_TRACKED_UPLOADS && !this.#evict()) return NONE;
      e = { peer, root, open: 0, last: now, start: now, sent: 0, buckets: [], second: 0 };
      e.buckets = new Array(BUCKETS).fill(0);
      this.#entries.set(key, e);
    }
    const entry = e;
    entry.open++;
    let ended = false;
    return {
      served: () => {
        if (ended || entry.since !== undefined) return;
        entry.since = Date.now();
        entry.start = performance.now();
        entry.second = Math.floor(entry.start / BUCKET_MS);
        const info = this.#info(entry, entry.start);
        for (const fn of this.#onStart) fn(info);
      },
      sent: (n) => {
        if (ended) return;
        entry.sent += n;
        this.#roll(entry, performance.now());
        entry.buckets[entry.second % BUCKETS] += n;
      },
      end: () => {
        if (ended) return;
        ended = true;
        entry.open--;
        entry.last = performance.now();
      },
    };
  }

  /** The uploads going on now, oldest first. */
  list(): UploadInfo[] {
    const now = performance.now();
    this.#prune(now);
    return [...this.#entries.values()]
      .filter((e) => e.since !== undefined)
      .sort((a, b) => a.since! - b.since!)
      .map((e) => this.#info(e, now));
  }

  #info(e: Entry, now: number): UploadInfo {
    this.#roll(e, now);
    const inWindow = e.buckets.reduce((a, b) => a + b, 0);
    // The window covers the current second so far and the full seconds before it.
    const span = Math.min(now - e.start, (BUCKETS - 1) * BUCKET_MS + (now % BUCKET_MS));
    const rate = inWindow === 0 ? 0 : (inWindow * 1000) / Math.max(span, BUCKET_MS);
    return { peer: e.peer, root: e.root, sent: e.sent, rate, since: e.since ?? Date.now() };
  }

  /** Moves the buckets of `e` on to the current second, emptying those passed over. */
  #roll(e: Entry, now: number): void {
    const second = Math.floor(now / BUCKET_MS);
    for (let s = e.second + 1; s <= Math.min(second, e.second + BUCKETS); s++) {
      e.buckets[s % BUCKETS] = 0;
    }
    if (second > e.second) e.second = second;
  }

  /** Drops uploads with no request for `idleMs`. */
  #prune(now: number): void {
    for (const [key, e] of this.#entries) {
      if (e.open === 0 && now - e.last >= this.#idleMs) this.#entries.delete(key);
    }
  }

  /** Drops the upload idle longest, if one has no request under way; false if none. */
  #evict(): boolean {
    let found: string | undefined;
    let oldest = Infinity;
    for (const [key, e] of this.#entries) {
      if (e.open === 0 && e.last < oldest) {
        found = key;
        oldest = e.last;
      }
    }
    if (found === undefined) return false;
    this.#entries.delete(found);
    return true;
  }
}
