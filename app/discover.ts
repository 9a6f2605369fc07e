/**
 * Where the tracker is: the address given, else the one tracker that answers discovery on the
 * LAN (`net/discovery.ts`), else one chosen among several. Used by `join` and the one-shot verbs.
 * Discovery is a hint: the tracker found is then checked like one typed (its pinned ID, the join
 * code).
 */
import { RedeError } from "../core/errors.ts";
import { formatList, t } from "../core/i18n.ts";
import { DEFAULT_TRACKER_PORT } from "../core/limits.ts";
import { DISCOVERY_LISTEN_MS } from "../core/limits_discovery.ts";
import { peerNameKey } from "../core/peer_name.ts";
import { formatId } from "../storage/identity.ts";
import { type Address, formatAddress, parseHostPort } from "../net/address.ts";
import { discover, type Discovered } from "../net/discovery.ts";

export type { Discovered };

export interface LocateOptions {
  /** The address given (`--tracker` or the positional `HOST[:PORT]`): used as it is. */
  tracker?: string;
  /** Only a tracker of this network (`--network NAME`), by name as peer names compare. */
  network?: string;
  /** Whether discovery may be used (`--no-discovery` says no). */
  discovery: boolean;
  /** Whether a person can choose among several trackers (`choose` is then asked). */
  interactive: boolean;
  /** How long to listen (ms); {@link DISCOVERY_LISTEN_MS} unless given. */
  listenMs?: number;
  /** Asks the person which of several trackers to use: the index of the one chosen. */
  choose?: (found: readonly Discovered[]) => Promise<number>;
  /** The UDP port of discovery (`--discovery-port`); the default unless given. */
  port?: number;
  /** Local IPv4 addresses to ask through (a peer bound to one asks only there); all else. */
  via?: string[];
  /** Ends the listening early. */
  signal?: AbortSignal;
}

/** A tracker found, as lists name it: `sala-12 (192.168.0.10:9450)`. */
export function describeTracker(d: Discovered): string {
  return t("discover.item", { network: d.network, address: formatAddress(d) });
}

/**
 * The tracker's address: `opts.tracker` if given; else, unless discovery is off, the only
 * tracker that answers within the listening (of `opts.network`, when given), or the one chosen
 * by `opts.choose` when several do and a person is there to choose. The address found carries
 * the ID the tracker announced (`id`, a hint) and its network's name (`name`).
 *
 * @throws {RedeError} `BAD_INPUT` for a bad address, discovery off with no address, or several
 *   trackers and no one to choose; `UNREACHABLE` when no tracker answers. One line each.
 */
export async function locateTracker(opts: LocateOptions): Promise<Address> {
  if (opts.tracker !== undefined) {
    const { host, port } = parseHostPort(opts.tracker, DEFAULT_TRACKER_PORT);
    return { host, port: port! };
  }
  if (!opts.discovery) throw new RedeError("BAD_INPUT", t("discover.off"));
  const listenMs = opts.listenMs ?? DISCOVERY_LISTEN_MS;
  const all = await discover({ listenMs, port: opts.port, via: opts.via, signal: opts.signal });
  const seconds = String(Math.round(listenMs / 100) / 10);
  const wanted = opts.network === undefined ? undefined : peerNameKey(opts.network);
  const found = wanted === undefined ? all : all.filter((d) => peerNameKey(d.network) === wanted);
  if (found.length === 0) {
    if (opts.network === undefined) {
      throw new RedeError("UNREACHABLE", t("discover.none", { seconds }));
    }
    throw new RedeError(
      "UNREACHABLE",
      all.length === 0
        ? t("discover.noneNamed", { network: opts.network, seconds })
        : t("discover.noneNamedOthers", {
          network: opts.network,
          seconds,
          list: formatList(all.map(describeTracker)),
        }),
    );
  }
  let pick = 0;
  if (found.length > 1) {
    if (!opts.interactive || !opts.choose) {
      throw new RedeError(
        "BAD_INPUT",
        t("discover.several", {
          count: found.length,
          list: formatList(found.map(describeTracker)),
        }),
      );
    }
    pick = await opts.choose(found);
    if (!Number.isInteger(pick) || pick < 0 || pick >= found.length) {
      throw new RedeError("BAD_INPUT", t("discover.noChoice"));
    }
  }
  const d = found[pick];
  return { host: d.host, port: d.port, id: d.id, name: d.network };
}

/** One line per tracker, for a person to choose by number. */
export function trackerChoices(found: readonly Discovered[]): string[] {
  return found.map((d, i) =>
    t(d.open ? "discover.choiceOpen" : "discover.choiceCode", {
      n: i + 1,
      network: d.network,
      address: formatAddress(d),
      id: formatId(d.id, true),
    })
  );
}
