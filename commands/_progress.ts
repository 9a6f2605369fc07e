/**
 * Live progress bars for downloads, one row each, drawn by the shell's screen (`_screen.ts`)
 * under the lines printed and above the prompt.
 *
 * What a row says, and what goes first when the terminal is narrow: the numbers (percent, bytes
 * in hand of the size, rate, time left, sources) are never dropped; the bar shrinks first, then
 * goes, then the name is shortened in the middle (its end, the extension, stays), then the
 * numbers lose their separators. The rate counts only the bytes fetched in this transfer (a
 * resumed download's bytes already on disk are not), over the last few seconds, and bytes of a
 * chunk still arriving count as they come, so the bar moves within a chunk.
 */
import { t } from "../core/i18n.ts";
import { bytes } from "./_ui.ts";
import type { Screen } from "./_screen.ts";
import { cutMiddle, padTo, widthOf } from "./_width.ts";

/** The seconds of history the rate is measured over. */
const RATE_WINDOW_MS = 5_000;
/** The widest a bar is drawn, and the narrowest before it is left out. */
const BAR_MAX = 30;
const BAR_MIN = 10;
/** The widest a name column is, and the narrowest it is shortened to. */
const NAME_MAX = 28;
const NAME_MIN = 16;

/** What one row shows. */
export interface RowState {
  name: string;
  total: number;
  /** Bytes in hand, those still arriving included. */
  done: number;
  /** Bytes per second, once known. */
  rate?: number;
  sources: number;
  /** What it is doing when not downloading: `checking` the bytes on disk. */
  phase?: "checking";
}

/** Seconds as `45s`, `3m05s`, `2h07m`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** The numbers of a row, in full or compact (`312/734 MiB`, no separators). */
function numbers(r: RowState, compact: boolean): string {
  const pct = `${r.total > 0 ? Math.floor((r.done / r.total) * 100) : 100}%`;
  const [got, size] = [bytes(r.done), bytes(r.total)];
  const unit = (b: string) => b.slice(b.indexOf(" "));
  const of = compact && unit(got) === unit(size)
    ? `${got.slice(0, got.indexOf(" "))}/${size}`
    : `${got}/${size}`;
  if (r.phase === "checking") {
    return compact ? t("progress.checkingCompact", { pct }) : t("progress.checking", { pct, of });
  }
  const rate = r.rate === undefined ? "…" : `${bytes(r.rate)}/s`;
  const left = r.rate ? duration((r.total - r.done) / r.rate) : "…";
  const parts = { pct, of, rate, left, count: r.sources };
  return compact ? t("progress.rowCompact", parts) : t("progress.row", parts);
}

/**
 * One row fitted to `columns` (it takes at most `columns - 1`, so it never wraps), its name
 * column `nameWidth` wide when there is room. `others` are the rows drawn with it: the bars of
 * all are as wide, whatever the width of their numbers. Tried in order: full numbers, name and
 * bar; compact numbers, name and bar; compact numbers and name; the numbers alone.
 */
export function progressRow(
  r: RowState,
  columns: number,
  nameWidth = NAME_MAX,
  others: RowState[] = [r],
): string {
  const room = columns - 1;
  const widest = (compact: boolean) =>
    Math.max(...[r, ...others].map((o) => widthOf(numbers(o, compact))));
  for (const compact of [false, true]) {
    const left = room - widest(compact) - 1; // For the name and the bar (a space before them).
    const nameW = Math.min(nameWidth, left - BAR_MIN - 1);
    const barW = Math.min(BAR_MAX, left - Math.max(nameW, 0) - 1);
    if (nameW >= Math.min(NAME_MIN, nameWidth) && barW >= BAR_MIN) {
      return `${padTo(cutMiddle(r.name, nameW), nameW)} ${bar(r, barW)} ${numbers(r, compact)}`;
    }
  }
  // No room for a bar: it goes, and the name takes what is left; narrower still, the name goes
  // too (the numbers are what a row is for).
  const nums = numbers(r, true);
  const w = Math.min(nameWidth, room - widest(true) - 1);
  return w >= 2 ? `${padTo(cutMiddle(r.name, w), w)} ${nums}` : nums;
}

function bar(r: RowState, width: number): string {
  const full = r.total > 0 ? Math.min(width, Math.floor((r.done / r.total) * width)) : width;
  return "█".repeat(full) + "░".repeat(width - full);
}

/** Bytes per second over the last {@link RATE_WINDOW_MS}, from samples of bytes done. */
export class RateMeter {
  #samples: { t: number; n: number }[] = [];

  /** Records `n` bytes done (fetched in this transfer) at time `t` (ms). */
  add(t: number, n: number): void {
    this.#samples.push({ t, n });
    while (this.#samples.length > 2 && t - this.#samples[1].t >= RATE_WINDOW_MS) {
      this.#samples.shift();
    }
  }

  /** The rate, once there is at least a quarter second of history. */
  rate(): number | undefined {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.t - first.t < 250) return undefined;
    return ((last.n - first.n) * 1000) / (last.t - first.t);
  }
}

/** The handle of one bar. */
export interface Bar {
  /** Bytes verified (resumed included), bytes still arriving, sources working. */
  update(received: number, arriving: number, sources: number): void;
  /** Checking bytes already on disk: how many are checked. */
  checking(done: number): void;
  /** The download ended: its bar goes (what happened is printed as a line instead). */
  end(): void;
}

/** The bars of the downloads of one command, on the screen; nothing without one. */
export class ProgressBoard {
  #screen?: Screen;
  #rows: RowState[] = [];
  #remove?: () => void;

  constructor(screen: Screen | undefined, private readonly now = () => performance.now()) {
    this.#screen = screen;
  }

  /** A bar for one download. */
  add(name: string, total: number): Bar {
    const row: RowState = { name, total, done: 0, sources: 0 };
    if (!this.#screen) return { update() {}, checking() {}, end() {} };
    this.#rows.push(row);
    this.#remove ??= this.#screen.live((columns) => this.#draw(columns));
    const meter = new RateMeter();
    let base: number | undefined;
    const changed = () => this.#screen?.changed();
    return {
      update: (received, arriving, sources) => {
        const done = Math.min(row.total, received + arriving);
        base ??= done; // Bytes already here when the transfer started are not this rate's.
        meter.add(this.now(), done - base);
        Object.assign(row, { done, sources, phase: undefined, rate: meter.rate() });
        changed();
      },
      checking: (done) => {
        Object.assign(row, { done: Math.min(row.total, done), phase: "checking" });
        changed();
      },
      end: () => {
        this.#rows = this.#rows.filter((x) => x !== row);
        changed();
      },
    };
  }

  #draw(columns: number): string[] {
    if (this.#rows.length === 0) return [];
    const nameWidth = Math.min(NAME_MAX, Math.max(...this.#rows.map((r) => widthOf(r.name))));
    return this.#rows.map((r) => progressRow(r, columns, nameWidth, this.#rows));
  }

  /** Takes the bars away. */
  stop(): void {
    this.#remove?.();
    this.#remove = undefined;
    this.#rows = [];
  }
}
