/**
 * What a user sees of push: at a target, the question beside the prompt and one line per
 * outcome; at the pusher, one live table of the targets (redrawn in place on a terminal, a line
 * per change of state elsewhere) and a summary. Names from the network (peer names) are made
 * printable here; shared names passed the name rule; every line passes the sanitiser again on
 * its way out (`_ui.ts`).
 */
import Table from "cli-table3";
import { errorLine } from "../core/errors.ts";
import { MAX_PEER_NAME_CHARS } from "../core/limits.ts";
import { printable, remoteText } from "../core/terminal.ts";
import type { Offer, Target } from "../app/push.ts";
import {
  type AcceptPolicy,
  type IncomingOffer,
  type PushEvent,
  PushReceiver,
} from "../app/push_receiver.ts";
import { formatAddress } from "../net/address.ts";
import type { Screen } from "./_screen.ts";
import type { Session } from "./_session.ts";
import { bytes, rate } from "./_ui.ts";

/** A peer's name as the tracker listed it, made printable. */
export function peerName(name: string): string {
  return remoteText(name, MAX_PEER_NAME_CHARS) || "?";
}

/** `'prova.pdf' (2.1 MiB)`, or `the folder 'fotos' (12 files, 30 MiB)`. */
export function offerText(
  o: { name: string; files: unknown[]; size: number; folder: boolean },
): string {
  return o.folder
    ? `the folder '${o.name}' (${o.files.length} file(s), ${bytes(o.size)})`
    : `'${o.name}' (${bytes(o.size)})`;
}

/** What answers mean yes (English and Portuguese). */
export function isYes(line: string | null): boolean {
  return line !== null && /^\s*(y|yes|s|sim)\s*$/i.test(line);
}

/**
 * Starts answering offers for the session: all of them with `--accept-push`, none without a
 * shell (no one to ask), else by asking at the prompt. Outcomes go to `log`.
 */
export function receivePushes(
  session: Session,
  mode: { acceptAll: boolean; shell: boolean },
  log: (line: string) => void,
): PushReceiver {
  const ask: AcceptPolicy = async (offer, signal) =>
    isYes(
      await session.ask(
        `${peerName(offer.from.name)} offers ${offerText(offer)}. Accept? [y/N]`,
        signal,
      ),
    );
  return PushReceiver.attach(session.node, session.fetcher, {
    accept: mode.acceptAll ? "always" : mode.shell ? ask : "never",
    onEvent: (e) => log(pushEventLine(e)),
  });
}

/** The line that tells a target's user what became of an offer. */
export function pushEventLine(e: PushEvent): string {
  const who = peerName(e.offer.from.name);
  const what = offerText(e.offer);
  switch (e.kind) {
    case "accepted":
      return e.auto
        ? `Accepted ${who}'s offer of ${what} (--accept-push); downloading`
        : `Accepted; downloading ${what} from ${who}`;
    case "declined":
      return declinedLine(e.why, who, e.offer);
    case "withdrawn":
      return `${who} withdrew the offer of '${e.offer.name}'`;
    case "received":
      return e.already
        ? `${what} pushed by ${who} is already here (same content); nothing to do`
        : `Received ${what} pushed by ${who} in ${(e.ms / 1000).toFixed(1)} s; verified`;
    case "failed": {
      const n = e.errors.length;
      const count = e.offer.files.length > 1 ? ` (${n} of ${e.offer.files.length} files)` : "";
      return `The push of '${e.offer.name}' from ${who} failed${count}: ${errorLine(e.errors[0])}`;
    }
  }
}

function declinedLine(why: string, who: string, offer: IncomingOffer): string {
  const of = `${who}'s offer of '${offer.name}'`;
  switch (why) {
    case "timeout":
      return `No answer to ${of} in time: declined`;
    case "policy":
      return `Declined ${of}: without a shell, pushes are taken only with --accept-push`;
    case "leaving":
      return `Declined ${of}: leaving`;
    default:
      return `Declined ${of}`;
  }
}

