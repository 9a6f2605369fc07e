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

/** Which chunks are wanted, which are being fetched and by whom, which are done. */
export class Schedule {
  readonly done = new Set<number>();
  #queue: number[];
  #fetching = new Map<number, Set<string>>();

  constructor(missing: number[]) {
    this.#queue = missing;
  }

  get complete(): boolean {
    return this.#queue.length === 0 && this.#fetching.size === 0;
  }

  /**
   * The next chunk for a source: the first wanted one; when none is left, one that another
   * source is still fetching (the endgame), so a slow source cannot hold the download back.
   */
  next(source: string): number | undefined {
    let index = this.#queue.shift();
    if (index === undefined) {
      for (const [i, by] of this.#fetching) {
        if (!by.has(source)) {
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
    if (this.done.has(index)) return false;
    this.done.add(index);
    return true;
  }

  /** A source will not deliver these: they go back to the front of the queue. */
  giveBack(source: string, indexes: number[]): void {
    for (const i of indexes.reverse()) {
      const by = this.#fetching.get(i);
      by?.delete(source);
      if (by && by.size === 0) this.#fetching.delete(i);
      if (!this.done.has(i) && !this.#fetching.has(i) && !this.#queue.includes(i)) {
        this.#queue.unshift(i);
      }
    }
  }
}
