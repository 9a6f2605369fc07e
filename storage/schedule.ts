/**
 * The bookkeeping of one download: fixed chunk buffers handed out and given back, and which
 * chunks are wanted, being fetched (and by whom), or done.
 */

/**
 * Chunk buffers handed out and given back, made only when needed: at most `limit` exist at
 * once, and `limit` follows the sources at work (one being filled per source, one being
 * written), never above `max`. A download's memory never grows past `max` buffers, and a
 * download from one source touches two, not `max` (each buffer touched stays resident).
 */
export class BufferPool {
  #free: Uint8Array[] = [];
  #waiting: ((b: Uint8Array) => void)[] = [];
  #made = 0;
  #limit = 1;

  constructor(readonly max: number, readonly size: number) {}

  /** Buffers made so far (each stays until the download ends). */
  get made(): number {
    return this.#made;
  }

  /** Lets `n` buffers exist (within 1..max): a download passes its working sources plus one. */
  allow(n: number): void {
    this.#limit = Math.max(1, Math.min(this.max, n));
    while (this.#waiting.length > 0 && this.#made < this.#limit) {
      this.#made++;
      this.#waiting.shift()!(new Uint8Array(this.size));
    }
  }

  take(): Promise<Uint8Array> {
    const b = this.#free.pop();
    if (b) return Promise.resolve(b);
    if (this.#made < this.#limit) {
      this.#made++;
      return Promise.resolve(new Uint8Array(this.size));
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  give(b: Uint8Array): void {
    const w = this.#waiting.shift();
    if (w) w(b);
    else this.#free.push(b);
  }
}

/**
 * Which chunks are wanted, which are being fetched and by whom, which are done; and how many
 * sources that hold the content in part have each chunk, so each source is given the rarest
 * chunk it has (rarest first), random among equals: downloaders that start together fetch
 * different chunks from the first source, then trade them.
 */
export class Schedule {
  readonly done = new Set<number>();
  #wanted = new Set<number>();
  #fetching = new Map<number, Set<string>>();
  /** Partial sources known to hold each chunk (sources with the whole content count for all). */
  #avail: Uint16Array;
  /** A random rank per chunk: the tie-break among equally rare chunks. */
  #rank: Uint32Array;

  /** A schedule for `total` chunks, of which `have` are in already. */
  constructor(total: number, have: ReadonlySet<number> = new Set()) {
    for (let i = 0; i < total; i++) {
      if (have.has(i)) this.done.add(i);
      else this.#wanted.add(i);
    }
    this.#avail = new Uint16Array(total);
    this.#rank = crypto.getRandomValues(new Uint32Array(total));
  }

  get complete(): boolean {
    return this.#wanted.size === 0 && this.#fetching.size === 0;
  }

  /** Whether chunks nobody fetches are still wanted. */
  get waiting(): boolean {
    return this.#wanted.size > 0;
  }

  /** A partial source was found to hold (`+1`) or no longer counts for (`-1`) these chunks. */
  count(indexes: Iterable<number>, delta: 1 | -1): void {
    for (const i of indexes) this.#avail[i] = Math.max(0, this.#avail[i] + delta);
  }

  /**
   * The next chunk for a source, among those it has (all, without `has`): the rarest wanted one,
   * random among equals; when none is left wanted at all, one that another source is still
   * fetching (the endgame), so a slow source cannot hold the download back. `undefined` when the
   * source has nothing to give now.
   */
  next(source: string, has?: (index: number) => boolean): number | undefined {
    let index: number | undefined;
    let best = Infinity;
    for (const i of this.#wanted) {
      if (has && !has(i)) continue;
      const score = this.#avail[i] * 2 ** 32 + this.#rank[i];
      if (score < best) {
        best = score;
        index = i;
      }
    }
    if (index !== undefined) this.#wanted.delete(index);
    else if (this.#wanted.size === 0) {
      for (const [i, by] of this.#fetching) {
        if (!by.has(source) && (!has || has(i))) {
          index = i;
          break;
        }
      }
    }
    if (index === undefined) return undefined;
    const by = this.#fetching.get(index) ?? new Set();
    by.add(source);
    this.#fetching.set(index, by);
    return index;
  }

  /** A chunk arrived and checked; false if another source delivered it first. */
  finish(index: number): boolean {
    this.#fetching.delete(index);
    this.#wanted.delete(index);
    if (this.done.has(index)) return false;
    this.done.add(index);
    return true;
  }

  /** A source will not deliver these: they are wanted again (unless another source has them). */
  giveBack(source: string, indexes: number[]): void {
    for (const i of indexes) {
      const by = this.#fetching.get(i);
      by?.delete(source);
      if (by && by.size === 0) this.#fetching.delete(i);
      if (!this.done.has(i) && !this.#fetching.has(i)) this.#wanted.add(i);
    }
  }
}

/**
 * Requests in flight across all the sources of one download, at most `max`: enough to keep the
 * link busy, few enough that a request does not wait long in busy holders' queues (the
 * endgame's last chunks most of all). A source that finds none free waits in line; a credit
 * given back goes to the first in line, so fast sources cannot starve the others.
 */
export class Credits {
  #free: number;
  #line: (() => void)[] = [];

  constructor(max: number) {
    this.#free = max;
  }

  /** Takes a credit if one is free and nobody waits for one. */
  take(): boolean {
    if (this.#free === 0 || this.#line.length > 0) return false;
    this.#free--;
    return true;
  }

  /** Waits in line for a credit; it is the caller's once this resolves. */
  wait(): Promise<void> {
    return new Promise((resolve) => this.#line.push(resolve));
  }

  /** Gives `n` credits back: to those in line first. */
  give(n: number): void {
    for (let i = 0; i < n; i++) {
      const next = this.#line.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
