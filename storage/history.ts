/**
 * The shell's history across runs: one file per user (`history` in the identity folder, beside
 * the identities), the lines typed at an interactive prompt, oldest first. Bounded: at most
 * `SHELL_HISTORY_LINES` lines are kept (older ones are dropped when it is read), a line longer
 * than `MAX_HISTORY_LINE_CHARS` is not kept, and a file larger than the bound allows is read from
 * its end. A line typed with a leading space is not kept (as shells do), so that something
 * private can be typed without being written down. Readable by its owner only.
 */
import { join } from "node:path";
import { SerialQueue } from "../core/io.ts";
import { SHELL_HISTORY_LINES } from "../core/limits.ts";

const FILE = "history";
/** The longest line of history kept, in characters. */
const MAX_HISTORY_LINE_CHARS = 2000;
/** The most bytes read back: every line at its longest, in UTF-8. */
const MAX_READ_BYTES = SHELL_HISTORY_LINES * (MAX_HISTORY_LINE_CHARS * 3 + 1);

export class History {
  readonly #path: string;
  readonly #writes = new SerialQueue();

  constructor(home: string) {
    this.#path = join(home, FILE);
  }

  /**
   * The lines kept, newest first (as readline takes them); the file is trimmed to the bound.
   * A missing or unreadable file is an empty history.
   */
  async load(): Promise<string[]> {
    let text: string;
    try {
      using f = await Deno.open(this.#path, { read: true });
      const size = (await f.stat()).size;
      const start = Math.max(0, size - MAX_READ_BYTES);
      await f.seek(start, Deno.SeekMode.Start);
      const buf = new Uint8Array(size - start);
      let off = 0;
      while (off < buf.length) {
        const n = await f.read(buf.subarray(off));
        if (n === null) break;
        off += n;
      }
      text = new TextDecoder().decode(buf.subarray(0, off));
      if (start > 0) text = text.slice(text.indexOf("\n") + 1); // A line cut in two is dropped.
    } catch {
      return [];
    }
    const lines = text.split("\n").filter((l) => keep(l));
    const kept = lines.slice(-SHELL_HISTORY_LINES);
    if (kept.length !== text.split("\n").filter((l) => l !== "").length) {
      await this.#rewrite(kept).catch(() => {});
    }
    return kept.reverse();
  }

  /** Adds a line typed (unless it is not to be kept); the file is written in the background. */
  add(line: string): Promise<void> {
    if (!keep(line)) return Promise.resolve();
    return this.#writes.run(async () => {
      await Deno.mkdir(join(this.#path, ".."), { recursive: true });
      await Deno.writeTextFile(this.#path, `${line}\n`, { append: true, mode: 0o600 });
    }).catch(() => {}); // A history that cannot be written is not worth an error.
  }

  /** Replaces the file with `lines` (oldest first), through a temporary file. */
  #rewrite(lines: string[]): Promise<void> {
    return this.#writes.run(async () => {
      const temp = `${this.#path}.${Deno.pid}.tmp`;
      await Deno.writeTextFile(temp, lines.map((l) => `${l}\n`).join(""), { mode: 0o600 });
      await Deno.rename(temp, this.#path);
    });
  }
}

/** Whether a typed line is kept: not empty, not starting with a space, not too long. */
function keep(line: string): boolean {
  return line.trim() !== "" && !/^\s/.test(line) && line.length <= MAX_HISTORY_LINE_CHARS &&
    !/[\r\n]/.test(line);
}
