/**
 * Upload slots with a waiting queue, fair across addresses, and an optional rate limit shared by
 * all uploads. One address holds at most a few slots and a few places in the queue; a freed slot
 * goes to the next address in turn (round robin), so many requests from one machine cannot keep
 * another machine waiting. An address whose client did not read what it asked for waits behind
 * every other address for a while, and such addresses together hold one slot at most
 * ({@link UploadGate.penalize}).
 */
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import {
  MAX_PENALIZED_IPS,
  PENALIZED_SLOTS,
  UPLOAD_QUEUE,
  UPLOAD_QUEUE_PER_IP,
  UPLOAD_SLOTS_PER_IP,
} from "../core/limits.ts";

export interface GateLimits {
  /** Slots one address may hold at once. */
  perIp: number;
  /** Requests that may wait, in all. */
  queue: number;
  /** Requests one address may have waiting. */
  queuePerIp: number;
}

export interface AcquireOptions {
  /** Gives up waiting (the request's connection closed): `acquire` rejects with `CLOSED`. */
  signal?: AbortSignal;
  /**
   * Told the request's place when it has to wait (1: next), and again each time it moves up.
   * The place counts the requests that came before it still waiting.
   */
  onQueued?: (position: number) => void;
}

interface Waiter {
  seq: number;
  position: number;
  grant: () => void;
  onQueued?: (position: number) => void;
}

export class UploadGate {
  #slots: number;
  #used = 0;
  #limits: GateLimits;
  /** Slots held, by address. */
  #held = new Map<string, number>();
  /** Waiting requests by address, each list first come first served; the map's order is the turn. */
  #waiting = new Map<string, Waiter[]>();
  #queued = 0;
  #seq = 0;
  /** Addresses served last until a time (`performance.now()`), oldest first. */
  #penalized = new Map<string, number>();
  #rate?: number;
  #nextFree = 0;

