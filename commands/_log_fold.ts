/**
 * A log that cannot flood a console: at most `perSecond` lines a second are printed one by one;
 * the rest of that second are counted by kind and told in one summary line when it ends, so
 * nothing is dropped without a word. The clock and the timer are injectable for tests.
 */
import { formatList, formatNumber } from "../core/i18n.ts";

/** Time and a one-shot timer; the real ones by default. */
export interface LogClock {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

const REAL_CLOCK: LogClock = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  },
};

/** How each kind of line is counted in a summary: `3 joins` for 3 (in the user's language). */
export type FoldKinds = Record<string, (count: number) => string>;

export interface FoldedLogOptions {
  out: (line: string) => void;
  perSecond: number;
  kinds: FoldKinds;
  /** The summary line, from the counts of each kind as one list. */
  summary: (list: string, perSecond: number) => string;
  clock?: LogClock;
}

const WINDOW_MS = 1000;

/** A rate-limited log that folds what it does not print into a count. */
export class FoldedLog {
  #out: (line: string) => void;
  #perSecond: number;
  #kinds: FoldKinds;
  #summary: (list: string, perSecond: number) => string;
  #clock: LogClock;
  #start = -Infinity;
  #printed = 0;
  #folded = new Map<string, number>();
  #cancel?: () => void;

  constructor(opts: FoldedLogOptions) {
    this.#out = opts.out;
    this.#perSecond = opts.perSecond;
    this.#kinds = opts.kinds;
    this.#summary = opts.summary;
    this.#clock = opts.clock ?? REAL_CLOCK;
  }

  /** Prints `text` now, or counts it under `kind` for this second's summary. */
  line(kind: string, text: string): void {
    const now = this.#clock.now();
    if (now >= this.#start + WINDOW_MS) {
      this.flush();
      this.#start = now;
      this.#printed = 0;
    }
    if (this.#printed < this.#perSecond) {
      this.#printed++;
      this.#out(text);
      return;
    }
    this.#folded.set(kind, (this.#folded.get(kind) ?? 0) + 1);
    this.#cancel ??= this.#clock.after(this.#start + WINDOW_MS - now, () => {
      this.#cancel = undefined;
      this.flush();
    });
  }

  /** Prints the summary of what was folded, if anything was. */
  flush(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    if (this.#folded.size === 0) return;
    const parts = [...this.#folded].map(([kind, n]) =>
      this.#kinds[kind]?.(n) ?? `${formatNumber(n)} ${kind}`
    );
    this.#folded.clear();
    this.#out(this.#summary(formatList(parts), this.#perSecond));
  }
}
