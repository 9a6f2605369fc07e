/**
 * The tracker's search index: what `find` looks names up in, so that a query costs in proportion
 * to what it matches rather than to every file of every peer.
 *
 * The semantics stay "the name contains the text, in any case and with or without accents"
 * ({@link searchForm} is the one
 * normalisation, applied to names and texts alike). Names are cut into tokens (maximal runs of
 * letters and digits); tokens of three characters or more are also indexed by their trigrams. A
 * text's longest run must lie inside one token of any name that contains the text, so the
 * candidates are the names of the tokens that contain that run, found through the run's rarest
 * trigram, and each is then checked against the whole text; of the text's runs, the one with the
 * fewest candidates is used. A text with no letter or digit falls back to a scan. Every query
 * stops after `work` steps (tokens and names examined), so the rows of a query that matches more
 * names than that come from the names examined first.
 */

/**
 * The one normalisation of names and search texts: lower case, without accents (`Relatório` and
 * `relatorio` are one), whether a name was written composed or decomposed (as macOS writes
 * names): decomposed, its combining marks dropped.
 */
export function searchForm(text: string): string {
  return text.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
}

/** What the index holds: anything with a name in {@link searchForm}. */
export interface Indexed {
  readonly lower: string;
}

import { TOKEN_CHAR_COST, TOKEN_COST } from "../core/limits.ts";
import { addTo, members, removeFrom, sizeOf, type SmallSet } from "./small_set.ts";

const RUN = /[\p{L}\p{N}]+/gu;
const GRAM = 3;

/** The distinct tokens of a name in search form. */
export function tokensOf(lower: string): string[] {
  return [...new Set(lower.match(RUN) ?? [])];
}

/** The distinct trigrams of a token (none for a shorter token). */
function gramsOf(token: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i + GRAM <= token.length; i++) out.add(token.slice(i, i + GRAM));
  return [...out];
}

/**
 * Accounted bytes of one distinct token (its string, posting and trigram entries): the
 * tracker's state budget counts these apart from the names, as they are shared between names.
 */
export function tokenCost(token: string): number {
  return TOKEN_COST + TOKEN_CHAR_COST * token.length;
}

/** Accounted bytes of the tokens of `names`, each distinct token once, as if none were indexed. */
export function namesTokenCost(names: Iterable<string>): number {
  const seen = new Set<string>();
  let cost = 0;
  for (const name of names) {
    for (const tok of tokensOf(searchForm(name))) {
      if (seen.has(tok)) continue;
      seen.add(tok);
      cost += tokenCost(tok);
    }
  }
  return cost;
}

/** A name index over items of type `T`. */
export class NameIndex<T extends Indexed> {
  /** Token → the items whose name has it. */
  #postings = new Map<string, SmallSet<T>>();
  /** Trigram → the tokens that contain it. */
  #grams = new Map<string, SmallSet<string>>();
  /** Items whose name has no letter or digit at all. */
  #bare = new Set<T>();
  #work = 0;
  #bytes = 0;

  /** Tokens and items the last finished {@link search} examined. */
  get lastWork(): number {
    return this.#work;
  }

  /** Distinct tokens indexed (for tests and figures). */
  get tokens(): number {
    return this.#postings.size;
  }

  /** Accounted bytes of the distinct tokens indexed ({@link tokenCost} each). */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Accounted bytes that indexing `names` would add: the tokens not indexed yet (each once,
   * `counted` remembers them across calls).
   */
  newTokenCost(lower: string, counted: Set<string>): number {
    let cost = 0;
    for (const tok of tokensOf(lower)) {
      if (this.#postings.has(tok) || counted.has(tok)) continue;
      counted.add(tok);
      cost += tokenCost(tok);
    }
    return cost;
  }

  add(item: T): void {
    const tokens = tokensOf(item.lower);
    if (tokens.length === 0) this.#bare.add(item);
    for (const tok of tokens) {
      const set = this.#postings.get(tok);
      if (!set) {
        this.#bytes += tokenCost(tok);
        for (const g of gramsOf(tok)) this.#grams.set(g, addTo(this.#grams.get(g), tok));
      }
      this.#postings.set(tok, addTo(set, item));
    }
  }

  remove(item: T): void {
    const tokens = tokensOf(item.lower);
    if (tokens.length === 0) this.#bare.delete(item);
    for (const tok of tokens) {
      const cur = this.#postings.get(tok);
      if (!cur) continue;
      const set = removeFrom(cur, item);
      if (set) {
        this.#postings.set(tok, set);
        continue;
      }
      this.#postings.delete(tok);
      this.#bytes -= tokenCost(tok);
      for (const g of gramsOf(tok)) {
        const toks = removeFrom(this.#grams.get(g), tok);
        if (toks) this.#grams.set(g, toks);
        else this.#grams.delete(g);
      }
    }
  }

  /**
   * The items whose name contains `text` (any case), each once, examining at most `work`
   * tokens and items in all.
   */
  *search(text: string, work: number): Generator<T> {
    this.#work = 0;
    let left = work;
    try {
      yield* this.#search(searchForm(text), () => (this.#work++, --left >= 0));
    } finally {
      this.#work = Math.min(this.#work, work);
    }
  }

  *#search(needle: string, step: () => boolean): Generator<T> {
    const runs = needle.match(RUN) ?? [];
    const seen = new Set<T>();
    let out = false;
    const check = function* (items: Iterable<T>): Generator<T> {
      for (const item of items) {
        if (!step()) return void (out = true);
        if (seen.has(item) || !item.lower.includes(needle)) continue;
        seen.add(item);
        yield item;
      }
    };
    if (runs.length === 0) {
      // No letter or digit to look up: a scan, capped like any query.
      yield* check(this.#bare);
      for (const set of this.#postings.values()) {
        if (out) return;
        yield* check(members(set));
      }
      return;
    }
    // Each run of the text is a way in: take the one with the fewest candidate names (runs of
    // three characters or more first, as they have trigrams to look them up by).
    const long = [...new Set(runs)].filter((r) => r.length >= GRAM);
    let best: { toks: string[]; size: number } | undefined;
    for (const run of long.length ? long : [...new Set(runs)]) {
      const toks: string[] = [];
      let size = 0;
      let whole = true;
      for (const tok of this.#tokensContaining(run)) {
        if (!step()) {
          whole = false;
          break;
        }
        if (!tok.includes(run)) continue;
        toks.push(tok);
        size += sizeOf(this.#postings.get(tok));
      }
      if (!whole && best) continue;
      if (!best || size < best.size) best = { toks, size: whole ? size : Infinity };
      if (size === 0 && whole) return;
    }
    for (const tok of best?.toks ?? []) {
      if (out) return;
      yield* check(members(this.#postings.get(tok)));
    }
  }

  /** A superset of the tokens that contain `run`: through its rarest trigram when it has one. */
  #tokensContaining(run: string): Iterable<string> {
    if (run.length < GRAM) return this.#postings.keys();
    let best: SmallSet<string> | undefined;
    for (const g of gramsOf(run)) {
      const toks = this.#grams.get(g);
      if (!toks) return [];
      if (!best || sizeOf(toks) < sizeOf(best)) best = toks;
    }
    return members(best);
  }
}
