import { errorLine } from "../core/errors.ts";
import { printable } from "../core/terminal.ts";
import {
  DEFAULT_TRACKER_PORT,
  MAX_JOIN_CODE_CHARS,
  MIN_JOIN_CODE_CHARS,
  TRACKER_LOG_LINES_PER_SECOND,
} from "../core/limits.ts";
import {
  formatId,
  identityHome,
  loadIdentity,
  loadNetwork,
  saveNetwork,
  TRACKER_IDENTITY,
} from "../storage/identity.ts";
import { newCode, normalizeCode } from "../net/pake.ts";
import { formatAddress, parsePort } from "../net/address.ts";
import { Tracker, type TrackerEvent } from "../net/tracker.ts";
import { type Command, UsageError } from "./_command.ts";
import { FoldedLog, type LogClock } from "./_log_fold.ts";
import { listenSignals } from "./_shell.ts";

export const serve: Command = {
  name: "serve",
  scopes: ["cli"],
  summary: "Run the tracker that keeps the list of connected peers",
  description:
    "Runs the tracker on PORT (default 9450). It prints the address peers should use and logs\n" +
    "every join and leave. Peers are keyed by address and listening port, so several peers on\n" +
    "one machine work. Stop it with Ctrl-C.\n" +
    "The network is private: the tracker prints a join code (new at every start unless --code)\n" +
    "that peers must give to join. With --open anyone on the LAN may join. Either way every\n" +
    "connection is encrypted and both ends are identified (see 'rede-p2p id').",
  args: [{ name: "port", description: "port to listen on (0: any free port)", optional: true }],
  options: {
    host: {
      type: "string",
      value: "HOST",
      description: "address to bind ('::' for IPv6 too)",
      default: "0.0.0.0",
    },
    code: {
      type: "string",
      value: "CODE",
      description: `a fixed join code (at least ${MIN_JOIN_CODE_CHARS} letters or digits)`,
    },
    open: { type: "boolean", description: "an open network: no join code (still encrypted)" },
    "new-code": {
      type: "boolean",
      description: "draw a new join code (else a restart on the same port keeps the last one)",
    },
  },
  examples: ["serve", "serve 9450", "serve --code 'tatu bola 42'", "serve 9450 --open"],
  async run({ args, options }, ctx) {
    const port = args[0] === undefined
      ? DEFAULT_TRACKER_PORT
      : args[0] === "0"
      ? 0
      : parsePort(args[0]);
    if (port === undefined) throw new UsageError(`Invalid port '${args[0]}'`, serve);
    const given = joinCode(options.code as string | undefined, options.open === true);
    const home = identityHome();
    const creds = await loadIdentity(home, TRACKER_IDENTITY);
    // A restart on the same port keeps the network (code and number): its peers come back.
    const last = port === 0 ? undefined : await loadNetwork(home, port);
    const keep = last !== undefined && !options["new-code"] &&
      (options.open
        ? last.code === undefined
        : given === undefined
        ? last.code !== undefined
        : last.code === given);
    const code = options.open ? undefined : keep ? last.code : given ?? newCode();
    const log = trackerLog((line) => ctx.out(`[${timestamp()}] ${line}`));
    const tracker = await Tracker.start({
      host: options.host as string,
      port,
      creds,
      code: code === undefined ? undefined : normalizeCode(code),
      net: keep ? last.net : undefined,
      onEvent: log.event,
    });
    await saveNetwork(home, tracker.address.port, { code, net: tracker.net });
    ctx.out(`rede-p2p tracker listening on ${formatAddress(tracker.address)}`);
    ctx.out(`Tracker ID: ${formatId(creds.fingerprint)}`);
    ctx.out(
      code === undefined
        ? "Open network: anyone on the LAN may join (connections are still encrypted)"
        : `Join code: ${code}` +
          (keep && given === undefined ? " (kept from the last run; --new-code for another)" : ""),
    );
    for (const host of joinHosts(tracker.address.host)) {
      const where = tracker.address.port === DEFAULT_TRACKER_PORT
        ? formatAddress({ host, port: 0 }).replace(/:0$/, "")
        : formatAddress({ host, port: tracker.address.port });
      ctx.out(`Peers join with: rede-p2p join ${where}`);
    }
    const stop = listenSignals({ SIGINT: () => tracker.close(), SIGTERM: () => tracker.close() });
    try {
      await tracker.done;
    } finally {
      stop();
      log.flush();
    }
    ctx.out(`[${timestamp()}] tracker stopped`);
  },
};

/** The join code given with `--code` (checked), if any. */
function joinCode(given: string | undefined, open: boolean): string | undefined {
  if (open && given !== undefined) {
    throw new UsageError("--code and --open exclude each other", serve);
  }
  if (given === undefined) return undefined;
  const n = normalizeCode(given).length;
  if (n < MIN_JOIN_CODE_CHARS || given.length > MAX_JOIN_CODE_CHARS) {
    throw new UsageError(
      `A join code needs ${MIN_JOIN_CODE_CHARS} to ${MAX_JOIN_CODE_CHARS} letters or digits ` +
        `(spaces and dashes do not count)`,
      serve,
    );
  }
  return given;
}

/**
 * The tracker's log: one line per event (heartbeats aside), at most
 * `TRACKER_LOG_LINES_PER_SECOND` a second, the rest counted in a summary line.
 */
export function trackerLog(
  out: (line: string) => void,
  clock?: LogClock,
): { event: (e: TrackerEvent) => void; flush: () => void } {
  const folded = new FoldedLog({
    out,
    clock,
    perSecond: TRACKER_LOG_LINES_PER_SECOND,
    kinds: {
      join: ["join", "joins"],
      leave: ["leave", "leaves"],
      refused: ["refusal", "refusals"],
      error: ["client error", "client errors"],
    },
  });
  return {
    event: (e) => {
      const line = logLine(e);
      if (line) folded.line(e.kind, line);
    },
    flush: () => folded.flush(),
  };
}

/** The log line of a tracker event; heartbeats are not logged. Peer text is made printable. */
function logLine(e: TrackerEvent): string | undefined {
  switch (e.kind) {
    case "join":
      return `join  ${e.key} "${printable(e.name)}" (${e.files} file${e.files === 1 ? "" : "s"})`;
    case "leave":
      return `leave ${e.key} "${printable(e.name)}" (${e.reason})`;
    case "refused":
      return `refused ${formatAddress(e.client)}: ${printable(e.reason)}`;
    case "error":
      return `client ${formatAddress(e.client)}: ${printable(errorLine(e.error))}`;
    case "heartbeat":
      return undefined;
  }
}

/** Local time as `YYYY-MM-DD HH:MM:SS`. */
function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The addresses other machines can reach a tracker bound to `bound` at. */
function joinHosts(bound: string): string[] {
  if (bound !== "0.0.0.0" && bound !== "::") return [bound];
  let hosts: string[] = [];
  try {
    hosts = Deno.networkInterfaces()
      .filter((i) => i.family === "IPv4" && !i.address.startsWith("127."))
      .map((i) => i.address);
  } catch {
    // Interfaces not readable: fall back to loopback.
  }
  return hosts.length ? [...new Set(hosts)] : ["127.0.0.1"];
}
