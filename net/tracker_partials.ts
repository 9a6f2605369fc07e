/**
 * What a tracker knows of contents held in part (swarming): for each peer, at most
 * `MAX_PARTIALS_PER_PEER` contents with how many chunks it has, as the peer last said. It
 * adds them to the holders of a content, after the peers that hold it whole. Bounded by the
 * peer count: a few small records a peer.
 */
import { chunkCount, chunkSizeFor } from "../core/content.ts";
import { MAX_PARTIALS_PER_PEER } from "../core/limits.ts";
import type { Holder, PartialHolding, PeerAddress } from "./protocol.ts";

export class PartialHoldings<R extends PeerAddress & { name?: string }> {
  #byRoot = new Map<string, Map<R, number>>();
  #byPeer = new Map<R, string[]>();

  /** Replaces what `rec` holds in part (the first `MAX_PARTIALS_PER_PEER` distinct roots). */
  set(rec: R, list: readonly PartialHolding[]): void {
    this.drop(rec);
    const roots: string[] = [];
    for (const p of list) {
      if (roots.length >= MAX_PARTIALS_PER_PEER) break;
      if (roots.includes(p.root)) continue;
      const total = chunkCount({ size: p.size, chunk_size: chunkSizeFor(p.size) });
      if (p.have === 0 || p.have > total) continue; // Nothing to give, or a claim that cannot be.
      roots.push(p.root);
      const holders = this.#byRoot.get(p.root) ?? new Map<R, number>();
      holders.set(rec, p.have);
      this.#byRoot.set(p.root, holders);
    }
    if (roots.length > 0) this.#byPeer.set(rec, roots);
  }

  /** Forgets what `rec` held (it left, or sent a new list). */
  drop(rec: R): void {
    for (const root of this.#byPeer.get(rec) ?? []) {
      const holders = this.#byRoot.get(root);
      holders?.delete(rec);
      if (holders?.size === 0) this.#byRoot.delete(root);
    }
    this.#byPeer.delete(rec);
  }

  /** `whole` (the peers that hold `root` whole), then its partial holders, most held first. */
  holders(root: string, whole: Holder[], max: number): Holder[] {
    const out: Holder[] = whole.slice(0, max);
    const seen = new Set(out.map((h) => h.id));
    const partial = [...(this.#byRoot.get(root) ?? [])].sort((a, b) => b[1] - a[1]);
    for (const [rec, have] of partial) {
      if (out.length >= max) break;
      if (seen.has(rec.id)) continue;
      seen.add(rec.id);
      out.push({ ip: rec.ip, port: rec.port, id: rec.id, name: rec.name, have });
    }
    return out;
  }
}