/** The state of a target as a cell: `downloading 42%`, `done`, ... */
function stateText(t: Target, size: number): string {
  const pct = size > 0 ? Math.floor((t.received * 100) / size) : 100;
  const state = t.state === "downloading"
    ? `downloading ${pct}%`
    : t.state === "done" && t.note
    ? `done (${t.note.toLowerCase()})`
    : t.state;
  return t.unfollowed ? `${state} (not followed)` : state;
}

/**
 * The targets as a table, one line a row (no rules between rows, so that a class fits on a
 * screen), at most `max` rows and a line saying how many more.
 */
function rows(targets: Target[], size: number, max = Infinity): string {
  const t = new Table({
    head: ["Peer", "Address", "State", "Rate"],
    style: { head: [], border: [] },
    chars: { "mid": "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  const shown = targets.slice(0, max);
  for (const x of shown) {
    t.push([
      peerName(x.name),
      formatAddress(x.address),
      stateText(x, size),
      (x.state === "downloading" || x.state === "done") && x.rate > 0 ? rate(x.rate, 1000) : "",
    ].map(printable));
  }
  const more = targets.length - shown.length;
  return t.toString() + (more > 0 ? `\n… and ${more} more` : "");
}

/**
 * The pusher's view: on a terminal one table redrawn in place (at most every 200 ms); elsewhere
 * a line for each change of a target's state, then the table once at the end.
 */
export class PushBoard {
  #screen?: Screen;
  #out: (line: string) => void;
  #targets: Target[] = [];
  #size: number;
  #remove?: (last?: string) => void;
  #states = new Map<Target, string>();

  constructor(screen: Screen | undefined, out: (line: string) => void, offer: Offer) {
    this.#screen = screen;
    this.#out = out;
    this.#size = offer.size;
  }

  /** The targets, once known. */
  show(targets: Target[]): void {
    this.#targets = targets;
    // Live rows under the lines printed, cut to the screen's height while they change.
    this.#remove ??= this.#screen?.live(() =>
      rows(this.#targets, this.#size, Math.max(3, (this.#screen?.rows ?? 24) - 8))
        .split("\n")
    );
  }

  /** A target changed. */
  changed(t: Target): void {
    if (this.#screen) return this.#screen.changed();
    const state = t.unfollowed ? "unfollowed" : t.state;
    if (this.#states.get(t) === state || (state === "downloading" && t.received === 0)) return;
    this.#states.set(t, state);
    const note = t.note && t.state !== "done" ? `: ${t.note}` : "";
    this.#out(
      `${peerName(t.name)} (${formatAddress(t.address)}): ${stateText(t, this.#size)}${note}`,
    );
  }

  /** The final table. */
  stop(): void {
    if (this.#remove) this.#remove(rows(this.#targets, this.#size));
    else this.#out(rows(this.#targets, this.#size));
    this.#remove = undefined;
  }
}

/**
 * The summary after a push: who declined, who failed and why, who was withdrawn from or goes on
 * unfollowed; then, last, how many got it intact.
 */
export function summary(offer: Offer, targets: Target[]): string[] {
  const of = (state: Target["state"]) => targets.filter((t) => t.state === state);
  const who = (t: Target) => `${peerName(t.name)} (${formatAddress(t.address)})`;
  const done = of("done").length;
  const declined = of("declined");
  const failed = of("failed");
  const lines: string[] = [];
  if (declined.length) {
    lines.push(
      `Declined: ${declined.map((t) => who(t) + (t.note ? ` (${t.note})` : "")).join(", ")}`,
    );
  }
  for (const t of failed) lines.push(`Failed: ${who(t)}: ${t.note ?? "no reason given"}`);
  const withdrawn = of("withdrawn");
  if (withdrawn.length) lines.push(`Withdrawn from: ${withdrawn.map(who).join(", ")}`);
  const going = targets.filter((t) => t.unfollowed);
  if (going.length) {
    lines.push(`Still downloading, no longer followed: ${going.map(who).join(", ")}`);
  }
  lines.push(
    `Pushed ${offerText(offer)} to ${targets.length} peer(s): ${done} got it intact, ` +
      `${declined.length} declined, ${failed.length} failed`,
  );
  return lines;
}
