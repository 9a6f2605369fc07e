import { errorLine } from "../core/errors.ts";
import { printable } from "../core/terminal.ts";
import { DEFAULT_TRACKER_PORT, TRACKER_LOG_LINES_PER_SECOND } from "../core/limits.ts";
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
    "one machine work. Stop it with Ctrl-C.",
  args: [{ name: "port", description: "port to listen on (0: any free port)", optional: true }],
  options: {
    host: {
      type: "string",
      value: "HOST",
      description: "address to bind ('::' for IPv6 too)",
      default: "0.0.0.0",
    },
  },
  examples: ["serve", "serve 9450", "serve 9450 --host 127.0.0.1"],
  async run({ args, options }, ctx) {
    const port = args[0] === undefined
      ? DEFAULT_TRACKER_PORT
      : args[0] === "0"
      ? 0
      : parsePort(args[0]);
    if (port === undefined) throw new UsageError(`Invalid port '${args[0]}'`, serve);
    const log = trackerLog((line) => ctx.out(`[${timestamp()}] ${line}`));
    const tracker = new Tracker({ host: options.host as string, port, onEvent: log.event });
    ctx.out(`rede-p2p tracker listening on ${formatAddress(tracker.address)}`);
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
