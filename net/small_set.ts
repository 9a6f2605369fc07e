/**
 * A set that stays small in memory while small: one member as itself, an array up to
 * {@link SMALL} members, a `Set` beyond. The tracker keeps millions of these (who holds a file,
 * which names have a token), most with one member, where an empty `Set` alone costs more.
 * Members must not be arrays or sets themselves.
 */

const SMALL = 64;

/** A set of `T`: one member as itself, a few in an array, more in a `Set`. */
export type SmallSet<T> = T | T[] | Set<T>;

/** Adds `x` (if absent); returns the set to keep. */
export function addTo<T>(s: SmallSet<T> | undefined, x: T): SmallSet<T> {
  if (s === undefined) return x;
  if (s instanceof Set) return s.add(x);
  if (!Array.isArray(s)) return s === x ? s : [s, x];
  if (s.includes(x)) return s;
  if (s.length < SMALL) {
    s.push(x);
    return s;
  }
  return new Set([...s, x]);
}

/** Removes `x`; returns the set to keep, or `undefined` once it is empty. */
export function removeFrom<T>(s: SmallSet<T> | undefined, x: T): SmallSet<T> | undefined {
  if (s === undefined) return undefined;
  if (s instanceof Set) {
    s.delete(x);
    return s.size === 0 ? undefined : s;
  }
  if (!Array.isArray(s)) return s === x ? undefined : s;
  const i = s.indexOf(x);
  if (i >= 0) {
    s[i] = s[s.length - 1];
    s.pop();
  }
  return s.length === 0 ? undefined : s.length === 1 ? s[0] : s;
}

export function has<T>(s: SmallSet<T> | undefined, x: T): boolean {
  if (s === undefined) return false;
  if (s instanceof Set) return s.has(x);
  return Array.isArray(s) ? s.includes(x) : s === x;
}

export function sizeOf<T>(s: SmallSet<T> | undefined): number {
  if (s === undefined) return 0;
  if (s instanceof Set) return s.size;
  return Array.isArray(s) ? s.length : 1;
}

/** The members, to iterate. */
export function members<T>(s: SmallSet<T> | undefined): Iterable<T> {
  if (s === undefined) return [];
  if (s instanceof Set || Array.isArray(s)) return s;
  return [s];
}
