/**
 * `deno task bench`: how fast rede-p2p downloads a large file over loopback, compared with the
 * fastest bare Deno copy of the same file on the same machine in the same run, and how much
 * memory the peers use while doing it.
 *
 * What is measured, for a file of `--size-mib` MiB (default 1024, i.e. 1 GiB) of pseudo-random
 * data written to a temporary folder:
 *
 * - **Baseline** (`scripts/bench_baseline.ts`, two processes): a receiver listening on
 *   127.0.0.1 that copies one connection into a file (one reused 1 MiB buffer, synchronous
 *   writes), and a sender that reads the file (one reused 1 MiB buffer, `readSync`) and writes
 *   it to the socket. Both are started and ready before the clock starts. Time: from this
 *   script writing the start line to the sender's stdin until it reads the receiver's `done`
 *   line.
 * - **rede-p2p**: a tracker, a seeder sharing the file (started once; it hashes the file and
 *   registers before anything is timed) and, for every round, a fresh downloader, all real
 *   `main.ts` processes. Time: from this script writing `get 127.0.0.1:PORT NAME` to the
 *   downloader's stdin until it reads the downloader's `Saved 'NAME' (...)` line, which rede-p2p
 *   prints once the file is complete, SHA-256 verified and named. So both sides are timed the
 *   same way: a line in on stdin, a line out on stdout, wall clock on this side.
 * - Throughput is bytes / seconds, reported in decimal GB/s (1 GB = 1e9 bytes) and MiB/s. With
 *   `--rounds N` (default 3) the two are run alternately N times each (which goes first swaps
 *   every round), after an untimed warm-up of each on a `--warmup-mib` file (default 64; 0 for
 *   none). The headline figures are the BEST round of each; medians are printed too.
 * - Every copy is checked against the source's SHA-256 after the clock stops, and deleted
 *   before the next round (each downloader gets a fresh folder).
 * - Peak RSS (`VmHWM` in `/proc/PID/status`, Linux only, `n/a` elsewhere) of the downloader and
 *   of the seeder, read after the download and before they quit. The highest over the rounds
 *   is reported; the seeder's includes hashing the files at its start.
 *
 * Goals: rede-p2p reaches at least 0.6 of the baseline's throughput, and the downloader peaks
 * under 100 MB (decimal). A goal missed is marked BELOW; the exit status is 0 anyway unless
 * `--strict`. A failure (a hash mismatch, an error line, a process that dies) exits 1; the
 * overall `--timeout-min` (default 15) kills every process this script started and exits 124.
 * The last line printed is `BENCH {json}` with every figure, for machines.
 *
 * Everything listens on and connects to 127.0.0.1 only. Nothing waits on a sleep: every step
 * waits for a line a process prints, or for its exit; timers are only guards.
 *
 * Usage: deno task bench [--size-mib N] [--rounds N] [--warmup-mib N] [--timeout-min N]
 *                        [--tmp-dir DIR] [--strict]
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  joinArgs,
  Proc,
  type Program,
  setCode,
  sha256File,
  SOURCE,
  writeRandomFile,
} from "../testing/harness.ts";

export const BASELINE: Program = {
  entry: fileURLToPath(new URL("./bench_baseline.ts", import.meta.url)),
};
const MIB = 1024 * 1024;
const RATIO_GOAL = 0.6;
const DOWNLOADER_RSS_GOAL_MB = 100;
/** Longest a process may take to leave once asked to (a guard, not a sync point). */
const EXIT_GUARD_MS = 30_000;

interface Options {
  sizeMib: number;
  rounds: number;
  warmupMib: number;
  timeoutMin: number;
  tmpDir?: string;
  strict: boolean;
}

const USAGE = "Usage: deno task bench [--size-mib N] [--rounds N] [--warmup-mib N] " +
  "[--timeout-min N] [--tmp-dir DIR] [--strict]";

/** The whole number given to `--name`, at least `min`. */
export function int(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min) {
    throw new Error(`--${name} must be a whole number >= ${min}, not '${text}'`);
  }
  return n;
}

/** The minutes given to `--timeout-min`. */
export function minutes(text: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(n > 0)) {
    throw new Error(`--timeout-min must be a number of minutes > 0, not '${text}'`);
  }
  return n;
}

