/**
 * The emulated LAN of the benchmarks whose traffic crosses a network (`bench:lan`,
 * `bench:swarm`), built by the benchmark and torn down by it: at the end, on an error, on SIGINT
 * or SIGTERM and on its overall timeout ({@link runOnLan}).
 *
 * - One network namespace per host, named `rp-bench-PID-KEY`, and `rp-bench-PID-br`, which holds
 *   only a bridge `br0`. Each host has an `eth0` (MTU 1500, a veth pair whose other end, `br-KEY`,
 *   is a port of `br0`) and its `lo`. Only 192.0.2.0/24 (TEST-NET-1) is used and nothing is
 *   routed out of the namespaces, so no traffic leaves them.
 * - The link speed is a `tbf` qdisc ({@link Lan.setRate}) on the egress of every host's `eth0`
 *   (what the host sends) and, with `both`, on the egress of its bridge port too (what it
 *   receives), as a switch port of that speed would be in both directions.
 * - Every process runs as `ip netns exec NS taskset -c CORE PROGRAM ...` (both exec, so the PID
 *   the benchmark gets is the program's), on its host's core.
 *
 * Everything the LAN starts or makes (processes by PID, namespaces by name, folders) is recorded,
 * so that every exit path removes exactly that and nothing else.
 */
import { Proc, type Program } from "../testing/harness.ts";
import { within } from "./bench.ts";

/** The tbf bucket: this much time at the link rate, and never under MIN_BURST_BYTES. */
const BURST_MS = 1;
const MIN_BURST_BYTES = 128 * 1024;
export const TBF_LATENCY = "5ms";
/** Longest a process may take to leave once asked to (a guard, not a sync point). */
export const EXIT_GUARD_MS = 30_000;

export interface LinkRate {
  text: string;
  bitsPerSecond: number;
  /**
   * The bucket: the bytes of {@link BURST_MS} at the rate, never under {@link MIN_BURST_BYTES}
   * (two 64 KiB GSO packets). It must hold at least one (GSO) packet and should cover how late the
   * qdisc may be served: tokens beyond it are lost, so a bucket of a few packets caps well below
   * the rate at 10 Gbit/s. The latency bounds the queue (rate × latency + burst).
   */
  burstBytes: number;
}

/** A rate like `100mbit`, `1gbit` or `10gbit`; `flag` names the option in errors. */
export function parseRate(text: string, flag: string): LinkRate {
  const m = /^(\d+(?:\.\d+)?)([kmg])bit$/i.exec(text.trim());
  if (!m) throw new Error(`${flag}: '${text}' is not a rate like 100mbit, 1gbit or 10gbit`);
  const bitsPerSecond = Number(m[1]) * { k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase() as "k"];
  if (!(bitsPerSecond >= 1e6)) throw new Error(`${flag}: '${text}' is below 1mbit`);
  const burstBytes = Math.max(MIN_BURST_BYTES, Math.ceil((bitsPerSecond / 8) * BURST_MS / 1000));
  return { text: text.trim().toLowerCase(), bitsPerSecond, burstBytes };
}

