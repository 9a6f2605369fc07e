/**
 * The rule on peer names, in one place. A peer name is what people type to name a peer (`ls
 * carla`) and what they read in every message about one, so it must be short, printable, free
 * of spaces, and never mistaken for a row number (`2`) or an address (`10.0.0.7`, `[::1]:9`):
 *
 * - Unicode NFC, 1 to `MAX_PEER_NAME_CHARS` (64) characters (UTF-16 units);
 * - only letters, combining marks, decimal digits, `-` and `_`; so no space, no control, no
 *   bidirectional character, no `.` (a peer name never looks like a file name, a host name or
 *   an IP), no `:`, `#`, `/`, quote or bracket;
 * - it starts and ends with a letter, a mark or a digit (no leading mark) and holds at least one
 *   letter.
 *
 * Names are unique on a network without regard to case, accents and compatibility forms
 * ({@link peerNameKey}): `Bruno`, `bruno` and `brunó` are one name. The tracker applies the rule
 * ({@link cleanPeerName}) and settles clashes (`net/peer_names.ts`); `join --name` refuses a name
 * that breaks it ({@link peerNameProblem}).
 */
import { t } from "./i18n.ts";
import { MAX_PEER_NAME_CHARS } from "./limits.ts";

/** The rule, as said to a user whose `--name` breaks it, in the current language. */
export function peerNameRule(): string {
  return t("names.peer.rule", { max: MAX_PEER_NAME_CHARS });
}

const ALLOWED = /^[\p{L}\p{M}\p{Nd}_-]*$/u;
const NOT_ALLOWED = /[^\p{L}\p{M}\p{Nd}_-]+/gu;
const LETTER = /\p{L}/u;
const START = /^[\p{L}\p{Nd}]/u;
const END = /[\p{L}\p{M}\p{Nd}]$/u;

/** Raw text a tracker looks at, at most: a name's worth with room for escapes to be dropped. */
const RAW_CHARS = 4 * MAX_PEER_NAME_CHARS;

/**
 * Why a name breaks the rule, or `undefined` when it is a peer name.
 *
 * @example
 * ```ts
 * import { peerNameProblem } from "./peer_name.ts";
 * peerNameProblem("bruno-2"); // undefined
 * peerNameProblem("Ana Maria"); // "may hold only letters, digits, '-' and '_' (not a space)"
 * ```
 */
export function peerNameProblem(name: string): string | undefined {
  if (name.length === 0) return t("names.empty");
  if (name.length > MAX_PEER_NAME_CHARS) {
    return t("names.peer.tooLong", { max: MAX_PEER_NAME_CHARS });
  }
  if (!ALLOWED.test(name)) {
    const bad = String.fromCodePoint(name.match(NOT_ALLOWED)![0].codePointAt(0)!);
    if (bad === " ") return t("names.peer.space");
    const shown = /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(bad)
      ? `'${bad}'`
      : `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    return t("names.peer.notAllowed", { char: shown });
  }
  if (name !== name.normalize("NFC")) return t("names.peer.notNfc");
  if (!START.test(name) || !END.test(name)) return t("names.peer.edges");
  if (!LETTER.test(name)) return t("names.peer.letter");
  return undefined;
}

/**
 * Any text made a peer name: the tracker's gate for the name a peer asks for, and the default
 * name taken from the host name. Runs of other characters become `-`, edges are trimmed, a name
 * without a letter gets `peer-` in front, and it is cut to `MAX_PEER_NAME_CHARS`. A name that
 * keeps the rule comes out as it went in.
 *
 * @example
 * ```ts
 * import { cleanPeerName } from "./peer_name.ts";
 * cleanPeerName("Ana Maria"); // "Ana-Maria"
 * cleanPeerName("mal\u001b[31mlory"); // "mal-31mlory"
 * cleanPeerName("42"); // "peer-42"
 * ```
 */
export function cleanPeerName(raw: string): string {
  const name = cutPeerName(
    trimEdges(raw.slice(0, RAW_CHARS).normalize("NFC").replace(NOT_ALLOWED, "-")),
  );
  if (LETTER.test(name)) return name;
  return name ? cutPeerName(`peer-${name}`) : "peer";
}

/**
 * `name` cut to at most `max` characters (never inside a surrogate pair), its end trimmed back
 * to a letter or a digit.
 */
export function cutPeerName(name: string, max = MAX_PEER_NAME_CHARS): string {
  if (name.length <= max) return name;
  let cut = "";
  for (const c of name) {
    if (cut.length + c.length > max) break;
    cut += c;
  }
  return trimEdges(cut) || "peer";
}

/** Without what may not start or end a name. */
function trimEdges(name: string): string {
  return name.replace(/^[^\p{L}\p{Nd}]+/u, "").replace(/[^\p{L}\p{M}\p{Nd}]+$/u, "");
}

/**
 * The form in which two names are the same name: compatibility forms folded (NFKD), accents and
 * other combining marks dropped, lower case. `Bruno`, `BRUNO`, `brunó` and `ｂｒｕｎｏ` share it.
 */
export function peerNameKey(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
}

/**
 * The `n`th name of a clash: `bruno-2`, `bruno-3`... (the base cut so that the whole keeps the
 * length bound).
 */
export function numberedPeerName(base: string, n: number): string {
  const suffix = `-${n}`;
  return `${cutPeerName(base, MAX_PEER_NAME_CHARS - suffix.length)}${suffix}`;
}
