/**
 * `deno task bench:tracker`: a real tracker (`main.ts serve 0 --host 127.0.0.1`) under load.
 *
 * 1. Baseline: `peers` and `find` round trips against an empty tracker.
 * 2. Load: `--peers` (10,000) honest peers register, `--files` (100) files each, on real
 *    connections spread over loopback source addresses (10 peers an address, under the
 *    tracker's per-address cap), and keep sending heartbeats. Each peer lists 80 files from a
 *    shared catalogue of 20,000 (files spread by downloading) and 20 of its own. Then the same
 *    round trips, and the tracker's VmRSS / VmHWM.
 * 3. Flood: one client from its own address runs register/bye loops on as many connections as
 *    it may, for `--flood-seconds` (10); meanwhile the same round trips, and 200 honest peers
 *    leave and come back (half with `bye` and a fresh register, half by dropping the connection
 *    and registering again with their token), counting refusals (the goal: none).
 *
 * The tracker runs a private network (protocol 4): every connection is TLS, and every client,
 * honest or flooding, is admitted with the join code's PAKE before it registers. All honest
 * peers show one identity (their keys differ by source address and port); the flood shows its
 * own, from its own process.
 *
 * Loopback only; bounded; stops by itself; kills only the tracker it started. The last line is
 * `BENCH_TRACKER {json}`. Goals: p99 under 50 ms, RSS under 300 MB, no honest peer refused.
 */
import { parseArgs } from "node:util";
import { codeOf, credentials, Scene, SOURCE } from "../testing/harness.ts";
import { RawClient } from "../testing/raw_client.ts";

const { values } = parseArgs({
  args: Deno.args.filter((a) => a !== "--"),
  options: {
    peers: { type: "string", default: "10000" },
    files: { type: "string", default: "100" },
    rounds: { type: "string", default: "300" },
    "flood-seconds": { type: "string", default: "10" },
    help: { type: "boolean", short: "h" },
    // Internal: run as the flooding client, against this port, with this join code.
    "flood-port": { type: "string" },
    "flood-code": { type: "string" },
  },
});
if (values.help) {
  console.log(
    "deno task bench:tracker [--peers N] [--files N] [--rounds N] [--flood-seconds S]\n" +
      "  A real tracker (a private network) under N honest peers of --files files each, then\n" +
      "  a register/bye flood; prints round trips, memory and refusals, and BENCH_TRACKER {json}.\n" +
      "  Defaults: --peers 10000 --files 100 --rounds 300 --flood-seconds 10",
  );
  Deno.exit(0);
}
const PEERS = Number(values.peers);
const FILES = Number(values.files);
const ROUNDS = Number(values.rounds);
const FLOOD_MS = Number(values["flood-seconds"]) * 1000;
const PER_ADDRESS = 10;
const CATALOGUE = 20_000;
const SHARED = Math.round(FILES * 0.8);
const HEARTBEAT_MS = 4_000;
/** The flooding client's identity (in its own process's test home). */
const FLOOD_IDENTITY = "flood";

const WORDS = [
  "aula",
  "calculo",
  "integral",
  "fisica",
  "relatorio",
  "musica",
  "video",
  "notas",
  "prova",
  "lista",
  "exercicio",
  "projeto",
];
const hex = (n: number) => n.toString(16).padStart(64, "0");

/** The files of honest peer `p`. */
function filesOf(p: number): { name: string; size: number; root: string }[] {
  return Array.from({ length: FILES }, (_, i) => {
    if (i < SHARED) {
      const k = (p * 7919 + i * 104_729) % CATALOGUE;
      const name = `${WORDS[k % 12]}-${WORDS[(k >> 4) % 12]}-${k}.pdf`;
      return { name, size: 1000 + k, root: hex(k) };
    }
    return { name: `foto-${p}-${i}.jpg`, size: 2000 + i, root: hex(1e9 + p * FILES + i) };
  });
}

/** The loopback source address of honest peer `p`. */
function addressOf(p: number): string {
  const a = Math.floor(p / PER_ADDRESS);
  return `127.1.${Math.floor(a / 250)}.${(a % 250) + 1}`;
}

interface Honest {
  p: number;
  c: RawClient;
  token: string;
}

async function register(port: number, p: number, token?: string): Promise<Honest | string> {
  const c = await RawClient.hello(port, addressOf(p), { code: codeOf(port) });
  const m = await c.ask({
    t: "register",
    port: 10_000 + p,
    name: `peer-${p}`,
    files: filesOf(p),
    token,
  });
  if (m?.t === "registered") return { p, c, token: m.token };
  await c.close();
  return m?.t === "error" ? `${m.code}: ${m.message}` : `unexpected ${m?.t}`;
}