function parseOptions(argv: string[]): Options {
  // `deno task bench -- --size-mib 8` passes the `--` along; it would end option parsing.
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "--"),
    options: {
      "size-mib": { type: "string", default: "1024" },
      rounds: { type: "string", default: "3" },
      "warmup-mib": { type: "string", default: "64" },
      "timeout-min": { type: "string", default: "15" },
      "tmp-dir": { type: "string" },
      strict: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  return {
    sizeMib: int("size-mib", values["size-mib"], 1),
    rounds: int("rounds", values.rounds, 1),
    warmupMib: int("warmup-mib", values["warmup-mib"], 0),
    timeoutMin: minutes(values["timeout-min"]),
    tmpDir: values["tmp-dir"],
    strict: values.strict,
  };
}

// ---------------------------------------------------------------------------------------------
// Processes and temporary folders this script owns, so that every exit path can clean them up.

const procs = new Set<Proc>();
const tempDirs = new Set<string>();

function spawn(program: Program, args: string[], opts: { cwd?: string; stdin?: boolean } = {}) {
  const p = new Proc(program, args, opts);
  procs.add(p);
  return p;
}

/** Kills what is left of this script's processes (only those) and removes its folders. */
function emergencyExit(reason: string, status: number): never {
  console.error(`bench: ${reason}; killing this run's processes and exiting`);
  for (const p of procs) p.kill("SIGKILL");
  for (const d of tempDirs) {
    try {
      Deno.removeSync(d, { recursive: true });
    } catch {
      // Gone already.
    }
  }
  Deno.exit(status);
}

/** Rejects if `p` has not settled within `ms` (a guard against hangs, never a sync point). */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([p, guard]);
  } finally {
    clearTimeout(timer);
  }
}

/** The longest a timer may be set for: a wait this long is bounded by the overall timeout. */
export const NO_GUARD_MS = 2 ** 31 - 1;

/**
 * Waits for a line like {@link Proc.waitFor}, but past its short guard: a slow 1 GiB transfer
 * is still bounded by the overall timeout. A process that ends first still fails it.
 */
export function waitLine(p: Proc, re: RegExp, from = 0): Promise<RegExpMatchArray> {
  return p.waitFor(re, from, NO_GUARD_MS);
}

/** Lets a process leave on its own (after `quit` or a signal), killing it if it does not. */
async function finish(p: Proc, what: string): Promise<Deno.CommandStatus> {
  try {
    return await within(p.done, EXIT_GUARD_MS, `${what} did not exit`);
  } finally {
    await p.stop();
    procs.delete(p);
  }
}

/**
 * The text of `/proc/PID/FILE`, or undefined where there is no such file. Deno reads `/proc`
 * only with `--allow-all`, which the task does not grant, so without it the file is read by
 * `cat` (allowed by `--allow-run`).
 */
