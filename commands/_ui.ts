/** Output helpers shared by the verbs: tables, byte sizes, the progress line. */
import Table from "cli-table3";
// @ts-types="@types/cli-progress"
import cliProgress from "cli-progress";
import prettyBytes from "pretty-bytes";
import { printable } from "../storage/names.ts";

/** A table as text, with no colours so it reads the same in a pipe. */
export function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) t.push(row.map((c) => typeof c === "string" ? printable(c) : c));
  return t.toString();
}

/** A byte count in binary units: `1.5 MiB`. */
export function bytes(n: number): string {
  return prettyBytes(n, { binary: true });
}

/** A rate in binary units per second. */
export function rate(n: number, ms: number): string {
  return `${bytes(ms > 0 ? (n * 1000) / ms : 0)}/s`;
}

/** The first characters of a hash, enough to tell files apart by eye. */
export function shortHash(hex: string): string {
  return hex.slice(0, 12);
}

/** A live progress line on a terminal; does nothing elsewhere. */
export class Progress {
  #bar?: cliProgress.SingleBar;
  #start = performance.now();

  constructor(label: string, total: number, enabled: boolean) {
    if (!enabled) return;
    this.#bar = new cliProgress.SingleBar({
      format: `${
        printable(label)
      } {bar} {percentage}% | {got}/{size} | {speed} | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
      etaBuffer: 50,
      stream: process.stdout,
    }, cliProgress.Presets.shades_classic);
    this.#bar.start(total, 0, { got: bytes(0), size: bytes(total), speed: "…" });
  }

  update(received: number): void {
    this.#bar?.update(received, {
      got: bytes(received),
      speed: rate(received, performance.now() - this.#start),
    });
  }

  stop(): void {
    this.#bar?.stop();
  }
}
