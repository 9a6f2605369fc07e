/**
 * `deno task bench:swarm`: a whole class downloads one file at once. One source and K
 * downloaders that start together, every host on its own link of the same speed, on an emulated
 * LAN (`scripts/lan.ts`: network namespaces, a bridge, 192.0.2.0/24 addresses that exist only
 * there). Linux only, and it needs root; without it, one line says so and the exit status is 0.
 *
 * Each host's link is capped in both directions (`tbf` on its `eth0` and on its bridge port), at
 * `--rate` (default 100mbit). Hosts: the source (192.0.2.1, core 0), the trackers (192.0.2.2,
 * core 1) and downloaders `d1`.. (192.0.2.11.., cores 0 and 1 in turn: this machine has two).
 *
 * For a file of `--size-mib` MiB (default 128) of pseudo-random data, in the same run:
 *
 * - **The limit**: every downloader must receive the whole file through its own link, so none
 *   can finish before one bare copy over one link does: `scripts/bench_baseline.ts` (as in
 *   `bench:lan`) from the source's host to `d1`. Every figure is reported as a multiple of it.
 * - **One rede-p2p download**: `get NAME` at one downloader, for scale.
 * - **rede-p2p, K at once**, for every K of `--k` (default 6,16): K fresh peers (`join`, each its
 *   own empty folder and identity) are started and registered; then `get NAME` is typed at all K
 *   together, and each is timed from there to its `Saved 'NAME'` line. The figure is the LAST
 *   one done. Each copy's SHA-256 is checked. From the `sources:` lines, how many copies' worth
 *   the source itself uploaded (1.0 would be ideal; K means no swarming).
 * - **Push to K**: K fresh peers started with `--accept-push`; `push NAME` typed at the source,
 *   timed to its `Pushed ... K got it intact` summary (and to the last `Received` line of the
 *   targets). Copies checked.
 * - **BitTorrent, K at once** (unless `--no-bittorrent`): Debian's `opentracker` on the trackers'
 *   host (whitelisted to the one torrent), `aria2c` seeding from the source's host, and K
 *   `aria2c` downloaders started together, each timed from its start to its
 *   `--on-bt-download-complete` hook (which prints a line); they keep seeding to the others
 *   until the last is done. The torrent is made by `mktorrent` (256 KiB pieces, its default).
 *   DHT, local peer discovery and IPv6 are off; peer exchange is on (aria2c's default). The
 *   three programs must be installed (`apt-get install opentracker aria2 mktorrent`); if one is
 *   missing the comparison is skipped with one line saying so. aria2c starts in milliseconds, so
 *   timing it from its start against rede-p2p's from an already-registered peer is fair to it.
 *
 * Goals (issue 9): the last of K rede-p2p downloaders done within 1.3× the limit, for every K,
 * every copy intact, and faster than BitTorrent in the same run. A goal missed is marked BELOW;
 * the exit status is still 0. A failure (a wrong copy, an error line, a process that dies) exits
 * 1; `--timeout-min` (default 40) kills every process started, removes the LAN and exits 124.
 * Every step waits for a line a process prints; timers are only guards. The last line printed
 * is `BENCH_SWARM {json}`.
 *
 * Usage: deno task bench:swarm [--size-mib N] [--k 6,16] [--rate 100mbit] [--rounds N]
 *                              [--no-bittorrent] [--no-push] [--verbose] [--timeout-min N]
 *                              [--tmp-dir DIR]
 *
 * `--verbose` starts the downloaders with `--verbose` (each chunk's source); run with E2E_ECHO=1
 * to see every line of every process.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  contributions,
  type Proc,
  type Program,
  sha256File,
  SOURCE,
  WAIT_MS,
  writeRandomFile,
} from "../testing/harness.ts";
import {
  BASELINE,
  checkBaseline,
  int,
  median,
  minutes,
  quitPeer,
  round,
  waitLine,
} from "./bench.ts";
import { cpuBusySince, cpuTicks, Lan, lanMain, type LinkRate, parseRate } from "./lan.ts";

const MIB = 1024 * 1024;
const GOAL_MULTIPLE = 1.3;
const NAME = "turma.bin";
const SEEDER_IP = "192.0.2.1";
const TRACKER_IP = "192.0.2.2";
const downloaderIp = (i: number) => `192.0.2.${10 + i}`;
const CORES = navigator.hardwareConcurrency >= 2 ? 2 : 1;
const SAVED = new RegExp(`^(?:Saved '${NAME}' \\(|error: )`);
const RECEIVED = new RegExp(`^Received '${NAME}' \\(`);

interface Options {
  sizeMib: number;
  ks: number[];
  rate: LinkRate;
  rounds: number;
  bittorrent: boolean;
  push: boolean;
  verbose: boolean;
  timeoutMin: number;
  tmpDir?: string;
}

const USAGE = "Usage: deno task bench:swarm [--size-mib N] [--k 6,16] [--rate 100mbit] " +
  "[--rounds N] [--no-bittorrent] [--no-push] [--verbose] [--timeout-min N] [--tmp-dir DIR]";

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "--"),
    options: {
      "size-mib": { type: "string", default: "128" },
      k: { type: "string", default: "6,16" },
      rate: { type: "string", default: "100mbit" },
      rounds: { type: "string", default: "1" },
      "no-bittorrent": { type: "boolean", default: false },
      "no-push": { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      "timeout-min": { type: "string", default: "40" },
      "tmp-dir": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  const ks = values.k.split(",").filter((k) => k.trim()).map((k) => int("k", k.trim(), 1));
  if (ks.length === 0 || Math.max(...ks) > 200) throw new Error("--k: 1 to 200 downloaders");
  return {
    sizeMib: int("size-mib", values["size-mib"], 1),
    ks,
    rate: parseRate(values.rate, "--rate"),
    rounds: int("rounds", values.rounds, 1),
    bittorrent: !values["no-bittorrent"],
    push: !values["no-push"],
    verbose: values.verbose,
    timeoutMin: minutes(values["timeout-min"]),
    tmpDir: values["tmp-dir"],
  };
}

const lan = new Lan("bench:swarm");
/** `--verbose`: the downloaders say where each chunk came from (seen with E2E_ECHO=1). */
let verbosePeers = false;

