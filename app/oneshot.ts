/**
 * A one-shot run of a verb on the command line (`rede-p2p peers`, `ls`, `find`, `get`, `push`,
 * `hand-in`): what it connects with, so that the verb does its work with the code the shell
 * uses, then leaves. It is as little of a peer as the verb needs (docs/ARCHITECTURE.md):
 *
 * - a look (`peers`, `find`, `ls`): admission to the tracker only, with a throwaway identity;
 *   no share, no listener, never listed. After `admitted`, `peers`, `find`, `who_has` and
 *   `cert_of` work, and the membership statement lets it list a peer's files.
 * - a fetch (`get`): the node of the shared folder the files land in, admitted but not
 *   registered (`NodeOptions.register`): not listed, so nobody fetches from it once it exits.
 * - a serving peer (`push`, `hand-in`, `get --seed`): the node registered, as `join` makes it,
 *   because the other side fetches from it and looks its name and address up in the tracker's
 *   list by the ID it proved.
 */
import type { Timings } from "../core/limits.ts";
import { timings } from "../core/limits.ts";
import { identityHome, makeIdentity, TrackerPins } from "../storage/identity.ts";
import type { Address } from "../net/address.ts";
import type { Trust } from "../net/membership.ts";
import { TrackerClient } from "../net/tracker_client.ts";
import { Node, type NodeOptions } from "./node.ts";

/** What a session needs of a peer to talk to the network (a {@link Node} is one). */
export interface Link {
  readonly tracker: TrackerClient;
  readonly trust: Trust;
  readonly timings: Timings;
  /** Whether an address is this peer's own listener, as the tracker sees it. */
  isSelf(a: { host: string; port: number }): boolean;
}

export interface LookOptions {
  tracker: Address;
  /** The join code, asked for once if the network turns out to be private. */
  code: () => Promise<string>;
  /** Background lines (the tracker lost and back), once admitted. */
  log: (line: string) => void;
  /** Where the tracker pins live (`identityHome()` unless given). */
  home?: string;
  timings?: Partial<Timings>;
}

/** Admission to the tracker alone, with an identity made for this run: a look at the network. */
export class Look implements Link {
  readonly timings: Timings;

  private constructor(readonly tracker: TrackerClient, readonly trust: Trust, t: Timings) {
    this.timings = t;
  }

  /**
   * Connects and is admitted.
   *
   * @throws {RedeError} when the tracker cannot be reached or refuses (as `join` says it).
   */
  static async open(opts: LookOptions): Promise<Look> {
    const trust: Trust = { creds: await makeIdentity() };
    const t = timings(opts.timings);
    const log = heldLog(opts.log);
    const tracker = new TrackerClient({
      trust,
      code: opts.code,
      pins: new TrackerPins(opts.home ?? identityHome()),
      tracker: opts.tracker,
      port: 0,
      name: "",
      files: () => [],
      log: log.line,
      timings: t,
      admitOnly: true,
    });
    try {
      await tracker.start(true);
    } catch (err) {
      await tracker.close();
      throw err;
    }
    log.release();
    return new Look(tracker, trust, t);
  }

  /** A look has no listener: no address is its own. */
  isSelf(): boolean {
    return false;
  }

  close(): Promise<void> {
    return this.tracker.close();
  }
}

/**
 * The node of a one-shot `get`, `push` or `hand-in`: started, and admitted (`register: false`)
 * or registered.
 *
 * @throws {RedeError} when the tracker cannot be reached or refuses; nothing is left running.
 */
export async function startOneShotNode(opts: NodeOptions): Promise<Node> {
  const log = heldLog(opts.log);
  const node = await Node.start({ ...opts, log: log.line });
  try {
    await node.tracker.start(true);
  } catch (err) {
    await node.close();
    throw err;
  }
  log.release();
  return node;
}

/**
 * A log that holds its lines until released: the lines of a first attempt that fails (`retrying`)
 * are dropped, as the run ends with that failure; those of one that succeeds are then said.
 */
function heldLog(log: (line: string) => void): { line: (l: string) => void; release(): void } {
  let held: string[] | undefined = [];
  return {
    line: (l) => held ? held.push(l) : log(l),
    release: () => {
      const lines = held ?? [];
      held = undefined;
      lines.forEach(log);
    },
  };
}
