/**
 * The limits of trust (issue 8; docs/SECURITY.md): join codes and the slow-down of wrong ones.
 * Part of `core/limits.ts`, which re-exports them: import them from there.
 */

/** Digits of a join code a tracker makes up (shown `NNNN-NNNN`): 26.6 bits. */
export const JOIN_CODE_DIGITS = 8;
/** Fewest characters a join code given with `--code` may have (after normalising). */
export const MIN_JOIN_CODE_CHARS = 6;
/** Longest join code, in characters. */
export const MAX_JOIN_CODE_CHARS = 128;
/**
 * How long a source must wait after its Nth wrong join code in a row before the tracker tries
 * another (the last value repeats): an online guesser gets about 2,900 tries a day per source.
 */
export const CODE_FAILURE_DELAYS_MS: readonly number[] = [
  0,
  1_000,
  2_000,
  4_000,
  8_000,
  16_000,
  30_000,
];
/** A source's wrong codes are forgotten this long after its last one. */
export const CODE_FAILURE_MEMORY_MS = 15 * 60_000;
/** Sources whose wrong codes the tracker remembers at once (the oldest is forgotten first). */
export const CODE_FAILURE_SOURCES = 4096;
