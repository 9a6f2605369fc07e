/**
 * The tracker's connect-back check (issue 11, `rede-p2p doctor`): a member asks the tracker to
 * open a TCP connection to a port of its own, and the tracker says what it saw: `open` (the
 * connection was accepted), `refused`, `timeout` (nothing answered: a firewall dropping it), or
 * `unreachable` (no route). It tells a stuck user whether other peers can reach the port their
 * peer listens on, which nothing else can see from the inside.
 *
 * It can never be turned on anyone else: the tracker connects only to the address the request's
 * own connection comes from, opens the connection and closes it without a byte sent, at most
 * {@link REACH_AT_ONCE} at a time in all, one at a time for each source, each source at most once
 * every {@link REACH_SPACING_MS}, and the wait is bounded by {@link REACH_TIMEOUT_MS}.
 * docs/PROTOCOL.md, Tracker, `reach`.
 */
import net from "node:net";
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";

/** What a connect-back saw. */
export const REACH_RESULTS = ["open", "refused", "timeout", "unreachable"] as const;
export type ReachResult = (typeof REACH_RESULTS)[number];

/** The longest a connect-back waits for its connection. */
export const REACH_TIMEOUT_MS = 3_000;
/** Connect-backs under way at once, in all; one more is refused `BUSY`. */
export const REACH_AT_ONCE = 16;
/** The least time between two connect-backs for one source; one sooner is refused `BUSY`. */
export const REACH_SPACING_MS = 1_000;
/** Sources remembered for the spacing; the oldest are forgotten first. */
const REMEMBERED_SOURCES = 4096;

/** Opens a TCP connection to `host`:`port` and closes it at once; what happened, and how long. */
export function connectBack(
  host: string,
  port: number,
  timeoutMs = REACH_TIMEOUT_MS,
): Promise<{ result: ReachResult; ms: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let settled = false;
    const done = (result: ReachResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ result, ms: Math.round(performance.now() - start) });
    };
    const timer = setTimeout(() => done("timeout"), timeoutMs);
    socket.once("connect", () => done("open"));
    socket.once("error", (err: Error & { code?: string }) => {
      if (err.code === "ECONNREFUSED") done("refused");
      else if (err.code === "ETIMEDOUT") done("timeout");
      else done("unreachable");
    });
  });
}

/** The tracker's side: who may ask now, and the asking. */
export class ReachBack {
  #running = 0;
  #busy = new Set<string>();
  #last = new Map<string, number>();
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(opts: { timeoutMs?: number; now?: () => number } = {}) {
    this.#timeoutMs = opts.timeoutMs ?? REACH_TIMEOUT_MS;
    this.#now = opts.now ?? Date.now;
  }

  /**
   * Connects back to `host`:`port` for the source `source` (the key its connection counts under).
   *
   * @throws {RedeError} `BUSY` when too many run, this source has one running, or asked too soon.
   */
  async check(
    source: string,
    host: string,
    port: number,
  ): Promise<{ result: ReachResult; ms: number }> {
    const now = this.#now();
    const last = this.#last.get(source);
    if (
      this.#running >= REACH_AT_ONCE || this.#busy.has(source) ||
      (last !== undefined && now - last < REACH_SPACING_MS)
    ) {
      throw new RedeError("BUSY", t("tracker.reachBusy"));
    }
    this.#last.delete(source);
    this.#last.set(source, now);
    if (this.#last.size > REMEMBERED_SOURCES) {
      this.#last.delete(this.#last.keys().next().value!);
    }
    this.#running++;
    this.#busy.add(source);
    try {
      return await connectBack(host, port, this.#timeoutMs);
    } finally {
      this.#running--;
      this.#busy.delete(source);
    }
  }
}
