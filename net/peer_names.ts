/**
 * What a tracker hands out one peer at a time: its names (unique on the network) and, for a
 * while after a peer is lost, what only that peer may take back (its key, its name). Nothing
 * here touches the network. docs/PROTOCOL.md, Tracker, says the rule.
 *
 * A peer asks for a name in `register`; the tracker makes it a peer name (`core/peer_name.ts`)
 * and gives it if no other peer holds it in any case or accent (first come keeps `bruno`), else
 * the first free of `bruno-2`, `bruno-3`, ... up to `bruno-100`, and past those `bruno-` and a
 * random number. A peer that leaves frees its name; a peer that is lost (its connection dropped,
 * its heartbeats missed) keeps it for the same grace as its key, so that it comes back under
 * the same name. Bounded: one name a registered peer, and at most `max` reservations.
 */
import { randomInt } from "node:crypto";
import { cleanPeerName, numberedPeerName, peerNameKey } from "../core/peer_name.ts";

/** Who asks: its identity (ID in TLS), and the token it shows, if any. */
export interface Claimant {
  id: string;
  token?: string;
}

/** A lost peer's hold on something, until a time. */
export interface Reserved {
  id: string;
  token: string;
  until: number;
}

/** Whether `who` is the peer a reservation is kept for: the same identity, or its token. */
export function mayTake(r: { id: string; token: string }, who: Claimant): boolean {
  return r.id === who.id || (who.token !== undefined && who.token === r.token);
}

/**
 * Things kept for lost peers for a while, by key, at most `max` (the oldest goes first). Every
 * reservation lasts the same grace, so the oldest is the first to run out.
 */
export class Reservations {
  #map = new Map<string, Reserved>();

  constructor(readonly max: number, readonly now: () => number = Date.now) {}

  /** Keeps `key` for `owner` until `until`. */
  reserve(key: string, owner: { id: string; token: string }, until: number): void {
    this.#map.delete(key); // To the back: the newest.
    if (this.#map.size >= this.max) this.#map.delete(this.#map.keys().next().value!);
    this.#map.set(key, { id: owner.id, token: owner.token, until });
  }

  /** The reservation of `key` still running, if there is one. */
  get(key: string): Reserved | undefined {
    const now = this.now();
    // Oldest first: drop what ran out.
    for (const [k, r] of this.#map) {
      if (r.until > now) break;
      this.#map.delete(k);
    }
    return this.#map.get(key);
  }

  delete(key: string): void {
    this.#map.delete(key);
  }
}

/** Numbered names tried in order after a clash, before random numbers. */
const NUMBERED = 100;

/** The names of the registered peers, unique in case and accents. */
export class PeerNames {
  /** Each name held, by {@link peerNameKey}. */
  #live = new Map<string, string>();
  #kept: Reservations;

  constructor(maxReserved: number, now?: () => number) {
    this.#kept = new Reservations(maxReserved, now);
  }

  /** Names held now by registered peers. */
  get size(): number {
    return this.#live.size;
  }

  /**
   * Gives `who` a name: the one it asked for, made a peer name, when it is free (or kept for
   * `who`); else the first free numbered one.
   */
  claim(asked: string, who: Claimant): string {
    const wanted = cleanPeerName(asked);
    const free = (name: string) => {
      const key = peerNameKey(name);
      if (this.#live.has(key)) return false;
      const kept = this.#kept.get(key);
      return kept === undefined || mayTake(kept, who);
    };
    let name = free(wanted) ? wanted : undefined;
    // `bruno-2` asked again after a clash is numbered from `bruno`, not `bruno-2-2`.
    const base = wanted.replace(/-\d+$/, "");
    for (let n = 2; name === undefined && n <= NUMBERED; n++) {
      const numbered = numberedPeerName(base, n);
      if (free(numbered)) name = numbered;
    }
    // At most a few tens of thousands of names are held or kept: a draw is almost always free.
    while (name === undefined) {
      const numbered = numberedPeerName(base, randomInt(NUMBERED + 1, 1_000_000_000));
      if (free(numbered)) name = numbered;
    }
    const key = peerNameKey(name);
    this.#kept.delete(key);
    this.#live.set(key, name);
    return name;
  }

  /** Frees a name (its peer left). */
  release(name: string): void {
    this.#live.delete(peerNameKey(name));
  }

  /** Frees a name, but keeps it for `owner` (lost, not gone) until `until`. */
  keep(name: string, owner: { id: string; token: string }, until: number): void {
    this.release(name);
    this.#kept.reserve(peerNameKey(name), owner, until);
  }
}
