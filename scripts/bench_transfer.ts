/**
 * `deno task bench`, second half: what chunked transfers buy.
 *
 * - Multi-source speed-up: the same file (`--multi-size-mib`, default 1024) shared by 1, 2 and 4
 *   seeder processes, each held to the same upload rate (`--rate-mb`, default 50, MiB/s). A
 *   fresh downloader runs `get FILE` (every holder) and is timed from the command to its
 *   `Saved` line. Speed-up = T(1) / T(k); goal: at least 0.85 × k.
 * - Resume after SIGKILL: one seeder (held to `--resume-rate-mb`, default 100), a downloader
 *   with `--verbose` (one line per chunk written). At half the chunks it is killed with
 *   SIGKILL; a new downloader on the same folder runs `get` again. Reported: chunks known to
 *   be written before the kill, chunks resumed, and so chunks fetched again (the goal: under
 *   two chunks' worth plus what was in flight).
 *
 * Real processes on 127.0.0.1 only; every wait is on a printed line (with a guard timeout);
 * everything started is stopped and every folder removed, whatever happens. The last line is
 * `BENCH_TRANSFER {json}`.
 */
import { parseArgs } from "node:util";
import { chunkSizeFor } from "../core/content.ts";
import { run, Scene, sha256File, SOURCE } from "../testing/harness.ts";
import { join } from "node:path";

const MIB = 1024 * 1024;
const SPEEDUP_GOAL = 0.85;
/** Guard on any one wait: a transfer of these sizes at these rates takes well under it. */
const GUARD_MS = 10 * 60_000;

const { values } = parseArgs({
  args: Deno.args.filter((a) => a !== "--"),
  options: {
    "multi-size-mib": { type: "string", default: "1024" },
    "rate-mb": { type: "string", default: "50" },
    "resume-size-mib": { type: "string", default: "256" },
    "resume-rate-mb": { type: "string", default: "100" },
  },
});
const multiSize = Number(values["multi-size-mib"]) * MIB;
const rateMb = Number(values["rate-mb"]);
const resumeSize = Number(values["resume-size-mib"]) * MIB;
const resumeRateMb = Number(values["resume-rate-mb"]);

/** Downloads `name` with k rate-limited holders; returns seconds and the sources line. */
async function multiSource(k: number, data: string): Promise<{ seconds: number; sources: string }> {
  const s = new Scene(SOURCE);
  try {
    const t = await s.tracker();
    for (let i = 0; i < k; i++) {
      await s.peer(t.port, await s.seedHome(data, "data.bin"), [
        "--max-upload-rate",
        `${rateMb}MB`,
      ]);
    }
    const downHome = await s.home();
    const down = await s.peer(t.port, downHome, ["--verbose"]);
    const start = performance.now();
    const out = await run(down, "get data.bin", /^ {2}sources: |^error: /, GUARD_MS);
    const seconds = (performance.now() - start) / 1000;
    const error = out.find((l) => l.startsWith("error: "));
    if (error) throw new Error(error);
    if ((await sha256File(join(downHome.dir, "data.bin"))) !== (await sha256File(data))) {
      throw new Error("the copy does not match");
    }
    return { seconds, sources: out.find((l) => l.startsWith("  sources: "))!.trim() };
  } finally {
    await s.close();
  }
}

async function resumeAfterKill(data: string, total: number) {
  const s = new Scene(SOURCE);
  try {
    const t = await s.tracker();
    const seed = await s.peer(t.port, await s.seedHome(data, "data.bin"), [
      "--max-upload-rate",
      `${resumeRateMb}MB`,
    ]);
    const home = await s.home();
    const first = await s.peer(t.port, home, ["--verbose"]);
    const mark = first.mark();
    await first.send(`get 127.0.0.1:${seed.port} data.bin`);
    const half = Math.ceil(total / 2);
    await first.waitFor(new RegExp(`^ {2}chunk \\d+ in \\(${half} of ${total}\\)`), mark, GUARD_MS);
    first.kill("SIGKILL");
    await first.done;
    const written = Math.max(
      ...first.since(mark).map((l) => Number(/\((\d+) of \d+\)/.exec(l)?.[1] ?? 0)),
    );
    const second = await s.peer(t.port, home, ["--verbose"]);
    const out = await run(
      second,
      `get 127.0.0.1:${seed.port} data.bin`,
      /^Saved '|^error: /,
      GUARD_MS,
    );
    const saved = out.at(-1)!;
    if (saved.startsWith("error: ")) throw new Error(saved);
    const fetchedAgain = out.filter((l) => /^ {2}chunk /.test(l)).length;
    const resumed = total - fetchedAgain;
    if ((await sha256File(join(home.dir, "data.bin"))) !== (await sha256File(data))) {
      throw new Error("the resumed copy does not match");
    }
    return { written, resumed, refetched: Math.max(0, written - resumed), fetchedAgain };
  } finally {
    await s.close();
  }
}

const data = new Scene(SOURCE);
try {
  console.log(
    `\nMulti-source: ${multiSize / MIB} MiB, every holder limited to ${rateMb} MiB/s upload`,
  );
  const multiFile = await data.file(multiSize, 21);
  const times = new Map<number, { seconds: number; sources: string }>();
  for (const k of [1, 2, 4]) {
    const r = await multiSource(k, multiFile);
    times.set(k, r);
    const t1 = times.get(1)!.seconds;
    const speedup = t1 / r.seconds;
    const pass = speedup >= SPEEDUP_GOAL * k ? "PASS" : "BELOW";
    console.log(
      `  ${k} source(s): ${r.seconds.toFixed(2)} s  ${
        (multiSize / MIB / r.seconds).toFixed(1)
      } MiB/s` +
        `  speed-up ${speedup.toFixed(2)} (goal >= ${(SPEEDUP_GOAL * k).toFixed(2)}) ${pass}`,
    );
    console.log(`    ${r.sources}`);
  }

  const chunkBytes = chunkSizeFor(resumeSize);
  const total = Math.ceil(resumeSize / chunkBytes);
  console.log(
    `\nResume after SIGKILL at 50%: ${
      resumeSize / MIB
    } MiB (${total} chunks), seeder at ${resumeRateMb} MiB/s`,
  );
  const resumeFile = await data.file(resumeSize, 22);
  const r = await resumeAfterKill(resumeFile, total);
  const chunkMib = chunkBytes / MIB;
  console.log(`  chunks written before the kill   ${r.written}`);
  console.log(`  chunks kept on resume             ${r.resumed}`);
  console.log(`  chunks fetched by the second run  ${r.fetchedAgain}`);
  console.log(
    `  re-fetched                        ${r.refetched} chunk(s), ${r.refetched * chunkMib} MiB` +
      ` (goal: under 2 chunks plus those in flight) ${r.refetched < 2 ? "PASS" : "BELOW"}`,
  );
  const t1 = times.get(1)!.seconds;
  console.log(`BENCH_TRANSFER ${
    JSON.stringify({
      multi: {
        sizeBytes: multiSize,
        rateMiBps: rateMb,
        seconds: Object.fromEntries([...times].map(([k, v]) => [k, Number(v.seconds.toFixed(3))])),
        speedup: Object.fromEntries(
          [...times].map(([k, v]) => [k, Number((t1 / v.seconds).toFixed(3))]),
        ),
      },
      resume: {
        sizeBytes: resumeSize,
        chunks: total,
        ...r,
        refetchedBytes: r.refetched * chunkBytes,
      },
    })
  }`);
} finally {
  await data.close();
}