/** Runs a command to its end; throws with its stderr if it fails. */
export function sh(cmd: string, ...args: string[]): string {
  const out = new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).outputSync();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`${cmd} ${args.join(" ")}: ${err || `exit status ${out.code}`}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/** The machine's CPU time so far (all cores, in clock ticks): busy, and in all. */
export function cpuTicks(): { busy: number; all: number } {
  // Deno asks for --allow-all to read /proc/stat itself; `cat` may.
  const line = sh("cat", "/proc/stat").split("\n")[0];
  const t = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (t[3] ?? 0) + (t[4] ?? 0); // idle + iowait
  const all = t.slice(0, 8).reduce((a, b) => a + b, 0); // Guest time is counted in user already.
  return { busy: all - idle, all };
}

/** The share of the machine's CPU busy since `from` (0 to 1). */
export function cpuBusySince(from: { busy: number; all: number }): number {
  const now = cpuTicks();
  return (now.busy - from.busy) / Math.max(1, now.all - from.all);
}

/** A host of the LAN: `key` names its namespace and bridge port (at most 12 characters). */
export interface HostSpec {
  key: string;
  ip: string;
  core: number;
}

export class Lan {
  readonly tag = `rp-bench-${Deno.pid}`;
  readonly hosts = new Map<string, HostSpec>();
  readonly #procs = new Set<Proc>();
  readonly #children = new Set<Deno.ChildProcess>();
  readonly #namespaces: string[] = [];
  readonly #tempDirs = new Set<string>();

  /** @param tool The benchmark's name, for messages (`bench:swarm`). */
  constructor(readonly tool: string) {}

  ns(key: string): string {
    return `${this.tag}-${key}`;
  }

  /** Adds the bridge's namespace: whether `ip netns` is usable here at all. */
  probe(): void {
    sh("ip", "netns", "add", this.ns("br"));
    this.#namespaces.push(this.ns("br"));
  }

  /** Adds the hosts, each with its link to the bridge (after {@link probe}). */
  build(hosts: HostSpec[]): void {
    const br = this.ns("br");
    if (!this.#namespaces.includes(br)) this.probe();
    if (this.hosts.size === 0) {
      sh("ip", "-n", br, "link", "add", "br0", "type", "bridge");
      sh("ip", "-n", br, "link", "set", "br0", "up");
    }
    for (const h of hosts) {
      const ns = this.ns(h.key);
      sh("ip", "netns", "add", ns);
      this.#namespaces.push(ns);
      this.hosts.set(h.key, h);
      const port = `br-${h.key}`;
      sh("ip", "-n", br, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
      sh("ip", "-n", br, "link", "set", port, "master", "br0");
      sh("ip", "-n", br, "link", "set", port, "up");
      sh("ip", "-n", ns, "addr", "add", `${h.ip}/24`, "dev", "eth0");
      sh("ip", "-n", ns, "link", "set", "eth0", "up");
      sh("ip", "-n", ns, "link", "set", "lo", "up");
    }
  }

  /**
   * Caps every host's link at `r`: `tc qdisc replace dev eth0 root tbf rate RATE burst BURST
   * latency 5ms` in the host's namespace, and with `both` the same on its bridge port.
   */
  setRate(r: LinkRate, opts: { both?: boolean } = {}): void {
    const tbf = ["root", "tbf", "rate", r.text, "burst", String(r.burstBytes)];
    for (const key of this.hosts.keys()) {
      sh(
        "tc",
        "-n",
        this.ns(key),
        "qdisc",
        "replace",
        "dev",
        "eth0",
        ...tbf,
        "latency",
        TBF_LATENCY,
      );
      if (opts.both) {
        const port = `br-${key}`;
        sh(
          "tc",
          "-n",
          this.ns("br"),
          "qdisc",
          "replace",
          "dev",
          port,
          ...tbf,
          "latency",
          TBF_LATENCY,
        );
      }
    }
  }

  /** What tc says about a host's qdisc (sent, dropped, overlimits), for a report. */
  qdiscStats(key: string): string {
    return sh("tc", "-n", this.ns(key), "-s", "qdisc", "show", "dev", "eth0").trim().split("\n")
      .map((l) => l.trim()).join("; ");
  }

  /** The command prefix that runs a program on a host: its namespace, its core. */
  onHost(key: string): string[] {
    const h = this.hosts.get(key);
    if (!h) throw new Error(`no host ${key} on this LAN`);
    return ["ip", "netns", "exec", this.ns(key), "taskset", "-c", String(h.core)];
  }

  /** Starts a program on a host, its lines read; ended by {@link finish} or the cleanup. */
  spawn(
    key: string,
    program: Program,
    args: string[],
    opts: { cwd?: string; stdin?: boolean; env?: Record<string, string> } = {},
  ): Proc {
    const p = new Proc(program, args, { ...opts, wrap: this.onHost(key) });
    this.#procs.add(p);
    return p;
  }

  /** Starts a command on a host with its output piped, for the caller to read and end. */
  child(key: string, cmd: string, args: string[]): Deno.ChildProcess {
    const [ip, ...pre] = this.onHost(key);
    const c = new Deno.Command(ip, {
      args: [...pre, cmd, ...args],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    this.#children.add(c);
    return c;
  }

  /** Kills a {@link child} (by its PID) and waits for it. */
  async endChild(c: Deno.ChildProcess): Promise<void> {
    try {
      c.kill("SIGKILL");
    } catch {
      // Gone already.
    }
    await c.status;
    this.#children.delete(c);
  }

  /** Lets a process leave on its own (after `quit` or a signal), killing it if it does not. */
  async finish(p: Proc, what: string): Promise<Deno.CommandStatus> {
    try {
      return await within(p.done, EXIT_GUARD_MS, `${what} did not exit`);
    } finally {
      await p.stop();
      this.#procs.delete(p);
    }
  }

  /** A temporary folder, removed with the LAN. */
  async tempDir(dir: string | undefined, prefix: string): Promise<string> {
    const d = await Deno.makeTempDir({ dir, prefix });
    this.#tempDirs.add(d);
    return d;
  }

  /** Ends every process still running (by PID) and waits for them. */
  async stopAll(): Promise<void> {
    for (const p of this.#procs) await p.stop();
    this.#procs.clear();
  }

  /** Kills this run's processes (by PID), deletes its namespaces (by name) and folders. */
  cleanupSync(): void {
    for (const p of this.#procs) p.kill("SIGKILL");
    for (const c of this.#children) {
      try {
        c.kill("SIGKILL");
      } catch {
        // Gone already.
      }
    }
    for (const ns of this.#namespaces.splice(0).reverse()) {
      try {
        sh("ip", "netns", "del", ns);
      } catch (err) {
        console.error(`${this.tool}: could not delete namespace ${ns}: ${(err as Error).message}`);
      }
    }
    this.hosts.clear();
    for (const d of this.#tempDirs) {
      try {
        Deno.removeSync(d, { recursive: true });
      } catch {
        // Gone already.
      }
    }
    this.#tempDirs.clear();
  }
}

/**
 * Runs a benchmark that needs the LAN: without root on Linux, or without a working `ip netns`,
 * prints one line saying so and returns 0. Otherwise runs `body` under an overall timeout
 * (`timeoutMin`: every process killed, the LAN removed, exit 124) and SIGINT/SIGTERM (130/143),
 * and removes everything on the way out. An error thrown by `body` is one `FAILED` line, 1.
 */
export async function runOnLan(
  lan: Lan,
  timeoutMin: number,
  body: () => Promise<number>,
): Promise<number> {
  const skip = (why: string) => {
    console.log(
      `${lan.tool} needs root on Linux with 'ip netns' (network namespaces), skipped: ${why}`,
    );
    return 0;
  };
  if (Deno.build.os !== "linux") return skip(`this is ${Deno.build.os}`);
  if (Deno.uid() !== 0) return skip(`uid is ${Deno.uid()}`);
  try {
    lan.probe();
  } catch (err) {
    lan.cleanupSync();
    return skip((err as Error).message);
  }
  const emergencyExit = (reason: string, status: number): never => {
    console.error(`${lan.tool}: ${reason}; killing this run's processes and removing its LAN`);
    lan.cleanupSync();
    Deno.exit(status);
  };
  const deadline = setTimeout(
    () => emergencyExit(`overall timeout of ${timeoutMin} min reached`, 124),
    timeoutMin * 60_000,
  );
  const onInt = () => emergencyExit("interrupted (SIGINT)", 130);
  const onTerm = () => emergencyExit("terminated (SIGTERM)", 143);
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGTERM", onTerm);
  try {
    return await body();
  } catch (err) {
    console.error(`${lan.tool}: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await lan.stopAll();
    lan.cleanupSync();
    Deno.removeSignalListener("SIGINT", onInt);
    Deno.removeSignalListener("SIGTERM", onTerm);
    clearTimeout(deadline);
  }
}

/**
 * A LAN benchmark's entry: its options parsed by `parse` (a mistake is one line and the usage,
 * exit 2), then `run` on the LAN through {@link runOnLan}.
 */
export async function lanMain<O extends { timeoutMin: number }>(
  lan: Lan,
  parse: (argv: string[]) => O,
  usage: string,
  run: (opts: O) => Promise<number>,
): Promise<number> {
  let opts: O;
  try {
    opts = parse(Deno.args);
  } catch (err) {
    console.error(`${lan.tool}: ${(err as Error).message}\n${usage}`);
    return 2;
  }
  return await runOnLan(lan, opts.timeoutMin, () => run(opts));
}