  /**
   * @param slots Uploads served at once.
   * @param rate Most bytes per second across all uploads; unlimited when absent.
   * @param limits Per-address and queue limits; the constants of `core/limits.ts` by default.
   */
  constructor(slots: number, rate?: number, limits: Partial<GateLimits> = {}) {
    this.#slots = slots;
    this.#rate = rate;
    this.#limits = {
      perIp: UPLOAD_SLOTS_PER_IP,
      queue: UPLOAD_QUEUE,
      queuePerIp: UPLOAD_QUEUE_PER_IP,
      ...limits,
    };
  }

  /**
   * Waits for a slot for a request from `ip`.
   *
   * @returns A function that gives the slot back.
   * @throws {RedeError} `BUSY` when the queue, or this address's part of it, is full; `CLOSED`
   * when `signal` aborts while waiting.
   */
  async acquire(ip: string, opts: AcquireOptions = {}): Promise<() => void> {
    if (opts.signal?.aborted) throw new RedeError("CLOSED", t("net.closed"));
    if (this.#used < this.#slots && this.#mayTake(ip)) this.#take(ip);
    else await this.#wait(ip, opts);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#used--;
      const held = this.#heldBy(ip) - 1;
      if (held > 0) this.#held.set(ip, held);
      else this.#held.delete(ip);
      this.#grant();
    };
  }

  /**
   * Serves `ip` after every other waiting address for `ms` (its client was cut off for not
   * reading), and lets such addresses hold `PENALIZED_SLOTS` slots at most, all together. At most
   * `MAX_PENALIZED_IPS` addresses are remembered; the oldest is forgotten first.
   */
  penalize(ip: string, ms: number): void {
    this.#penalized.delete(ip);
    this.#penalized.set(ip, performance.now() + ms);
    if (this.#penalized.size > MAX_PENALIZED_IPS) {
      this.#penalized.delete(this.#penalized.keys().next().value!);
    }
  }

  /** Requests waiting for a slot, in all. */
  get queued(): number {
    return this.#queued;
  }

  /**
   * Waits until `bytes` more may be sent under the rate limit.
   *
   * @throws {RedeError} `CLOSED` at once when `signal` aborts (the connection closed: a peer
   * that leaves does not wait for the uploads it cuts).
   */
  async throttle(bytes: number, signal?: AbortSignal): Promise<void> {
    if (!this.#rate) return;
    const now = performance.now();
    const start = Math.max(now, this.#nextFree);
    this.#nextFree = start + (bytes * 1000) / this.#rate;
    if (start <= now) return;
    await new Promise<void>((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        reject(new RedeError("CLOSED", t("net.closed")));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", stop);
        resolve();
      }, start - now);
      if (signal?.aborted) stop();
      else signal?.addEventListener("abort", stop, { once: true });
    });
  }

  get limited(): boolean {
    return this.#rate !== undefined;
  }

  #heldBy(ip: string): number {
    return this.#held.get(ip) ?? 0;
  }

  /** Whether `ip` may take a free slot: under its own share, and if penalized, under theirs. */
  #mayTake(ip: string): boolean {
    if (this.#heldBy(ip) >= this.#limits.perIp) return false;
    if (!this.#isPenalized(ip)) return true;
    let penalized = 0;
    for (const [other, n] of this.#held) if (this.#isPenalized(other)) penalized += n;
    return penalized < PENALIZED_SLOTS;
  }

  #isPenalized(ip: string): boolean {
    const until = this.#penalized.get(ip);
    if (until === undefined) return false;
    if (until > performance.now()) return true;
    this.#penalized.delete(ip);
    return false;
  }

  #take(ip: string): void {
    this.#used++;
    this.#held.set(ip, this.#heldBy(ip) + 1);
  }

  #wait(ip: string, opts: AcquireOptions): Promise<void> {
    const mine = this.#waiting.get(ip) ?? [];
    if (this.#queued >= this.#limits.queue || mine.length >= this.#limits.queuePerIp) {
      throw new RedeError("BUSY", t("peer.slotsBusy"));
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        if (!this.#remove(ip, waiter)) return;
        reject(new RedeError("CLOSED", t("net.closed")));
        this.#tellPositions();
      };
      const waiter: Waiter = {
        seq: this.#seq++,
        position: this.#queued + 1,
        onQueued: opts.onQueued,
        grant: () => {
          opts.signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      mine.push(waiter);
      this.#waiting.set(ip, mine);
      this.#queued++;
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      opts.onQueued?.(waiter.position);
    });
  }

  /** Takes a waiter out of the queue; false if it was not there (granted already). */
  #remove(ip: string, waiter: Waiter): boolean {
    const list = this.#waiting.get(ip);
    const at = list?.indexOf(waiter) ?? -1;
    if (!list || at < 0) return false;
    list.splice(at, 1);
    if (list.length === 0) this.#waiting.delete(ip);
    this.#queued--;
    return true;
  }

  /** Hands free slots to waiting requests, one address after the other, penalized ones last. */
  #grant(): void {
    let granted = false;
    while (this.#used < this.#slots) {
      let next: [string, Waiter] | undefined;
      let last: [string, Waiter] | undefined;
      for (const [ip, list] of this.#waiting) {
        if (!this.#mayTake(ip)) continue;
        if (!this.#isPenalized(ip)) {
          next = [ip, list[0]];
          break;
        }
        last ??= [ip, list[0]];
      }
      next ??= last;
      if (!next) break;
      const [ip, waiter] = next;
      this.#remove(ip, waiter);
      // This address goes to the back of the turn.
      const rest = this.#waiting.get(ip);
      if (rest) {
        this.#waiting.delete(ip);
        this.#waiting.set(ip, rest);
      }
      this.#take(ip);
      waiter.grant();
      granted = true;
    }
    if (granted) this.#tellPositions();
  }

  /** Tells each waiting request its place again where it moved up. */
  #tellPositions(): void {
    const all = [...this.#waiting.values()].flat().sort((a, b) => a.seq - b.seq);
    all.forEach((w, i) => {
      if (i + 1 < w.position) {
        w.position = i + 1;
        w.onQueued?.(w.position);
      }
    });
  }
}
