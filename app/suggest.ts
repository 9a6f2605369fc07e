/**
 * Super-seeding, the serving side of a content held whole: which of its chunks to suggest to a
 * downloader that asks for its have-map. Each chunk has a score (times sent, plus times
 * suggested); a downloader is suggested the lowest-scored chunks, equals taken from a random
 * starting chunk on, a share
 * that shrinks as more peers ask (docs/PROTOCOL.md, Swarming). Downloaders that start together
 * so take different chunks from the one source and trade them, instead of each taking the same
 * rare chunk from it. It is a hint: any chunk asked for is still served.
 */
import {
  SUGGEST_ASKERS,
  SUGGEST_CONTENTS,
  SUGGEST_MAX,
  SUGGEST_MIN,
  SUGGEST_WINDOW_MS,
} from "../core/limits.ts";

interface Scores {
  score: Uint32Array;
  /** When each asker (by address) last asked. */
  askers: Map<string, number>;
}

export class Suggestions {
  #contents = new Map<string, Scores>();
  #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** The chunks of `root` (of `total`) to suggest to the peer at address `from`. */
  pick(root: string, total: number, from: string): number[] {
    const e = this.#scores(root, total);
    const now = this.#now();
    e.askers.delete(from);
    e.askers.set(from, now);
    for (const [who, at] of e.askers) {
      if (now - at <= SUGGEST_WINDOW_MS && e.askers.size <= SUGGEST_ASKERS) break;
      e.askers.delete(who); // Oldest first: the map keeps the order of the last ask.
    }
    const share = Math.ceil(total / e.askers.size);
    const n = Math.min(total, Math.max(SUGGEST_MIN, Math.min(SUGGEST_MAX, share)));
    // The n lowest scores in one pass (n is at most SUGGEST_MAX), from a random first chunk so
    // that equals are taken from a random place; nothing in proportion to the content is made.
    const start = Math.floor(Math.random() * total);
    const out: number[] = [];
    for (let j = 0; j < total; j++) {
      const i = (start + j) % total;
      const score = e.score[i];
      if (out.length === n && score >= e.score[out[n - 1]]) continue;
      let at = out.length;
      while (at > 0 && e.score[out[at - 1]] > score) at--;
      out.splice(at, 0, i);
      if (out.length > n) out.pop();
    }
    for (const i of out) e.score[i]++;
    return out;
  }

  /** Chunk `index` of `root` was sent to someone. */
  sent(root: string, index: number): void {
    const e = this.#contents.get(root);
    if (e && index < e.score.length) e.score[index]++;
  }

  #scores(root: string, total: number): Scores {
    let e = this.#contents.get(root);
    if (e && e.score.length === total) {
      this.#contents.delete(root); // Most recently used last.
      this.#contents.set(root, e);
      return e;
    }
    e = { score: new Uint32Array(total), askers: new Map() };
    this.#contents.set(root, e);
    for (const old of this.#contents.keys()) {
      if (this.#contents.size <= SUGGEST_CONTENTS) break;
      this.#contents.delete(old);
    }
    return e;
  }
}
