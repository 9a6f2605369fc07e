/**
 * The terminal sanitiser, the one place that decides what may reach a terminal. Text that came
 * from elsewhere (a peer's name, a file name, a remote error, a message type) passes through
 * here before it is printed, so that it cannot drive the terminal: every character a terminal
 * could act on is shown escaped instead, as `\x1b` or `\u202e`.
 *
 * Escaped: C0 controls (U+0000–U+001F, newline and tab included), DEL (U+007F), C1 controls
 * (U+0080–U+009F, among them the one-character CSI U+009B), the bidirectional controls
 * (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), and the line and paragraph
 * separators (U+2028, U+2029). The name rule (`core/names.ts`) refuses a name holding any of
 * them, so that a shared name never needs escaping.
 */
import { MAX_REMOTE_TEXT_CHARS } from "./limits.ts";

const BIDI_AND_SEPARATORS = "\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069";
const UNSAFE_ALL = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI_AND_SEPARATORS}]`, "g");
/** The same, but for the line breaks (`\n`) the program itself prints between its lines. */
const UNSAFE_BUT_NEWLINE = new RegExp(
  `[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f${BIDI_AND_SEPARATORS}]`,
  "g",
);
const UNSAFE = new RegExp(UNSAFE_ALL.source);

/** The escape of one unsafe character: `\x1b` up to U+00FF, `\u202e` above. */
function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Whether a text holds a character a terminal could act on (see above).
 *
 * @example
 * ```ts
 * import { hasUnsafeChars } from "./terminal.ts";
 * hasUnsafeChars("a.txt"); // false
 * hasUnsafeChars("\u202etxt.exe"); // true
 * ```
 */
export function hasUnsafeChars(text: string): boolean {
  return UNSAFE.test(text);
}

/**
 * One field made printable: every character a terminal could act on, line breaks included, is
 * shown escaped.
 *
 * @example
 * ```ts
 * import { printable } from "./terminal.ts";
 * printable("a\u001b[2Jb"); // "a\\x1b[2Jb"
 * printable("\u202etxt.exe"); // "\\u202etxt.exe"
 * ```
 */
export function printable(text: string): string {
  return text.replace(UNSAFE_ALL, escapeChar);
}

/**
 * Text about to be written to a terminal, made safe as a whole: like {@link printable}, but the
 * line breaks (`\n`) between the program's own lines are kept. Every line the program prints
 * goes through this, whatever its fields went through before.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, escapeChar);
}

/**
 * Text another peer sent, made printable and cut to at most `max` characters (an escape is
 * never cut in two).
 *
 * @example
 * ```ts
 * import { remoteText } from "./terminal.ts";
 * remoteText("x\u0007yz", 6); // "x\\x07y"
 * ```
 */
export function remoteText(text: string, max = MAX_REMOTE_TEXT_CHARS): string {
  let out = "";
  for (const c of text.slice(0, max)) {
    const piece = UNSAFE.test(c) ? escapeChar(c) : c;
    if (out.length + piece.length > max) break;
    out += piece;
  }
  return out;
}
