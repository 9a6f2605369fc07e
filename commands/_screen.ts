/**
 * The terminal of an interactive shell, shared by everything that draws on it. From the top:
 * the lines printed so far (results, background events), which scroll away; then the live rows
 * (progress bars, a push table), redrawn in place; then, last, the prompt with what is being
 * typed. Every write goes through here, so that nothing is drawn through anything else: a line
 * printed while bars run goes above them, typing stays on the prompt under them, a line typed
 * and entered while a verb runs is kept above the bars (and runs next), and a resize redraws
 * the live rows fitted to the new width.
 *
 * Live rows are fitted to the width by whoever draws them (they are given the width); they are
 * cut here too, so that a row never wraps: a wrapped row would throw the count of rows to move
 * back over. Lines printed above may wrap: they are never moved over again.
 */
import type { Interface } from "node:readline";
import process from "node:process";
import { cut, widthOf, wrap } from "./_width.ts";

export { wrap };

/** Draws the live rows for a width. */
export type LiveRows = (columns: number) => string[];

/** How often the live rows are redrawn at most, in milliseconds. */
export const REDRAW_MS = 100;

export class Screen {
  readonly #rl?: Interface;
  readonly #prompt: string;
  readonly #write: (s: string) => void;
  readonly #unwatch: () => void;
  readonly #columns: () => number;
  readonly #height: () => number | undefined;
  /** The live regions, in order; each draws its rows. */
  #live: LiveRows[] = [];
  /** The live rows on the screen now. */
  #drawn: string[] = [];
  #timer?: ReturnType<typeof setTimeout>;
  #onResize = () => this.redraw();
  #closed = false;

  /**
   * @param rl The shell's readline, whose prompt is drawn under the live rows; none for a
   *   one-shot run, which has live rows and lines but no prompt.
   * @param out Where it draws (a one-shot run draws its bars on standard error).
   */
  constructor(
    rl: Interface | undefined,
    prompt: string,
    out: {
      write(s: string): unknown;
      columns?: number;
      on?(e: "resize", f: () => void): unknown;
      off?(e: "resize", f: () => void): unknown;
    } = process.stdout,
  ) {
    this.#rl = rl;
    this.#prompt = prompt;
    this.#write = (s) => void out.write(s);
    // A pseudo-terminal that says no size (0) is taken as the usual 80 columns.
    this.#columns = () => out.columns ? Math.max(20, out.columns) : 80;
    this.#height = () => (out as { rows?: number }).rows;
    out.on?.("resize", this.#onResize);
    this.#unwatch = () => out.off?.("resize", this.#onResize);
    // A line entered: readline left it on the screen under the live rows, with the cursor on the
    // row after it. Put it back above them, where it reads in order.
    rl?.on("line", (line: string) => this.#entered(line));
  }

  /** The width in columns. */
  get columns(): number {
    return this.#columns();
  }

  /** The height in rows. */
  get rows(): number {
    const rows = this.#height();
    return rows ? Math.max(5, rows) : 24;
  }

  /** Prints lines above the live rows and the prompt. */
  log(text: string): void {
    if (this.#closed) return void this.#write(`${text}\n`);
    this.#erase();
    const lines = text.split("\n").flatMap((l) => wrap(l, this.#columns() - 1));
    this.#write(`${lines.join("\r\n")}\r\n`);
    this.#draw();
  }

  /**
   * Adds a live region, drawn under the lines printed and above the prompt until it is taken
   * away; {@link changed} asks for it to be redrawn.
   *
   * @returns A function that takes it away, printing `last` (its final rows) in its place.
   */
  live(rows: LiveRows): (last?: string) => void {
    this.#live.push(rows);
    this.changed();
    return (last?: string) => {
      const i = this.#live.indexOf(rows);
      if (i < 0) return;
      this.#erase();
      this.#live.splice(i, 1);
      if (last !== undefined) this.#write(`${last.replace(/\n/g, "\r\n")}\r\n`);
      this.#draw();
    };
  }

  /** Something live changed: redraw soon (at most every {@link REDRAW_MS}). */
  changed(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.redraw();
    }, REDRAW_MS);
  }

  /** Redraws the live rows and the prompt now. */
  redraw(): void {
    if (this.#closed) return;
    this.#erase();
    this.#draw();
  }

  /** Stops drawing: live regions are dropped; what is printed afterwards goes out plainly. */
  close(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#erase();
    this.#live = [];
    this.#closed = true;
    this.#unwatch();
  }

  /** Moves to the first live row and clears from there down (the prompt included). */
  #erase(): void {
    const up = this.#drawnRows() + this.#promptRow();
    this.#write(`${up > 0 ? `\x1b[${up}A` : ""}\r\x1b[J`);
    this.#drawn = [];
  }

  /**
   * The screen rows the live rows take now: one each, unless the terminal was made narrower
   * since they were drawn and rewrapped them (as most terminals do).
   */
  #drawnRows(): number {
    const columns = this.#columns();
    return this.#drawn.reduce((n, r) => n + Math.max(1, Math.ceil(widthOf(r) / columns)), 0);
  }

  /** The row of the cursor within the prompt and the line typed (0: the prompt's first row). */
  #promptRow(): number {
    return this.#rl?.getCursorPos().rows ?? 0;
  }

  /** Draws the live rows, then the prompt and the line typed, the cursor where it was. */
  #draw(): void {
    const columns = this.#columns();
    const rows = this.#live.flatMap((draw) => draw(columns)).map((r) => cut(r, columns - 1));
    // Never more rows than the screen holds, less the prompt's.
    const room = this.rows - 2;
    const shown = rows.length > room ? rows.slice(0, room) : rows;
    if (shown.length) this.#write(`${shown.join("\r\n")}\r\n`);
    this.#drawn = shown;
    // readline redraws the prompt and the line as it knows them, moving up first by the row its
    // cursor was on; make those rows first so that it lands here.
    const row = this.#promptRow();
    if (row > 0) this.#write(`${"\r\n".repeat(row)}`);
    this.#rl?.prompt(true);
  }

  /** After Enter: the line typed goes above the live rows, and the prompt comes back. */
  #entered(line: string): void {
    if (this.#closed) return;
    const echo = `${this.#prompt}${line}`;
    const echoRows = Math.max(1, Math.ceil(widthOf(echo) / this.#columns()));
    // The cursor is on the row after the echo, which is under the live rows.
    const up = this.#drawnRows() + echoRows;
    this.#write(`\x1b[${up}A\r\x1b[J${echo}\r\n`);
    this.#drawn = [];
    this.#draw();
  }
}
