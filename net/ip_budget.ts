/**
 * A budget of work per source address: the tracker charges each message it handles (about a
 * microsecond of its time a unit), and a connection whose address is in deficit waits before
 * its next message is read. So one address, however many connections it opens, gets a bounded
 * share of the tracker: what it sends waits in its own TCP buffers, and everyone else is served.
 */

/** Time and waiting; the real ones by default, a test's own when given. */
export interface BudgetClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: BudgetClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Longest single wait: a waiting connection looks whether it was closed at least this often
 * (nothing is attached to the connection, so waiting costs no memory however often it happens).
 */
const SLICE_MS = 250;

export interface IpBudgetOptions {
  /** Units an address earns a second. */
  perSecond: number;
  /** Units an address may bank (its burst). */
  burst: number;
  /** Addresses remembered at most (the oldest is forgotten first). */
  maxAddresses: number;
  clock?: BudgetClock;
}

interface Bucket {
  units: number;
  at: number;
}

/** Work budgets by source address. */
export class IpBudget {
  #opts: IpBudgetOptions;
  #clock: BudgetClock;
  #buckets = new Map<string, Bucket>();
  #waits = 0;

  constructor(opts: IpBudgetOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? REAL_CLOCK;
  }

  /** How many times a connection had to wait for its address's budget. */
  get waits(): number {
    return this.#waits;
  }

  /**
   * Resolves once `ip` is out of deficit (at once when it is), taking `ticket` units on account
   * (so that connections waiting together go one at a time); or once `closed()` says the
   * connection that waits was closed: then `false`. Charge the rest with {@link charge}.
   */
  async ready(ip: string, closed: () => boolean, ticket: number): Promise<boolean> {
    for (;;) {
      if (closed()) return false;
      const b = this.#refill(ip);
      if (!b || b.units >= 0) {
        this.charge(ip, ticket);
        return true;
      }
      this.#waits++;
      await this.#clock.sleep(Math.min(SLICE_MS, (-b.units / this.#opts.perSecond) * 1000));
    }
  }

  /** Charges `units` of work to `ip` (it may go into deficit; negative units give back). */
  charge(ip: string, units: number): void {
    const b = this.#refill(ip) ?? { units: this.#opts.burst, at: this.#clock.now() };
    b.units -= units;
    this.#buckets.delete(ip);
    if (b.units >= this.#opts.burst) return; // Full again: nothing to remember.
    if (this.#buckets.size >= this.#opts.maxAddresses) {
      this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    this.#buckets.set(ip, b);
  }

  #refill(ip: string): Bucket | undefined {
    const b = this.#buckets.get(ip);
    if (!b) return undefined;
    const now = this.#clock.now();
    b.units = Math.min(this.#opts.burst, b.units + ((now - b.at) / 1000) * this.#opts.perSecond);
    b.at = now;
    if (b.units >= this.#opts.burst) {
      this.#buckets.delete(ip);
      return undefined;
    }
    return b;
  }
}
