import { errorLine } from "../core/errors.ts";
import { type PlainKey, t } from "../core/i18n.ts";
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
import { DiscoveryResponder } from "../net/discovery.ts";
import { formatAddress, parsePort } from "../net/address.ts";
import { Tracker, type TrackerEvent } from "../net/tracker.ts";
import { type Command, UsageError } from "./_command.ts";
import { FoldedLog, type LogClock } from "./_log_fold.ts";
import { listenSignals } from "./_shell.ts";
import { DISCOVERY_OPTIONS, discoveryInput } from "./_discovery.ts";
import { hostname } from "node:os";
import { cleanPeerName } from "../core/peer_name.ts";

export const serve: Command = {
  name: "serve",
  scopes: ["cli"],
  args: [{ name: "port", optional: true }],
  options: {
    host: { type: "string", value: "HOST", default: "0.0.0.0" },
    code: { type: "string", value: "CODE" },
    open: { type: "boolean" },
    "new-code": { type: "boolean" },
    ...DISCOVERY_OPTIONS,
  },
  examples: [
    "serve",
    "serve 9450",
    "serve --code 'tatu bola 42'",
    "serve 9450 --open",
    "serve --network sala-12",
  ],
  async run({ args, options }, ctx) {
    const port = args[0] === undefined
      ? DEFAULT_TRACKER_PORT
      : args[0] === "0"
      ? 0
      : parsePort(args[0]);
    if (port === undefined) throw new UsageError(t("serve.badPort", { port: args[0] }), serve);
    const given = joinCode(options.code as string | undefined, options.open === true);
    const discovery = discoveryInput(options, serve);
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
    ctx.out(t("serve.listening", { address: formatAddress(tracker.address) }));
    ctx.out(t("serve.trackerId", { id: formatId(creds.fingerprint) }));
    ctx.out(
      code === undefined
        ? t("serve.open")
        : keep && given === undefined
        ? t("serve.joinCodeKept", { code })
        : t("serve.joinCode", { code }),
    );
    for (const host of joinHosts(tracker.address.host)) {
      const where = tracker.address.port === DEFAULT_TRACKER_PORT
        ? formatAddress({ host, port: 0 }).replace(/:0$/, "")
        : formatAddress({ host, port: tracker.address.port });
      ctx.out(t("serve.joinWith", { address: where }));
    }
    const network = discovery.network ?? networkName();
    const responder = discovery.on
      ? await DiscoveryResponder.start({
        host: tracker.address.host,
        port: discovery.port,
        ad: {
          port: tracker.address.port,
          id: creds.fingerprint,
          network,
          open: code === undefined,
        },
      }).then((r) => {
        ctx.out(t("discover.announcing", { network, group: r.group, port: r.port }));
        return r;
      }, (err) => ctx.note(t("discover.serveOff", { reason: errorLine(err) })))
      : undefined;
    const stop = listenSignals({ SIGINT: () => tracker.close(), SIGTERM: () => tracker.close() });
    try {
      await tracker.done;
    } finally {
      stop();
      await responder?.close();
      log.flush();
    }
    ctx.out(`[${timestamp()}] ${t("serve.stopped")}`);
  },
};

/** The join code given with `--code` (checked), if any. */
function joinCode(given: string | undefined, open: boolean): string | undefined {
  if (open && given !== undefined) {
    throw new UsageError(t("serve.codeAndOpen"), serve);
  }
  if (given === undefined) return undefined;
  const n = normalizeCode(given).length;
  if (n < MIN_JOIN_CODE_CHARS || given.length > MAX_JOIN_CODE_CHARS) {
    throw new UsageError(
      t("serve.codeLength", { min: MIN_JOIN_CODE_CHARS, max: MAX_JOIN_CODE_CHARS }),
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
      join: (count) => t("serve.fold.join", { count }),
      leave: (count) => t("serve.fold.leave", { count }),
      refused: (count) => t("serve.fold.refused", { count }),
      error: (count) => t("serve.fold.error", { count }),
    },
    summary: (list, perSecond) => t("serve.fold.summary", { list, perSecond }),
  });
  return {
    event: (e) => {
      const line = logLine(e);
      if (line) folded.line(e.kind, line);
    },
    flush: () => folded.flush(),
  };
}

/** Why a peer left (net/tracker.ts), as the log says it; another reason is shown as it is. */
const LEAVE_REASONS: Record<string, PlainKey> = {
  "quit": "serve.reason.quit",
  "connection lost": "serve.reason.lost",
  "missed heartbeats": "serve.reason.heartbeats",
  "re-registered": "serve.reason.reRegistered",
};

/** The log line of a tracker event; heartbeats are not logged. Peer text is made printable. */
function logLine(e: TrackerEvent): string | undefined {
  switch (e.kind) {
    case "join":
      return t("serve.log.join", { key: e.key, name: printable(e.name), count: e.files });
    case "leave": {
      const key = Object.hasOwn(LEAVE_REASONS, e.reason) ? LEAVE_REASONS[e.reason] : undefined;
      const reason = key ? t(key) : printable(e.reason);
      return t("serve.log.leave", { key: e.key, name: printable(e.name), reason });
    }
    case "refused":
      return t("serve.log.refused", {
        client: formatAddress(e.client),
        reason: printable(e.reason),
      });
    case "error":
      return t("serve.log.error", {
        client: formatAddress(e.client),
        error: printable(errorLine(e.error)),
      });
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

/** The network's name when `--network` is not given: the host name, made a peer-like name. */
function networkName(): string {
  try {
    return cleanPeerName(hostname().split(".")[0] || "rede");
  } catch {
    return "rede";
  }
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
