/**
 * A small LAN of network namespaces for tests (root only): one namespace holding a bridge `br0`,
 * and one per host with an `eth0` (a veth pair whose other end is a port of the bridge) and its
 * `lo`. Only 192.0.2.0/24 (TEST-NET-1) is used and nothing is routed out, so no traffic leaves
 * the namespaces. Namespaces are named `TAG-PID-KEY`; {@link NetnsLan.close} ends the processes
 * it started (by PID) and removes exactly the namespaces and folders it made.
 *
 * The benchmarks build a richer LAN (link rates, CPU pinning) in `scripts/lan.ts`, which tests
 * may not import.
 */
import { Proc, type Program } from "./harness.ts";

/** Runs a command to its end; throws with its stderr if it fails. */
function sh(cmd: string, ...args: string[]): string {
  const out = new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).outputSync();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`${cmd} ${args.join(" ")}: ${err || `exit status ${out.code}`}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/** Why namespaces cannot be built here (not root, no `ip`), or `undefined` when they can. */
export function netnsProblem(): string | undefined {
  if (Deno.uid() !== 0) return "network namespaces need root";
  try {
    sh("ip", "-V");
  } catch {
    return "the 'ip' command (iproute2) is missing";
  }
  return undefined;
}

export class NetnsLan {
  readonly #tag: string;
  readonly #namespaces: string[] = [];
  readonly #procs: Proc[] = [];
  /** Folders removed by {@link close}. */
  readonly dirs: string[] = [];

  constructor(tag: string) {
    this.#tag = `${tag}-${Deno.pid}`;
  }

  ns(key: string): string {
    return `${this.#tag}-${key}`;
  }

  #add(ns: string): void {
    sh("ip", "netns", "add", ns);
    this.#namespaces.push(ns);
  }

  /** The bridge and the hosts (`key` at most 8 characters), each linked to the bridge. */
  build(hosts: { key: string; ip: string }[]): void {
    const br = this.ns("br");
    this.#add(br);
    sh("ip", "-n", br, "link", "add", "br0", "type", "bridge");
    sh("ip", "-n", br, "link", "set", "br0", "up");
    for (const h of hosts) {
      const ns = this.ns(h.key);
      this.#add(ns);
      const port = `br-${h.key}`;
      sh("ip", "-n", br, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
      sh("ip", "-n", br, "link", "set", port, "master", "br0");
      sh("ip", "-n", br, "link", "set", port, "up");
      sh("ip", "-n", ns, "addr", "add", `${h.ip}/24`, "dev", "eth0");
      sh("ip", "-n", ns, "link", "set", "eth0", "up");
      sh("ip", "-n", ns, "link", "set", "lo", "up");
    }
  }

  /** Starts the program on a host (`ip netns exec`, which execs it: the PID is the program's). */
  spawn(
    key: string,
    program: Program,
    args: string[],
    opts: { cwd?: string; stdin?: boolean; env?: Record<string, string> } = {},
  ): Proc {
    const p = new Proc(program, args, { ...opts, wrap: ["ip", "netns", "exec", this.ns(key)] });
    this.#procs.push(p);
    return p;
  }

  /** Ends its processes, then removes its namespaces (their links go with them) and folders. */
  async close(): Promise<void> {
    await Promise.all(this.#procs.splice(0).map((p) => p.stop()));
    for (const ns of this.#namespaces.splice(0).reverse()) {
      try {
        sh("ip", "netns", "del", ns);
      } catch {
        // Already gone.
      }
    }
    for (const dir of this.dirs.splice(0)) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
}