/** VmRSS and VmHWM of a process, in MB. */
async function memory(pid: number): Promise<{ rssMb: number; hwmMb: number }> {
  const out = await new Deno.Command("cat", { args: [`/proc/${pid}/status`] }).output();
  const status = new TextDecoder().decode(out.stdout);
  const kb = (f: string) => Number(new RegExp(`${f}:\\s+(\\d+) kB`).exec(status)![1]);
  return { rssMb: Math.round(kb("VmRSS") / 1024), hwmMb: Math.round(kb("VmHWM") / 1024) };
}

const QUERIES = ["calculo", "foto-4242-", "-1234.", "zzzz", "prova-lista"];

/** Round trips of `peers` and `find` from a client of its own, p50 and p99 in ms. */
async function roundTrips(
  port: number,
  from: string,
  untilMs = 0,
  rounds = ROUNDS,
): Promise<Record<string, number>> {
  const q = await RawClient.hello(port, from, { code: codeOf(port) });
  const times: Record<string, number[]> = { peers: [], find: [] };
  try {
    for (let i = 0; i < rounds || performance.now() < untilMs; i++) {
      // A client asks as a person's shell might, at most 20 times a second (the tracker gives
      // each address a bounded share of its time; back-to-back requests would measure that).
      const pace = new Promise((resolve) => setTimeout(resolve, 50));
      for (const kind of ["peers", "find"] as const) {
        const msg = kind === "peers" ? { t: "peers" } : { t: "find", text: QUERIES[i % 5] };
        const t0 = performance.now();
        const m = await q.ask(msg);
        times[kind].push(performance.now() - t0);
        if (m?.t !== (kind === "peers" ? "peer_list" : "found")) {
          throw new Error(`${kind}: ${JSON.stringify(m).slice(0, 200)}`);
        }
      }
      await pace;
    }
  } finally {
    await q.close();
  }
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 100) / 100;
  };
  return {
    peersP50: pct(times.peers, 0.5),
    peersP99: pct(times.peers, 0.99),
    findP50: pct(times.find, 0.5),
    findP99: pct(times.find, 0.99),
  };
}

/** One client from its own address: register/bye loops on every connection it may open. */
async function flood(
  port: number,
  code: string | undefined,
  until: number,
): Promise<{ cycles: number; refused: number }> {
  // Made before the workers: first loads of one new identity at once race (storage/identity.ts).
  await credentials(FLOOD_IDENTITY);
  let cycles = 0;
  let refused = 0;
  let n = 0;
  const worker = async () => {
    while (performance.now() < until) {
      let c: RawClient | undefined;
      try {
        c = await RawClient.hello(port, "127.0.200.1", { code, identity: FLOOD_IDENTITY });
        const m = await c.ask({
          t: "register",
          port: 1 + (n++ % 60_000),
          name: "flood",
          files: [],
        });
        if (m?.t !== "registered") refused++;
        c.send({ t: "bye" });
        await c.next();
        cycles++;
      } catch {
        refused++;
      } finally {
        await c?.close();
      }
    }
  };
  await Promise.all(Array.from({ length: 40 }, worker));
  return { cycles, refused };
}

/** Runs {@link flood} in a process of its own, so that it does not slow the measuring client. */
async function floodProcess(port: number): Promise<{ cycles: number; refused: number }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-read",
      "--allow-write", // its identity, in a temporary folder of its own (testing/harness.ts)
      "--allow-env",
      new URL(import.meta.url).pathname,
      "--flood-port",
      String(port),
      ...(codeOf(port) === undefined ? [] : ["--flood-code", codeOf(port)!]),
      "--flood-seconds",
      String(FLOOD_MS / 1000),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const line = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!;
  return JSON.parse(line);
}

