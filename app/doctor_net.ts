/**
 * The checks of `rede-p2p doctor` that use the network (app/doctor.ts has the others): whether
 * discovery finds a tracker here, whether the tracker is reachable and admits this machine,
 * whether the tracker can connect back to the port a peer would listen on (the tracker's `reach`,
 * net/tracker_reach.ts), and whether this machine's clock agrees with the tracker's.
 *
 * Each is one {@link Check}; none throws for what it finds. A check that cannot run (no tracker
 * to ask, no join code) says why, as `skip`.
 */
import { errorLine, hasCode } from "../core/errors.ts";
import { formatDuration, t } from "../core/i18n.ts";
import { pause } from "../core/wait.ts";
import { type Address, formatAddress } from "../net/address.ts";
import { discover, type Discovered, localIPv4s } from "../net/discovery.ts";
import { formatId } from "../storage/identity.ts";
import type { Check } from "./doctor.ts";
import { Look } from "./oneshot.ts";

/** A clock further than this from the tracker's is worth a warning. */
export const CLOCK_SKEW_WARN_MS = 2 * 60_000;
/** How long the listener waits for the tracker's connection once the tracker said `open`. */
const ARRIVAL_MS = 2_000;

/** Trackers that answer discovery here, and the check saying so. */
export async function checkDiscovery(
  opts: { on: boolean; listenMs: number; port?: number; via?: string[] },
): Promise<{ check: Check; found: Discovered[] }> {
  if (!opts.on) {
    return {
      check: { id: "discovery", verdict: "skip", line: t("doctor.discovery.off"), data: {} },
      found: [],
    };
  }
  const found = await discover({ listenMs: opts.listenMs, port: opts.port, via: opts.via });
  const data = {
    trackers: found.map((d) => ({ network: d.network, host: d.host, port: d.port, id: d.id })),
  };
  if (found.length === 0) {
    return {
      check: {
        id: "discovery",
        verdict: "warn",
        line: t("doctor.discovery.none"),
        fix: t("doctor.discovery.noneFix"),
        data,
      },
      found,
    };
  }
  const list = found.map((d) => `${d.network} (${formatAddress(d)})`).join(", ");
  return {
    check: {
      id: "discovery",
      verdict: "ok",
      line: t("doctor.discovery.found", { count: found.length, list }),
      data,
    },
    found,
  };
}

/**
 * The tracker: reachable and admitting (with the join code, asked as `join` asks), then the
 * connect-back to `listenPort` (0: a port of the system's choosing, as `join` does by default)
 * and the clock.
 */
export async function checkTracker(opts: {
  tracker: Address;
  code: () => Promise<string>;
  listenPort: number;
}): Promise<Check[]> {
  const where = formatAddress(opts.tracker);
  let look: Look;
  try {
    look = await Look.open({ tracker: opts.tracker, code: opts.code, log: () => {} });
  } catch (err) {
    return [trackerFailure(where, err), skipped("connect_back"), skipped("clock")];
  }
  try {
    const id = look.trust.network?.trackerId;
    const out: Check[] = [{
      id: "tracker",
      verdict: "ok",
      line: t("doctor.tracker.ok", { address: where, id: id ? formatId(id, true) : "?" }),
      data: { address: where, tracker_id: id ?? null },
    }];
    out.push(...await connectBack(look, opts.listenPort));
    return out;
  } finally {
    await look.close();
  }
}

function skipped(id: string): Check {
  return { id, verdict: "skip", line: t("doctor.needsTracker"), data: {} };
}

/** Why the tracker check failed, with the fix for that reason. */
function trackerFailure(where: string, err: unknown): Check {
  const data = { address: where, error: errorLine(err) };
  const line = errorLine(err); // It names the tracker already.
  if (hasCode(err, "BAD_INPUT")) {
    // No join code to give: the tracker answered, and its network is private.
    return { id: "tracker", verdict: "warn", line, fix: t("doctor.tracker.codeFix"), data };
  }
  const fix = hasCode(err, "WRONG_CODE")
    ? t("doctor.tracker.wrongCodeFix")
    : hasCode(err, "IDENTITY")
    ? t("doctor.tracker.identityFix", { address: where })
    : t("doctor.tracker.unreachableFix");
  return { id: "tracker", verdict: "fail", line, fix, data };
}

/** The connect-back and the clock, through an admitted look. */
async function connectBack(look: Look, listenPort: number): Promise<Check[]> {
  let listener: Deno.Listener;
  try {
    listener = Deno.listen({ hostname: "0.0.0.0", port: listenPort });
  } catch (err) {
    return [{
      id: "connect_back",
      verdict: "fail",
      line: t("doctor.back.cannotListen", { port: listenPort, error: errorLine(err) }),
      fix: t("doctor.back.cannotListenFix"),
      data: { port: listenPort },
    }, skipped("clock")];
  }
  const port = (listener.addr as Deno.NetAddr).port;
  let arrived = false;
  const arrival = listener.accept().then((conn) => {
    arrived = true;
    conn.close();
  }, () => {});
  try {
    const asked = Date.now();
    const reply = await look.tracker.reach(port);
    const answered = Date.now();
    if (reply.result === "open") await pause(ARRIVAL_MS, arrival);
    const data = { ip: reply.ip, port, result: reply.result, ms: reply.ms, arrived };
    const local = localIPv4s();
    const behindNat = local.length > 0 && !local.includes(reply.ip);
    const back: Check = reply.result === "open" && arrived
      ? {
        id: "connect_back",
        verdict: behindNat ? "warn" : "ok",
        line: t("doctor.back.ok", { address: `${reply.ip}:${port}`, ms: reply.ms }),
        fix: behindNat ? t("doctor.back.natFix", { ip: reply.ip }) : undefined,
        data,
      }
      : {
        id: "connect_back",
        verdict: "fail",
        line: reply.result === "open"
          ? t("doctor.back.elsewhere", { address: `${reply.ip}:${port}` })
          : t("doctor.back.fail", { address: `${reply.ip}:${port}`, result: reply.result }),
        fix: t("doctor.back.fix"),
        data,
      };
    // The tracker's clock against this one's, allowing for the time the answer took.
    const skew = reply.time - (asked + answered) / 2;
    const clock: Check = {
      id: "clock",
      verdict: Math.abs(skew) > CLOCK_SKEW_WARN_MS ? "warn" : "ok",
      line: Math.abs(skew) < 1_000
        ? t("doctor.clock.same")
        : t(skew >= 0 ? "doctor.clock.behind" : "doctor.clock.ahead", {
          time: formatDuration(Math.abs(skew)),
        }),
      fix: Math.abs(skew) > CLOCK_SKEW_WARN_MS ? t("doctor.clock.fix") : undefined,
      data: { skew_ms: Math.round(skew) },
    };
    return [back, clock];
  } catch (err) {
    return [{
      id: "connect_back",
      verdict: "skip",
      line: t("doctor.back.notAsked", { error: errorLine(err) }),
      data: { port },
    }, skipped("clock")];
  } finally {
    listener.close();
    await arrival;
  }
}
