/**
 * The terminal sanitiser: text that came from elsewhere (a peer's name, a file name, a remote
 * error) passes through here before it is printed, so that it cannot drive the terminal.
 */
import { MAX_REMOTE_TEXT_CHARS } from "./limits.ts";

/**
 * Replaces control characters (C0, DEL and C1) with `?`.
 *
 * @example
 * ```ts
 * import { printable } from "./terminal.ts";
 * printable("a\u001b[2Jb"); // "a?[2Jb"
 * ```
 */
export function printable(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

/** Text another peer sent, cut to `max` characters and made printable. */
export function remoteText(text: string, max = MAX_REMOTE_TEXT_CHARS): string {
  return printable(text.slice(0, max));
}