async function main(): Promise<void> {
  const scene = new Scene(SOURCE);
  const honest: Honest[] = [];
  let beat: ReturnType<typeof setInterval> | undefined;
  try {
    // The honest peers' identity, made before 200 of them connect at once: first loads of one
    // new identity at the same time race (storage/identity.ts).
    await credentials("raw-client");
    // 1. Baseline.
    const empty = await scene.tracker();
    const baseline = await roundTrips(empty.port, "127.0.9.1");
    const baseMem = await memory(empty.pid);
    empty.kill("SIGTERM");
    await empty.done;

    // 2. Load.
    const t = await scene.tracker();
    const started = performance.now();
    const refusedAtLoad: string[] = [];
    for (let p = 0; p < PEERS; p += 200) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(200, PEERS - p) }, (_, i) => register(t.port, p + i)),
      );
      for (const r of batch) typeof r === "string" ? refusedAtLoad.push(r) : honest.push(r);
    }
    const loadSeconds = (performance.now() - started) / 1000;
    // Heartbeats spread over the interval, as independent peers send them.
    let slice = 0;
    beat = setInterval(() => {
      const part = Math.ceil(honest.length / 20);
      for (const h of honest.slice(slice * part, (slice + 1) * part)) h.c.send({ t: "heartbeat" });
      slice = (slice + 1) % 20;
    }, HEARTBEAT_MS / 20);
    console.log(`${honest.length} peers registered in ${loadSeconds.toFixed(1)} s`);
    const loaded = await roundTrips(t.port, "127.0.9.2");
    const loadedMem = await memory(t.pid);
    console.log(`loaded: ${JSON.stringify({ ...loaded, ...loadedMem })}`);

    // 3. Flood (a process of its own), and honest peers leaving and coming back meanwhile.
    const floodRun = floodProcess(t.port);
    const until = performance.now() + FLOOD_MS;
    const churn = (async () => {
      let done = 0;
      const refusals: string[] = [];
      for (let round = 0; performance.now() < until; round++) {
        // 20 peers every 200 ms: 100 honest (re)registrations a second.
        const pause = new Promise((resolve) => setTimeout(resolve, 200));
        const moving = honest.slice((round * 20) % 200, (round * 20) % 200 + 20);
        await Promise.all(moving.map(async (h, i) => {
          if (i % 2 === 0) {
            h.c.send({ t: "bye" });
            await h.c.next();
          }
          await h.c.close();
          // Without a bye the tracker still holds the old connection's key for a moment: only
          // the token takes it back.
          const r = await register(t.port, h.p, i % 2 === 0 ? undefined : h.token);
          if (typeof r === "string") {
            refusals.push(r);
            const again = await register(t.port, h.p, h.token);
            if (typeof again !== "string") Object.assign(h, again);
          } else Object.assign(h, r);
          done++;
        }));
        await pause;
      }
      return { reregistrations: done, refusals };
    })();
    // The flood process takes a moment to start: measure from then until it ends.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const during = await roundTrips(t.port, "127.0.9.3", until, 0);
    const [floodResult, churnResult] = await Promise.all([floodRun, churn]);
    const floodMem = await memory(t.pid);
    const result = {
      peers: honest.length,
      filesPerPeer: FILES,
      refusedAtLoad: refusedAtLoad.length,
      loadSeconds: Math.round(loadSeconds * 10) / 10,
      baseline: { ...baseline, ...baseMem },
      loaded: { ...loaded, ...loadedMem },
      flood: { ...during, ...floodMem, ...floodResult },
      honestReregistrations: churnResult.reregistrations,
      honestRefused: churnResult.refusals.length,
      ratios: {
        peersP99: Math.round((loaded.peersP99 / baseline.peersP99) * 10) / 10,
        findP99: Math.round((loaded.findP99 / baseline.findP99) * 10) / 10,
        peersP99Flood: Math.round((during.peersP99 / baseline.peersP99) * 10) / 10,
        findP99Flood: Math.round((during.findP99 / baseline.findP99) * 10) / 10,
      },
    };
    if (churnResult.refusals.length) console.log(`honest refusals: ${churnResult.refusals[0]}`);
    const p99 = Math.max(loaded.peersP99, loaded.findP99, during.peersP99, during.findP99);
    const rss = Math.max(loadedMem.hwmMb, floodMem.hwmMb);
    console.log(
      `p99 ${p99} ms (goal < 50), peak RSS ${rss} MB (goal < 300), ` +
        `honest refused ${churnResult.refusals.length} (goal 0)`,
    );
    console.log(`BENCH_TRACKER ${JSON.stringify(result)}`);
  } finally {
    clearInterval(beat);
    await Promise.all(honest.map((h) => h.c.close()));
    await scene.close();
  }
}

if (values["flood-port"]) {
  const result = await flood(
    Number(values["flood-port"]),
    values["flood-code"],
    performance.now() + FLOOD_MS,
  );
  console.log(JSON.stringify(result));
} else await main();
