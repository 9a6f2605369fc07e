/**
 * Output helpers shared by the verbs: the two sinks every line goes out through, tables, byte
 * sizes. Every line passes the terminal sanitiser (`core/terminal.ts`) on its
 * way out, whatever its fields went through before, so that nothing a peer or a tracker sent can
 * drive the terminal.
 */
import Table from "cli-table3";
import { formatBytes, formatDate, formatDuration } from "../core/i18n.ts";
import { SHORT_HASH_CHARS } from "../core/limits.ts";
import { printable, terminalText } from "../core/terminal.ts";
import { widthOf, wrap } from "./_width.ts";

/**
 * Where lines go at an interactive shell: its screen (`_screen.ts`), which prints them above
 * the live rows and the prompt. Unset, they go to standard output and standard error.
 */
let screenLog: ((text: string) => void) | undefined;
/** The terminal's width, when output goes to one (tables are fitted to it). */
let screenColumns: (() => number) | undefined;

/**
 * Sends every line printed to `log` (the shell's screen) and fits tables to `columns`; or, with
 * nothing given, back to the standard streams.
 */
export function printTo(log?: (text: string) => void, columns?: () => number): void {
  screenLog = log;
  screenColumns = columns;
}

/** Prints a line (or several, joined by `\n`) on standard output, made safe for a terminal. */
export function print(text: string): void {
  if (screenLog) screenLog(terminalText(text));
  else console.log(fitted(terminalText(text), Deno.stdout));
}

/** Prints a line (or several) on standard error, made safe for a terminal. */
export function printError(text: string): void {
  if (screenLog) screenLog(terminalText(text));
  else console.error(fitted(terminalText(text), Deno.stderr));
}

/**
 * Text for `stream`: on a terminal, before the shell's screen draws (the start lines of `join`,
 * a one-shot verb), long lines break at spaces as the screen breaks them (see `wrap`); in a pipe,
 * unchanged.
 */
function fitted(text: string, stream: { isTerminal(): boolean }): string {
  if (!stream.isTerminal()) return text;
  let columns = 0;
  try {
    columns = Deno.consoleSize().columns;
  } catch {
    // No size to read: the usual 80 columns, as the screen assumes.
  }
  const width = (columns > 0 ? Math.max(20, columns) : 80) - 1;
  return text.split("\n").flatMap((line) => wrap(line, width)).join("\n");
}

/**
 * A table as text, with no colours so it reads the same in a pipe. On a terminal it is fitted to
 * the width (or to `width`): the widest columns are narrowed first and their text wraps inside
 * its cell, so that numbers, in narrow columns, stay whole.
 */
export function table(head: string[], rows: (string | number)[][], width?: number): string {
  const cells = rows.map((row) => row.map((c) => typeof c === "string" ? printable(c) : c));
  const widths = fitColumns([head, ...cells], width ?? screenColumns?.());
  const t = new Table({
    head,
    style: { head: [], border: [] },
    ...(widths ? { colWidths: widths, wordWrap: true, wrapOnWordBoundary: false } : {}),
  });
  for (const row of cells) t.push(row);
  return t.toString();
}

/** The narrowest a column is made to fit a table to the width. */
const MIN_COLUMN = 8;

/** Column widths (padding included) that fit `width`, or undefined when the table fits as is. */
export function fitColumns(rows: (string | number)[][], width?: number): number[] | undefined {
  if (width === undefined) return undefined;
  const n = Math.max(...rows.map((r) => r.length));
  const widths = Array.from(
    { length: n },
    (_, i) => 2 + Math.max(0, ...rows.map((r) => widthOf(String(r[i] ?? "")))),
  );
  const room = width - 1 - (n + 1); // Less the borders, and a column spare so no row wraps.
  let total = widths.reduce((a, b) => a + b, 0);
  if (total <= room) return undefined;
  while (total > room) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest] <= MIN_COLUMN) break;
    widths[widest]--;
    total--;
  }
  return widths;
}

/** A byte count in binary units, in the user's language: `1.5 MiB` / `1,5 MiB`. */
export function bytes(n: number): string {
  return formatBytes(n);
}

/** A rate in binary units per second, in the user's language. */
export function rate(n: number, ms: number): string {
  return `${bytes(ms > 0 ? (n * 1000) / ms : 0)}/s`;
}

/** A duration in the user's language: `0.4 s`, `12.3 s`, `2m 5s` / `0,4 s`, `2 min 5 s`. */
export function duration(ms: number): string {
  return formatDuration(ms);
}

/** A date and time in the user's language, local unless `utc`. */
export function dateTime(d: Date, utc = false): string {
  return formatDate(d, { utc });
}

/** The first characters of a hash, enough to tell files apart by eye. */
export function shortHash(hex: string): string {
  return hex.slice(0, SHORT_HASH_CHARS);
}
