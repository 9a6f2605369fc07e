/**
 * The real program in a real pseudo-terminal: a tmux server of the test's own (its own socket,
 * no user configuration) runs one command in a window of a given size; the test types keys,
 * resizes the window and reads the screen as tmux draws it, so that what it checks is what a
 * person would see (prompt, bars, lines above them), not the bytes of a pipe.
 *
 * Waiting: {@link Tty.waitScreen} re-reads the screen until a condition holds, within a guard;
 * it waits on what is drawn, never for a set time.
 */
import { IDENTITY_HOME, PERMS, Proc, type Program } from "./harness.ts";

/** Whether tmux can be run here (tests that need it are skipped, saying so, without it). */
export const HAVE_TMUX = (() => {
  try {
    return new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();

/** Whether `script` (util-linux), which gives a program a pseudo-terminal, is installed. */
export const HAVE_SCRIPT = (() => {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();

/** A word for `sh -c`, quoted. */
const quote = (w: string) => `'${w.replaceAll("'", `'\\''`)}'`;

/**
 * The source `program` run by `script` on a pseudo-terminal, as a {@link Proc}: what it prints is
 * read line by line and what the test sends is typed to it, as in a terminal (the program sees a
 * terminal on its input, so it asks what it asks a person). Lighter than {@link Tty} where the
 * test reads lines rather than the screen. Track it in the scene to end it.
 */
export function ptyProc(
  program: Program,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Proc {
  const argv = [Deno.execPath(), "run", ...PERMS, program.entry, ...args];
  return new Proc({ entry: "script", native: true }, [
    "-qfec",
    argv.map(quote).join(" "),
    "/dev/null",
  ], { stdin: true, ...opts });
}

let serial = 0;

/** One program in one tmux window. */
export class Tty {
  readonly #socket: string;
  #closed = false;

  private constructor(socket: string) {
    this.#socket = socket;
  }

  /** Starts `program` with `args` in a window of `cols` x `rows`. */
  static async start(
    program: Program,
    args: string[],
    opts: { cols?: number; rows?: number; cwd?: string; env?: Record<string, string> } = {},
  ): Promise<Tty> {
    const socket = `rede-p2p-test-${Deno.pid}-${++serial}`;
    const tty = new Tty(socket);
    const env = { NO_COLOR: "1", REDE_P2P_HOME: IDENTITY_HOME, TERM: "xterm", ...opts.env };
    const argv = program.native
      ? [program.entry, ...args]
      : [Deno.execPath(), "run", ...PERMS, program.entry, ...args];
    await tty.#tmux([
      "-f",
      "/dev/null",
      "new-session",
      "-d",
      "-x",
      String(opts.cols ?? 80),
      "-y",
      String(opts.rows ?? 24),
      ...(opts.cwd ? ["-c", opts.cwd] : []),
      ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
      "--",
      ...argv,
    ]);
    // Keep the window once the program ends, so its last screen can still be read.
    await tty.#tmux(["set-option", "-g", "remain-on-exit", "on"]);
    return tty;
  }

  async #tmux(args: string[]): Promise<string> {
    const out = await new Deno.Command("tmux", {
      args: ["-L", this.#socket, ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(`tmux ${args[0]}: ${new TextDecoder().decode(out.stderr).trim()}`);
    }
    return new TextDecoder().decode(out.stdout);
  }

  /** The rows of the screen as drawn, trailing spaces removed. */
  async screen(): Promise<string[]> {
    const text = await this.#tmux(["capture-pane", "-p"]);
    return text.replace(/\n$/, "").split("\n").map((l) => l.trimEnd());
  }

  /** The cursor's column and row on the screen. */
  async cursor(): Promise<{ x: number; y: number }> {
    const [x, y] = (await this.#tmux(["display-message", "-p", "#{cursor_x} #{cursor_y}"]))
      .trim().split(" ").map(Number);
    return { x, y };
  }

  /** Whether the program has ended. */
  async ended(): Promise<boolean> {
    return (await this.#tmux(["display-message", "-p", "#{pane_dead}"])).trim() === "1";
  }

  /**
   * Reads the screen until `until` holds (a pattern some row matches, or a test of all rows),
   * for at most `guardMs`; returns the rows that satisfied it.
   */
  async waitScreen(
    until: RegExp | ((rows: string[]) => boolean),
    guardMs = 10_000,
  ): Promise<string[]> {
    const test = typeof until === "function"
      ? until
      : (rows: string[]) => rows.some((r) => until.test(r));
    const end = performance.now() + guardMs;
    let rows = await this.screen();
    while (!test(rows)) {
      if (performance.now() > end) {
        throw new Error(`Timed out waiting for ${until} on the screen:\n${rows.join("\n")}`);
      }
      // Let the program draw before reading the screen again.
      await new Promise((r) => setTimeout(r, 25));
      rows = await this.screen();
    }
    return rows;
  }

  /** Waits, as {@link waitScreen} does, for the program to end, for at most `guardMs`. */
  async waitEnded(guardMs = 10_000): Promise<void> {
    const end = performance.now() + guardMs;
    while (!(await this.ended())) {
      if (performance.now() > end) throw new Error("Timed out waiting for the program to end");
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Types text as it is (no key names). */
  async type(text: string): Promise<void> {
    await this.#tmux(["send-keys", "-l", "--", text]);
  }

  /** Presses keys by tmux name: `Enter`, `Up`, `C-c`, `C-d`. */
  async press(...keys: string[]): Promise<void> {
    await this.#tmux(["send-keys", ...keys]);
  }

  /** Resizes the window, as a person dragging the terminal's corner would. */
  async resize(cols: number, rows: number): Promise<void> {
    await this.#tmux(["resize-window", "-x", String(cols), "-y", String(rows)]);
  }

  /** Ends this tmux server and the program in it (only this test's server, by its socket). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tmux(["kill-server"]).catch(() => {});
  }
}
