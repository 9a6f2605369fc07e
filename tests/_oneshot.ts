/**
 * Helpers of the one-shot and JSON tests: a one-shot run of the real program with its standard
 * output and standard error apart, and the cells of a table as text.
 */
import type { Lang } from "../core/i18n.ts";
import {
  codeOf,
  IDENTITY_HOME,
  langEnv,
  PERMS,
  type Program,
  type Scene,
} from "../testing/harness.ts";

/** What a one-shot run printed, and how it ended. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  /** Non-empty lines of standard output. */
  out: string[];
  /** Non-empty lines of standard error. */
  err: string[];
}

/** Runs the program once, from `cwd`, to its end (no input: standard input is not a terminal). */
export async function runOnce(
  program: Program,
  args: string[],
  opts: { cwd?: string; lang?: Lang } = {},
): Promise<Ran> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMS, program.entry, ...args],
    cwd: opts.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", REDE_P2P_HOME: IDENTITY_HOME, ...langEnv(opts.lang ?? "en") },
  }).output();
  const dec = new TextDecoder();
  const stdout = dec.decode(out.stdout);
  const stderr = dec.decode(out.stderr);
  const lines = (s: string) => s.split("\n").filter((l) => l !== "");
  return { code: out.code, stdout, stderr, out: lines(stdout), err: lines(stderr) };
}

/** `--tracker` and `--code` of the tracker a test started on `port`. */
export function at(port: number): string[] {
  const code = codeOf(port);
  return ["--tracker", `127.0.0.1:${port}`, ...(code ? ["--code", code] : [])];
}

/** Runs a verb once against the tracker on `port`, in the scene's language. */
export function oneShot(
  s: Scene,
  port: number,
  args: string[],
  cwd?: string,
): Promise<Ran> {
  return runOnce(s.program, [...args, ...at(port)], { cwd, lang: s.lang });
}

/**
 * The cells of the tables among `lines`, row by row, trimmed; the `*` that marks the shell's
 * own row left out (a one-shot run is no listed peer).
 */
export function cells(lines: string[]): string[][] {
  return lines
    .filter((l) => l.startsWith("│"))
    .map((l) => l.split("│").slice(1, -1).map((c) => c.trim().replace(/ \*$/, "")));
}

/** The lines of `lines` that are no part of a table. */
export function prose(lines: string[]): string[] {
  return lines.filter((l) => !/^[│┌├└]/.test(l) && l !== "");
}
