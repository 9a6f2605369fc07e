/**
 * The bookkeeping of one download: fixed chunk buffers handed out and given back, and which
 * chunks are wanted, being fetched (and by whom), or done.
 */

/** Fixed buffers handed out and given back, so a download's memory never grows. */
export class BufferPool {
  #free: Uint8Array[] = [];
  #waiting: ((b: Uint8Array) => void)[] = [];

  constructor(count: number, size: number) {
    for (let i = 0; i < count; i++) this.#free.push(new Uint8Array(size));
  }

  take(): Promise<Uint8Array> {
    const b = this.#free.pop();
    return b ? Promise.resolve(b) : new Promise((resolve) => this.#waiting.push(resolve));
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