interface Subject {
  path: string;
  size: number;
  sha256: string;
}

async function checkCopy(path: string, src: Subject, what: string): Promise<void> {
  const got = await sha256File(path).catch((err) => `unreadable (${err.message})`);
  if (got !== src.sha256) throw new Error(`${what}: ${path} has SHA-256 ${got}, not ${src.sha256}`);
}

/** One bare copy over one link: the time no downloader can beat. */
async function limitSeconds(root: string, src: Subject): Promise<number> {
  const out = join(root, "baseline.bin");
  try {
    const recv = lan.spawn("d1", BASELINE, ["recv", out, downloaderIp(1)], { stdin: true });
    const port = (await waitLine(recv, /^listening (\d+)$/))[1];
    const send = lan.spawn("s", BASELINE, ["send", port, src.path, downloaderIp(1)], {
      stdin: true,
    });
    await waitLine(send, /^ready$/);
    const t0 = performance.now();
    await send.send("go");
    const done = await waitLine(recv, /^done (\d+) ([\d.]+)$/);
    const seconds = (performance.now() - t0) / 1000;
    await waitLine(send, /^sent \d+$/);
    await send.endInput();
    await recv.endInput();
    const st = await Promise.all([lan.finish(recv, "receiver"), lan.finish(send, "sender")]);
    await checkBaseline(st, [...recv.lines, ...send.lines], Number(done[1]), src, out);
    return seconds;
  } finally {
    await Deno.remove(out).catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// rede-p2p.

interface Net {
  tracker: Proc;
  port: number;
  code?: string;
}

type Peer = Proc & { home: string; port: number };

async function makeHome(root: string, tag: string, manifest = ""): Promise<string> {
  const home = join(root, tag);
  await Deno.mkdir(join(home, "share"), { recursive: true });
  await Deno.mkdir(join(home, "identity"));
  await Deno.writeTextFile(join(home, "meus_arquivos.txt"), `# bench:swarm\n${manifest}`);
  return home;
}

async function startPeer(key: string, ip: string, net: Net, home: string, extra: string[] = []) {
  const p = lan.spawn(key, SOURCE, [
    "join",
    `${TRACKER_IP}:${net.port}`,
    "--listen-host",
    ip,
    "--dir",
    join(home, "share"),
    "--manifest",
    join(home, "meus_arquivos.txt"),
    ...(net.code === undefined ? [] : ["--code", net.code]),
    ...extra,
  ], { stdin: true, cwd: home, env: { REDE_P2P_HOME: join(home, "identity") } });
  const m = await waitLine(p, /Registered with tracker .* as (\S+):(\d+)/);
  return Object.assign(p, { home, port: Number(m[2]) }) as Peer;
}

const quit = (p: Proc, what: string) => quitPeer(p, what, (q, w) => lan.finish(q, w));

/** K fresh peers on d1..dK, registered; `extra` is added to their `join`. */
async function startClass(root: string, net: Net, k: number, tag: string, extra: string[] = []) {
  return await Promise.all(
    Array.from({ length: k }, async (_, i) => {
      const home = await makeHome(root, `${tag}-${i + 1}`);
      const v = verbosePeers ? ["--verbose"] : [];
      return await startPeer(`d${i + 1}`, downloaderIp(i + 1), net, home, [...extra, ...v]);
    }),
  );
}

async function endClass(peers: Peer[], src: Subject): Promise<void> {
  for (const p of peers) await checkCopy(join(p.home, "share", NAME), src, "rede-p2p copy");
  await Promise.all(peers.map((p, i) => quit(p, `downloader ${i + 1}`)));
  await Promise.all(peers.map((p) => Deno.remove(p.home, { recursive: true }).catch(() => {})));
}

interface ClassResult {
  /** Seconds from the start to each one's end, in the order they ended. */
  seconds: number[];
  /** Copies' worth of bytes the source itself sent (undefined where not known). */
  sourceCopies?: number;
  /** Share of the machine's CPU busy from the start until the last one ended (0 to 1). */
  cpuBusy: number;
}

/** `get NAME` typed at K peers at once; each timed to its `Saved` line. */
async function redeClass(root: string, net: Net, src: Subject, k: number, tag: string) {
  const peers = await startClass(root, net, k, tag);
  const marks = peers.map((p) => p.mark());
  const t0 = performance.now();
  const cpu0 = cpuTicks();
  let cpuBusy = 0;
  let left = k;
  await Promise.all(peers.map((p) => p.send(`get ${NAME}`)));
  const seconds = await Promise.all(peers.map(async (p, i) => {
    const m = await waitLine(p, SAVED, marks[i]);
    const s = (performance.now() - t0) / 1000;
    if (--left === 0) cpuBusy = cpuBusySince(cpu0);
    if (m[0].startsWith("error")) throw new Error(`downloader ${i + 1}: ${m.input}`);
    // From several sources, what each sent is on the next line.
    if (/ from \d+ sources /.test(m.input!)) await waitLine(p, /^ {2}sources: /, marks[i]);
    return s;
  }));
  let fromSource = 0;
  for (const [i, p] of peers.entries()) {
    const lines = p.since(marks[i]);
    const by = contributions(lines);
    if (by.size === 0) fromSource += src.size; // One source only: the seeder.
    for (const [label, n] of by) if (label.startsWith(`${SEEDER_IP}:`)) fromSource += n;
  }
  await endClass(peers, src);
  return {
    seconds: seconds.sort((a, b) => a - b),
    sourceCopies: fromSource / src.size,
    cpuBusy,
  };
}

/** `push NAME` at the source to K peers started with `--accept-push`. */
async function pushClass(root: string, net: Net, seeder: Peer, src: Subject, k: number) {
  const peers = await startClass(root, net, k, `push-${k}`, ["--accept-push"]);
  const from = seeder.mark();
  const marks = peers.map((p) => p.mark());
  const t0 = performance.now();
  await seeder.send(`push ${NAME}`);
  const saved = peers.map(async (p, i) => {
    await waitLine(p, RECEIVED, marks[i]);
    return (performance.now() - t0) / 1000;
  });
  const m = await waitLine(seeder, /^Pushed .* to (\d+) peers?: (\d+) got it intact/, from);
  const seconds = (performance.now() - t0) / 1000;
  if (Number(m[1]) !== k || Number(m[2]) !== k) {
    throw new Error(`push: ${seeder.since(from).join("\n")}`);
  }
  const each = await Promise.all(saved);
  await endClass(peers, src);
  return { seconds, lastSaved: Math.max(...each) };
}

// ---------------------------------------------------------------------------------------------
// BitTorrent: opentracker, aria2c, mktorrent from Debian's packages.

const NATIVE = (name: string): Program => ({ entry: name, native: true });
const ARIA2C = NATIVE("aria2c");
const ARIA2_COMMON = [
  "--enable-dht=false",
  "--enable-dht6=false",
  "--disable-ipv6=true",
  "--bt-enable-lpd=false",
  "--seed-ratio=0.0", // Seed on until stopped: the others still need pieces.
  "--file-allocation=none",
  "--summary-interval=0",
  "--enable-color=false",
  "--listen-port=6881",
  "--bt-detach-seed-only=false",
];

async function installed(cmd: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, { args: ["--help"], stdout: "null", stderr: "null" })
      .output();
    return out.code !== 127;
  } catch {
    return false;
  }
}

