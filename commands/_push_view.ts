/**
 * What a user sees of push: at a target, the question beside the prompt and one line per
 * outcome; at the pusher, one live table of the targets (redrawn in place on a terminal, a line
 * per change of state elsewhere) and a summary. Names from the network (peer names) are made
 * printable here; shared names passed the name rule; every line passes the sanitiser again on
 * its way out (`_ui.ts`).
 */
import Table from "cli-table3";
import { errorLine } from "../core/errors.ts";
import { formatDuration, formatList, type PlainKey, t } from "../core/i18n.ts";
import { MAX_PEER_NAME_CHARS } from "../core/limits.ts";
import { printable, remoteText } from "../core/terminal.ts";
import type { Offer, Target } from "../app/push.ts";
import {
  type AcceptPolicy,
  type DeclineReason,
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
    ? t("push.offerFolder", { name: o.name, count: o.files.length, size: bytes(o.size) })
    : t("push.offerFile", { name: o.name, size: bytes(o.size) });
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
        t("push.ask", { peer: peerName(offer.from.name), what: offerText(offer) }),
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
  const peer = peerName(e.offer.from.name);
  const what = offerText(e.offer);
  const name = e.offer.name;
  switch (e.kind) {
    case "accepted":
      return e.auto ? t("push.acceptedAuto", { peer, what }) : t("push.accepted", { peer, what });
    case "declined":
      return t(DECLINED[e.why], { peer, name });
    case "withdrawn":
      return t("push.withdrew", { peer, name });
    case "received":
      return e.already
        ? t("push.already", { peer, what })
        : t("push.received", { peer, what, duration: formatDuration(e.ms) });
    case "failed": {
      const error = errorLine(e.errors[0]);
      const count = e.offer.files.length;
      return count > 1
        ? t("push.failedSome", { name, peer, failed: e.errors.length, count, error })
        : t("push.failed", { name, peer, error });
    }
  }
}

/** The line of each reason to decline. */
const DECLINED: Record<
  DeclineReason,
  "push.declined" | "push.declinedTimeout" | "push.declinedPolicy" | "push.declinedLeaving"
> = {
  answer: "push.declined",
  timeout: "push.declinedTimeout",
  policy: "push.declinedPolicy",
  leaving: "push.declinedLeaving",
};

/** The word of each state. */
const STATES: Record<Exclude<Target["state"], "downloading">, PlainKey> = {
  connecting: "push.state.connecting",
  asked: "push.state.asked",
  accepted: "push.state.accepted",
  declined: "push.state.declined",
  done: "push.state.done",
  failed: "push.state.failed",
  withdrawn: "push.state.withdrawn",
};

/** The state of a target as a cell: `downloading 42%`, `done`, ... */
function stateText(x: Target, size: number): string {
  const percent = size > 0 ? Math.floor((x.received * 100) / size) : 100;
  const state = x.state === "downloading"
    ? t("push.state.downloading", { percent })
    : x.state === "done" && x.note
    ? t("push.state.doneNote", { note: x.note.toLowerCase() })
    : t(STATES[x.state]);
  return x.unfollowed ? t("push.state.unfollowed", { state }) : state;
}

/**
 * The targets as a table, one line a row (no rules between rows, so that a class fits on a
 * screen), at most `max` rows and a line saying how many more.
 */
function rows(targets: Target[], size: number, max = Infinity): string {
  const table = new Table({
    head: [t("push.col.peer"), t("push.col.address"), t("push.col.state"), t("push.col.rate")],
    style: { head: [], border: [] },
    chars: { "mid": "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  const shown = targets.slice(0, max);
  for (const x of shown) {
    table.push([
      peerName(x.name),
      formatAddress(x.address),
      stateText(x, size),
      (x.state === "downloading" || x.state === "done") && x.rate > 0 ? rate(x.rate, 1000) : "",
    ].map(printable));
  }
  const more = targets.length - shown.length;
  return table.toString() + (more > 0 ? `\n${t("push.more", { count: more })}` : "");
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
  changed(x: Target): void {
    if (this.#screen) return this.#screen.changed();
    const state = x.unfollowed ? "unfollowed" : x.state;
    if (this.#states.get(x) === state || (state === "downloading" && x.received === 0)) return;
    this.#states.set(x, state);
    const line = { peer: peerName(x.name), address: formatAddress(x.address) };
    this.#out(
      x.note && x.state !== "done"
        ? t("push.changeNote", { ...line, state: stateText(x, this.#size), note: x.note })
        : t("push.change", { ...line, state: stateText(x, this.#size) }),
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
  const of = (state: Target["state"]) => targets.filter((x) => x.state === state);
  const who = (x: Target) => `${peerName(x.name)} (${formatAddress(x.address)})`;
  const done = of("done").length;
  const declined = of("declined");
  const failed = of("failed");
  const lines: string[] = [];
  const list = (ts: Target[], note = false) =>
    formatList(ts.map((x) => who(x) + (note && x.note ? ` (${x.note})` : "")));
  if (declined.length) lines.push(t("push.sum.declined", { peers: list(declined, true) }));
  for (const x of failed) {
    const reason = x.note ?? t("push.sum.noReason");
    lines.push(
      t("push.sum.failed", { peer: peerName(x.name), address: formatAddress(x.address), reason }),
    );
  }
  const withdrawn = of("withdrawn");
  if (withdrawn.length) lines.push(t("push.sum.withdrawn", { peers: list(withdrawn) }));
  const going = targets.filter((x) => x.unfollowed);
  if (going.length) lines.push(t("push.sum.unfollowed", { peers: list(going) }));
  lines.push(t("push.summary", {
    what: offerText(offer),
    count: targets.length,
    done,
    declined: declined.length,
    failed: failed.length,
  }));
  return lines;
}
