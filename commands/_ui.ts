/**
 * Output helpers shared by the verbs: the two sinks every line goes out through, tables, byte
 * sizes, the progress line. Every line passes the terminal sanitiser (`core/terminal.ts`) on its
 * way out, whatever its fields went through before, so that nothing a peer or a tracker sent can
 * drive the terminal.
 */
import Table from "cli-table3";
// @ts-types="@types/cli-progress"
import cliProgress from "cli-progress";
import process from "node:process";
import { formatBytes, formatDate, formatDuration } from "../core/i18n.ts";
import { SHORT_HASH_CHARS } from "../core/limits.ts";
import { printable, terminalText } from "../core/terminal.ts";

/** Prints a line (or several, joined by `\n`) on standard output, made safe for a terminal. */
export function print(text: string): void {
  console.log(terminalText(text));
}

/** Prints a line (or several) on standard error, made safe for a terminal. */
export function printError(text: string): void {
  console.error(terminalText(text));
}

/** A table as text, with no colours so it reads the same in a pipe. */
export function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) t.push(row.map((c) => typeof c === "string" ? printable(c) : c));
  return t.toString();
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

/** One live progress bar per download on a terminal; nothing elsewhere. */
export class ProgressBoard {
  #multi?: cliProgress.MultiBar;

  constructor(enabled: boolean) {
    if (!enabled) return;
    this.#multi = new cliProgress.MultiBar({
      format:
        "{name} {bar} {percentage}% | {got}/{size} | {speed} | ETA {eta_formatted} | {sources} src",
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
      etaBuffer: 50,
      stream: process.stdout,
    }, cliProgress.Presets.shades_classic);
  }

  /** A bar for one download; `update` takes the bytes in hand and the sources working. */
  add(name: string, total: number): { update(received: number, sources: number): void } {
    const start = performance.now();
    const bar = this.#multi?.create(total, 0, {
      name: printable(name).slice(0, 24).padEnd(24),
      got: bytes(0),
      size: bytes(total),
      speed: "…",
      sources: 0,
    });
    return {
      update(received: number, sources: number) {
        bar?.update(received, {
          got: bytes(received),
          speed: rate(received, performance.now() - start),
          sources,
        });
      },
    };
  }

  /** Prints a line above the bars (or plainly when there are none). */
  log(line: string): void {
    if (this.#multi) {
      this.#multi.log(`${terminalText(line)}\n`);
      this.#multi.update(); // Draw now: a line logged just before stop() would be lost.
    } else print(line);
  }

  stop(): void {
    this.#multi?.stop();
  }
}