interface Swarm {
  torrent: string;
  hook: string;
  seeder: Proc;
}

/** opentracker (whitelisted to one torrent) and an aria2c seed that has announced to it. */
async function startBitTorrent(root: string, src: Subject): Promise<Swarm> {
  const dir = join(root, "bt");
  await Deno.mkdir(dir, { mode: 0o755 });
  const torrent = join(dir, "f.torrent");
  const made = await new Deno.Command("mktorrent", {
    args: ["-a", `http://${TRACKER_IP}:6969/announce`, "-o", torrent, src.path],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!made.success) throw new Error(`mktorrent: ${new TextDecoder().decode(made.stderr)}`);
  const show = await new Deno.Command("aria2c", { args: ["-S", torrent], stdout: "piped" })
    .output();
  const hash = /^Info Hash: ([0-9a-f]{40})$/m.exec(new TextDecoder().decode(show.stdout))?.[1];
  if (!hash) throw new Error("aria2c -S: no info hash in its output");
  // Debian's opentracker serves only whitelisted torrents. It prints nothing to a pipe, so
  // curl on its host waits until its port takes a connection (retrying a refused one).
  await Deno.writeTextFile(join(dir, "whitelist"), `${hash}\n`, { mode: 0o644 });
  lan.spawn("t", NATIVE("opentracker"), [
    ...["-i", TRACKER_IP, "-p", "6969", "-P", "6969", "-d", dir, "-u", "nobody", "-w", "whitelist"],
  ]);
  const [ip, ...pre] = lan.onHost("t");
  const url = `http://${TRACKER_IP}:6969/scrape`;
  const up = await new Deno.Command(ip, {
    args: [...pre, "curl", "-s", "-o", "/dev/null", "--retry-connrefused", "--retry", "20", url],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => undefined);
  if (up && up.code !== 0 && up.code !== 127) throw new Error(`opentracker: ${url} not answered`);
  const hook = join(dir, "done.sh");
  await Deno.writeTextFile(hook, '#!/bin/sh\necho "BT_COMPLETE $3"\n', { mode: 0o755 });
  const seedDir = join(src.path, "..");
  const seeder = lan.spawn("s", ARIA2C, [
    ...ARIA2_COMMON,
    "--bt-seed-unverified=true",
    "--console-log-level=warn",
    "--log=-",
    "--log-level=info",
    `--dir=${seedDir}`,
    torrent,
  ]);
  const m = await waitLine(seeder, /No peers6? received|Received \d+ peers?|Tracker .*failed/i);
  if (/failed/i.test(m[0])) throw new Error(`aria2c seed: ${m.input}`);
  return { torrent, hook, seeder };
}

/** K aria2c downloaders started at once; each timed to its completion hook. */
async function bitTorrentClass(root: string, bt: Swarm, src: Subject, k: number, tag: string) {
  const dirs: string[] = [];
  const t0 = performance.now();
  const cpu0 = cpuTicks();
  let cpuBusy = 0;
  let left = k;
  const peers = Array.from({ length: k }, (_, i) => {
    const dir = join(root, `${tag}-${i + 1}`);
    dirs.push(dir);
    return lan.spawn(`d${i + 1}`, ARIA2C, [
      ...ARIA2_COMMON,
      "--console-log-level=error",
      `--on-bt-download-complete=${bt.hook}`,
      `--dir=${dir}`,
      bt.torrent,
    ]);
  });
  try {
    const seconds = await Promise.all(peers.map(async (p) => {
      await waitLine(p, /^BT_COMPLETE /);
      if (--left === 0) cpuBusy = cpuBusySince(cpu0);
      return (performance.now() - t0) / 1000;
    }));
    for (const d of dirs) await checkCopy(join(d, NAME), src, "BitTorrent copy");
    return { seconds: seconds.sort((a, b) => a - b), cpuBusy };
  } finally {
    for (const p of peers) p.kill("SIGTERM");
    await Promise.all(peers.map((p, i) => lan.finish(p, `aria2c ${i + 1}`)));
    await Promise.all(dirs.map((d) => Deno.remove(d, { recursive: true }).catch(() => {})));
  }
}

// ---------------------------------------------------------------------------------------------
// Running and reporting.

const x = (s: number, limit: number) => `${(s / limit).toFixed(2)}x`;
const pct = (share: number) => `${Math.round(share * 100)}%`;
const mark = (ok: boolean | null) => ok === null ? "n/a" : ok ? "PASS" : "BELOW";

async function run(opts: Options): Promise<number> {
  const kMax = Math.max(...opts.ks);
  verbosePeers = opts.verbose;
  let bittorrent = opts.bittorrent;
  if (bittorrent) {
    const missing = [];
    for (const c of ["opentracker", "aria2c", "mktorrent"]) {
      if (!(await installed(c))) missing.push(c);
    }
    if (missing.length) {
      console.log(
        `BitTorrent comparison skipped: ${missing.join(", ")} not installed ` +
          "(apt-get install opentracker aria2 mktorrent)",
      );
      bittorrent = false;
    }
  }
  lan.build([
    { key: "s", ip: SEEDER_IP, core: 0 },
    { key: "t", ip: TRACKER_IP, core: CORES - 1 },
    ...Array.from({ length: kMax }, (_, i) => ({
      key: `d${i + 1}`,
      ip: downloaderIp(i + 1),
      core: (i + 1) % CORES,
    })),
  ]);
  lan.setRate(opts.rate, { both: true });
  console.log(
    `Emulated LAN: ${kMax + 2} hosts (${lan.tag}-*), every link ${opts.rate.text} both ways ` +
      `(tbf burst ${opts.rate.burstBytes} B); source ${SEEDER_IP}, trackers ${TRACKER_IP}, ` +
      `downloaders ${downloaderIp(1)}..${downloaderIp(kMax)}; ${CORES} core(s) shared`,
  );
  const root = await lan.tempDir(opts.tmpDir, "rede-bench-swarm-");
  const seedHome = await makeHome(root, "source", `"${NAME}" "share/${NAME}"\n`);
  const path = join(seedHome, "share", NAME);
  console.log(`Writing the ${opts.sizeMib} MiB test file ...`);
  await writeRandomFile(path, opts.sizeMib * MIB, 9);
  const src: Subject = { path, size: opts.sizeMib * MIB, sha256: await sha256File(path) };
  const wire = (src.size * 8) / opts.rate.bitsPerSecond;

  const limit = await limitSeconds(root, src);
  console.log(
    `Limit (one bare copy over one link): ${limit.toFixed(2)} s ` +
      `(the wire alone: ${wire.toFixed(2)} s)`,
  );

  const trackerHome = join(root, "tracker");
  await Deno.mkdir(trackerHome);
  const tracker = lan.spawn("t", SOURCE, ["serve", "0", "--host", TRACKER_IP], {
    cwd: trackerHome,
    env: { REDE_P2P_HOME: trackerHome },
  });
  const port = Number((await waitLine(tracker, /listening on 192\.0\.2\.2:(\d+)/))[1]);
  await tracker.waitFor(/Join code: \S+|Peers join with:/, 0, WAIT_MS);
  let code: string | undefined;
  for (const l of tracker.lines) code = /Join code: (\S+)/.exec(l)?.[1] ?? code;
  const net: Net = { tracker, port, code };
  const seeder = await startPeer("s", SEEDER_IP, net, seedHome);
  const bt = bittorrent ? await startBitTorrent(root, src) : undefined;

  const one = await redeClass(root, net, src, 1, "one");
  console.log(
    `One rede-p2p download: ${one.seconds[0].toFixed(2)} s (${x(one.seconds[0], limit)})`,
  );

  const results = [];
  for (const k of opts.ks) {
    const rede: ClassResult[] = [];
    const torrent: ClassResult[] = [];
    for (let r = 1; r <= opts.rounds; r++) {
      const doRede = async () => {
        const res = await redeClass(root, net, src, k, `rede-${k}-${r}`);
        rede.push(res);
        const last = res.seconds[k - 1];
        console.log(
          `  K=${k} round ${r} rede-p2p: last done ${last.toFixed(2)} s (${x(last, limit)}), ` +
            `first ${res.seconds[0].toFixed(2)} s; the source sent ` +
            `${res.sourceCopies!.toFixed(2)} copies; CPU ${pct(res.cpuBusy)} busy`,
        );
      };
      const doTorrent = async () => {
        if (!bt) return;
        const res = await bitTorrentClass(root, bt, src, k, `bt-${k}-${r}`);
        torrent.push(res);
        const last = res.seconds[k - 1];
        console.log(
          `  K=${k} round ${r} BitTorrent: last done ${last.toFixed(2)} s (${x(last, limit)}), ` +
            `first ${res.seconds[0].toFixed(2)} s; CPU ${pct(res.cpuBusy)} busy`,
        );
      };
      if (r % 2 === 1) {
        await doRede();
        await doTorrent();
      } else {
        await doTorrent();
        await doRede();
      }
    }
    let push: { seconds: number; lastSaved: number } | undefined;
    if (opts.push) {
      push = await pushClass(root, net, seeder, src, k);
      console.log(
        `  K=${k} push: summary after ${push.seconds.toFixed(2)} s (${x(push.seconds, limit)}), ` +
          `last copy saved at ${push.lastSaved.toFixed(2)} s`,
      );
    }
    const last = (rs: ClassResult[]) => median(rs.map((res) => res.seconds[k - 1]));
    const redeLast = last(rede);
    const btLast = torrent.length ? last(torrent) : undefined;
    const multiple = redeLast / limit;
    const fig = {
      k,
      redeLastSeconds: round(redeLast, 3),
      redeMultiple: round(multiple, 3),
      redeRounds: rede.map((res) => res.seconds.map((s) => round(s, 3))),
      sourceCopies: rede.map((res) => round(res.sourceCopies, 2)),
      redeCpuBusy: rede.map((res) => round(res.cpuBusy, 2)),
      goalMultiple: GOAL_MULTIPLE,
      goalPass: multiple <= GOAL_MULTIPLE,
      bittorrentLastSeconds: btLast === undefined ? null : round(btLast, 3),
      bittorrentMultiple: btLast === undefined ? null : round(btLast / limit, 3),
      bittorrentRounds: torrent.map((res) => res.seconds.map((s) => round(s, 3))),
      bittorrentCpuBusy: torrent.map((res) => round(res.cpuBusy, 2)),
      fasterThanBitTorrent: btLast === undefined ? null : redeLast < btLast,
      pushSeconds: push ? round(push.seconds, 3) : null,
      pushMultiple: push ? round(push.seconds / limit, 3) : null,
    };
    results.push(fig);
    console.log(`  --- K=${k} (median of ${opts.rounds} round(s); multiples of the limit)`);
    console.log(
      `  rede-p2p    last of ${k} done at ${x(redeLast, limit)}   goal <= ${GOAL_MULTIPLE}x   ` +
        mark(fig.goalPass),
    );
    if (btLast !== undefined) {
      console.log(
        `  BitTorrent  last of ${k} done at ${x(btLast, limit)}   rede-p2p faster: ` +
          mark(fig.fasterThanBitTorrent),
      );
    }
    if (push) console.log(`  push        to ${k} done at ${x(push.seconds, limit)}`);
  }

  await quit(seeder, "source");
  if (bt) {
    bt.seeder.kill("SIGTERM");
    await lan.finish(bt.seeder, "aria2c seed");
  }
  tracker.kill("SIGTERM");
  await lan.finish(tracker, "tracker");
  console.log(
    "BENCH_SWARM " + JSON.stringify({
      sizeBytes: src.size,
      rate: opts.rate.text,
      rounds: opts.rounds,
      cores: CORES,
      limitSeconds: round(limit, 3),
      wireSeconds: round(wire, 3),
      oneDownloadSeconds: round(one.seconds[0], 3),
      oneDownloadMultiple: round(one.seconds[0] / limit, 3),
      classes: results,
    }),
  );
  return 0;
}

if (import.meta.main) Deno.exit(await lanMain(lan, parseOptions, USAGE, run));
