/** Upload slots with a waiting queue, and an optional rate limit shared by all uploads. */
import { RedeError } from "../core/errors.ts";
import { UPLOAD_QUEUE } from "../core/limits.ts";

export class UploadGate {
  #free: number;
  #queue: (() => void)[] = [];
  #rate?: number;
  #nextFree = 0;

  /**
   * @param slots Uploads served at once.
   * @param rate Most bytes per second across all uploads; unlimited when absent.
   */
  constructor(slots: number, rate?: number) {
    this.#free = slots;
    this.#rate = rate;
  }

  /**
   * Waits for a slot.
   *
   * @returns A function that gives the slot back.
   * @throws {RedeError} `BUSY` when the queue is full.
   */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else {
      if (this.#queue.length >= UPLOAD_QUEUE) {
        throw new RedeError("BUSY", "All upload slots are busy; try again later");
      }
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) next();
      else this.#free++;
    };
  }

  /** Waits until `bytes` more may be sent under the rate limit. */
  async throttle(bytes: number): Promise<void> {
    if (!this.#rate) return;
    const now = performance.now();
    const start = Math.max(now, this.#nextFree);
    this.#nextFree = start + (bytes * 1000) / this.#rate;
    if (start > now) await new Promise((resolve) => setTimeout(resolve, start - now));
  }

  get limited(): boolean {
    return this.#rate !== undefined;
  }
}