export async function procFile(pid: number, file: string): Promise<string | undefined> {
  if (Deno.build.os !== "linux") return undefined;
  const path = `/proc/${pid}/${file}`;
  try {
    return await Deno.readTextFile(path);
  } catch {
    try {
      const out = await new Deno.Command("cat", { args: [path], stdout: "piped", stderr: "null" })
        .output();
      return out.success ? new TextDecoder().decode(out.stdout) : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Peak resident set size of a process in kB (`VmHWM` of `/proc/PID/status`), if known. */
export async function peakRssKb(pid: number): Promise<number | undefined> {
  const text = await procFile(pid, "status");
  const m = text === undefined ? null : /^VmHWM:\s+(\d+)\s+kB/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

// ---------------------------------------------------------------------------------------------
// The two contenders.

interface Sample {
  /** Wall time on this side, start line to completion line. */
  seconds: number;
}

interface BaselineSample extends Sample {
  /** The receiver's own time, from accepting the connection to its last write. */
  receiverSeconds: number;
  receiverPeakKb?: number;
}

interface RedeSample extends Sample {
  /** What rede-p2p itself printed as the duration in its `Saved` line. */
  reportedSeconds?: number;
  downloaderPeakKb?: number;
  seederPeakKb?: number;
}

interface Subject {
  name: string;
  path: string;
  size: number;
  sha256: string;
  /** How long hashing it took here: a yardstick for rede-p2p's verification pass. */
  hashSeconds: number;
}

/**
 * Checks a baseline copy: both processes succeeded, it copied `src.size` bytes, and `out` has
 * `src`'s SHA-256.
 *
 * @throws {Error} saying which failed (with the processes' `lines` when one did).
 */
export async function checkBaseline(
  [rs, ss]: Deno.CommandStatus[],
  lines: string[],
  copied: number,
  src: { size: number; sha256: string },
  out: string,
): Promise<void> {
  if (!rs.success || !ss.success) {
    throw new Error(
      `baseline failed (receiver ${rs.code}, sender ${ss.code}):\n${lines.join("\n")}`,
    );
  }
  if (copied !== src.size) {
    throw new Error(`baseline copied ${copied} bytes instead of ${src.size}`);
  }
  const got = await sha256File(out);
  if (got !== src.sha256) throw new Error(`baseline copy has SHA-256 ${got}, not ${src.sha256}`);
}

async function baselineRound(root: string, src: Subject, tag: string): Promise<BaselineSample> {
  const outDir = join(root, `baseline-${tag}`);
  await Deno.mkdir(outDir);
  const out = join(outDir, src.name);
  try {
    const recv = spawn(BASELINE, ["recv", out], { stdin: true });
    const port = (await waitLine(recv, /^listening (\d+)$/))[1];
    const send = spawn(BASELINE, ["send", port, src.path], { stdin: true });
    await waitLine(send, /^ready$/);
    const from = recv.mark();
    const t0 = performance.now();
    await send.send("go");
    const done = await waitLine(recv, /^done (\d+) ([\d.]+)$/, from);
    const seconds = (performance.now() - t0) / 1000;
    const receiverPeakKb = await peakRssKb(recv.pid); // It waits for the end of its stdin.
    await send.endInput();
    await recv.endInput();
    const [rs, ss] = await Promise.all([finish(recv, "receiver"), finish(send, "sender")]);
    await checkBaseline([rs, ss], [...recv.lines, ...send.lines], Number(done[1]), src, out);
    return {
      seconds,
      receiverSeconds: Number(done[2]) / 1000,
      receiverPeakKb,
    };
  } finally {
    await Deno.remove(outDir, { recursive: true }).catch(() => {});
  }
}

/** A rede-p2p peer with its shell on stdin, once registered with the tracker. */
async function startPeer(trackerPort: number, home: string) {
  const setup = { home, dir: join(home, "share"), manifest: join(home, "meus_arquivos.txt") };
  const p = spawn(SOURCE, joinArgs(trackerPort, setup), { stdin: true, cwd: home });
  const m = await waitLine(p, /Registered with tracker .* as 127\.0\.0\.1:(\d+)/);
  return Object.assign(p, { port: Number(m[1]) });
}

/**
 * Types `quit` at a peer and waits for it to leave through `end` (the script's own way of
 * letting a process go); a peer that exits with a failure fails the run.
 */
export async function quitPeer(
  p: Proc,
  what: string,
  end: (p: Proc, what: string) => Promise<Deno.CommandStatus> = finish,
): Promise<void> {
  await p.send("quit").catch(() => {}); // If it is gone already, its status says why.
  await p.endInput();
  const status = await end(p, what);
  if (!status.success) {
    throw new Error(`${what} exited with status ${status.code}:\n${p.lines.join("\n")}`);
  }
}

async function redeRound(
  root: string,
  src: Subject,
  trackerPort: number,
  seeder: Proc & { port: number },
  tag: string,
): Promise<RedeSample> {
  const home = join(root, `downloader-${tag}`);
  await Deno.mkdir(join(home, "share"), { recursive: true });
  await Deno.writeTextFile(join(home, "meus_arquivos.txt"), "# rede-p2p bench downloader\n");
  try {
    const dl = await startPeer(trackerPort, home);
    const from = dl.mark();
    const t0 = performance.now();
    await dl.send(`get 127.0.0.1:${seeder.port} ${src.name}`);
    const m = await waitLine(dl, /^(?:Saved '.*' \(|error: )/, from);
    const seconds = (performance.now() - t0) / 1000;
    const line = m.input!;
    if (!line.startsWith("Saved")) {
      throw new Error(`rede-p2p download failed: ${dl.since(from).join("\n")}`);
    }
    if (!line.startsWith(`Saved '${src.name}' (`)) {
      throw new Error(`rede-p2p saved under another name: ${line}`);
    }
    const downloaderPeakKb = await peakRssKb(dl.pid);
    const seederPeakKb = await peakRssKb(seeder.pid);
    const reported = / in ([\d.]+) s /.exec(line);
    await quitPeer(dl, "downloader");
    const got = await sha256File(join(home, "share", src.name));
    if (got !== src.sha256) {
      throw new Error(`rede-p2p copy has SHA-256 ${got}, not ${src.sha256}`);
    }
    return {
      seconds,
      reportedSeconds: reported ? Number(reported[1]) : undefined,
      downloaderPeakKb,
      seederPeakKb,
    };
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Figures and the report.

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function maxOf(xs: (number | undefined)[]): number | undefined {
  const known = xs.filter((x): x is number => x !== undefined);
  return known.length ? Math.max(...known) : undefined;
}

export const gbps = (bytes: number, s: number) => bytes / s / 1e9;
export const mibps = (bytes: number, s: number) => bytes / s / MIB;
export const kbToMb = (kb: number | undefined) => kb === undefined ? undefined : (kb * 1024) / 1e6;
export const showMb = (mb: number | undefined) => mb === undefined ? "n/a" : `${mb.toFixed(1)} MB`;
export const round = (x: number | undefined, digits: number) =>
  x === undefined ? null : Number(x.toFixed(digits));

export function rate(bytes: number, s: number): string {
  return `${gbps(bytes, s).toFixed(3)} GB/s (${mibps(bytes, s).toFixed(0)} MiB/s)`;
}

async function run(opts: Options): Promise<number> {
  const root = await Deno.makeTempDir({ dir: opts.tmpDir, prefix: "rede-bench-" });
  tempDirs.add(root);
  const seedHome = join(root, "seeder");
  await Deno.mkdir(join(seedHome, "share"), { recursive: true });

  const size = opts.sizeMib * MIB;
  const subject = async (name: string, bytes: number, seed: number): Promise<Subject> => {
    const path = join(seedHome, "share", name);
    await writeRandomFile(path, bytes, seed);
    const t0 = performance.now();
    const sha256 = await sha256File(path);
    return { name, path, size: bytes, sha256, hashSeconds: (performance.now() - t0) / 1000 };
  };
  console.log(`Writing the ${opts.sizeMib} MiB test file in ${root} ...`);
  const big = await subject("bench.bin", size, 1);
  const warm = opts.warmupMib > 0 ? await subject("warmup.bin", opts.warmupMib * MIB, 2) : null;
  await Deno.writeTextFile(
    join(seedHome, "meus_arquivos.txt"),
    [big, warm].filter((s) => s).map((s) => `"${s!.name}" "share/${s!.name}"\n`).join(""),
  );

  console.log("Starting the tracker and the seeder (the seeder hashes its files first) ...");
  const tracker = spawn(SOURCE, ["serve", "0", "--host", "127.0.0.1"]);
  const trackerPort = Number((await waitLine(tracker, /listening on 127\.0\.0\.1:(\d+)/))[1]);
  // A private network, as users run it: every join gets the code (through joinArgs).
  setCode(trackerPort, (await waitLine(tracker, /^Join code: (\S+)/))[1]);
  const seeder = await startPeer(trackerPort, seedHome);

  if (warm) {
    console.log(`Warm-up on ${opts.warmupMib} MiB (not counted) ...`);
    await baselineRound(root, warm, "warmup");
    await redeRound(root, warm, trackerPort, seeder, "warmup");
  }

  const base: BaselineSample[] = [];
  const rede: RedeSample[] = [];
  for (let r = 1; r <= opts.rounds; r++) {
    const doBase = async () => {
      const s = await baselineRound(root, big, String(r));
      base.push(s);
      console.log(
        `  round ${r} baseline: ${s.seconds.toFixed(3)} s  ${rate(size, s.seconds)}` +
          `  [receiver accept→EOF ${s.receiverSeconds.toFixed(3)} s]`,
      );
    };
    const doRede = async () => {
      const s = await redeRound(root, big, trackerPort, seeder, String(r));
      rede.push(s);
      console.log(
        `  round ${r} rede-p2p: ${s.seconds.toFixed(3)} s  ${rate(size, s.seconds)}` +
          `  [rede-p2p says ${s.reportedSeconds ?? "?"} s; downloader peak ` +
          `${showMb(kbToMb(s.downloaderPeakKb))}, seeder peak ${showMb(kbToMb(s.seederPeakKb))}]`,
      );
    };
    // Alternate which goes first, so neither always gets the warmer (or cooler) machine.
    if (r % 2 === 1) {
      await doBase();
      await doRede();
    } else {
      await doRede();
      await doBase();
    }
  }

  await quitPeer(seeder, "seeder");
  tracker.kill("SIGTERM");
  await finish(tracker, "tracker");

  const baseBest = Math.min(...base.map((s) => s.seconds));
  const redeBest = Math.min(...rede.map((s) => s.seconds));
  const baseMedian = median(base.map((s) => s.seconds));
  const redeMedian = median(rede.map((s) => s.seconds));
  const ratio = baseBest / redeBest; // = rede throughput / baseline throughput
  const ratioMedian = baseMedian / redeMedian;
  const dlPeakMb = kbToMb(maxOf(rede.map((s) => s.downloaderPeakKb)));
  const seedPeakMb = kbToMb(maxOf(rede.map((s) => s.seederPeakKb)));
  const recvPeakMb = kbToMb(maxOf(base.map((s) => s.receiverPeakKb)));
  const ratioPass = ratio >= RATIO_GOAL;
  const rssPass = dlPeakMb === undefined ? null : dlPeakMb < DOWNLOADER_RSS_GOAL_MB;
  const mark = (ok: boolean | null) => ok === null ? "n/a" : ok ? "PASS" : "BELOW";

  console.log("");
  console.log("rede-p2p loopback benchmark");
  console.log(`  file             ${size} bytes (${opts.sizeMib} MiB), SHA-256 ${big.sha256}`);
  console.log(
    `  rounds           ${opts.rounds} of each, alternating` +
      (warm ? `, after an untimed ${opts.warmupMib} MiB warm-up` : "") +
      "; figures are the BEST round (median in brackets)",
  );
  console.log(
    `  baseline         ${rate(size, baseBest)}  ${baseBest.toFixed(3)} s` +
      `  [median ${gbps(size, baseMedian).toFixed(3)} GB/s]   bare Deno copy, 2 processes`,
  );
  console.log(
    `  rede-p2p         ${rate(size, redeBest)}  ${redeBest.toFixed(3)} s` +
      `  [median ${gbps(size, redeMedian).toFixed(3)} GB/s]   'get' to 'Saved', verified`,
  );
  console.log(
    `  ratio            ${ratio.toFixed(3)}  [median ${ratioMedian.toFixed(3)}]` +
      `   goal >= ${RATIO_GOAL}   ${mark(ratioPass)}`,
  );
  console.log(
    `  downloader peak  ${showMb(dlPeakMb)}   goal < ${DOWNLOADER_RSS_GOAL_MB} MB   ${
      mark(rssPass)
    }`,
  );
  console.log(`  seeder peak      ${showMb(seedPeakMb)}`);
  console.log(`  (baseline receiver peak ${showMb(recvPeakMb)}, for scale)`);
  console.log(
    `  (SHA-256 of the file in this process: ${big.hashSeconds.toFixed(3)} s, ` +
      `${rate(size, big.hashSeconds)}; a rede-p2p download cannot take less)`,
  );
  console.log(
    "BENCH " + JSON.stringify({
      sizeBytes: size,
      rounds: opts.rounds,
      warmupBytes: warm ? warm.size : 0,
      statistic: "best",
      baseline: {
        gbps: round(gbps(size, baseBest), 4),
        mibps: round(mibps(size, baseBest), 1),
        medianGbps: round(gbps(size, baseMedian), 4),
        seconds: base.map((s) => round(s.seconds, 4)),
        receiverSeconds: base.map((s) => round(s.receiverSeconds, 4)),
      },
      rede: {
        gbps: round(gbps(size, redeBest), 4),
        mibps: round(mibps(size, redeBest), 1),
        medianGbps: round(gbps(size, redeMedian), 4),
        seconds: rede.map((s) => round(s.seconds, 4)),
        reportedSeconds: rede.map((s) => s.reportedSeconds ?? null),
      },
      sha256Gbps: round(gbps(size, big.hashSeconds), 4),
      ratio: round(ratio, 4),
      ratioMedian: round(ratioMedian, 4),
      ratioGoal: RATIO_GOAL,
      ratioPass,
      downloaderPeakMB: round(dlPeakMb, 1),
      seederPeakMB: round(seedPeakMb, 1),
      baselineReceiverPeakMB: round(recvPeakMb, 1),
      downloaderPeakGoalMB: DOWNLOADER_RSS_GOAL_MB,
      downloaderPeakPass: rssPass,
    }),
  );
  return opts.strict && (!ratioPass || rssPass === false) ? 1 : 0;
}

async function main(): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(Deno.args);
  } catch (err) {
    console.error(`bench: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const deadline = setTimeout(
    () => emergencyExit(`overall timeout of ${opts.timeoutMin} min reached`, 124),
    opts.timeoutMin * 60_000,
  );
  const onInterrupt = () => emergencyExit("interrupted", 130);
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    return await run(opts);
  } catch (err) {
    console.error(`bench: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    for (const p of procs) await p.stop();
    procs.clear();
    for (const d of tempDirs) await Deno.remove(d, { recursive: true }).catch(() => {});
    tempDirs.clear();
    Deno.removeSignalListener("SIGINT", onInterrupt);
    clearTimeout(deadline);
  }
}

if (import.meta.main) Deno.exit(await main());
