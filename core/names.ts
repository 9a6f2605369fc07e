/**
 * The rule on shared names, in one place. A shared name is a plain file name, or, for the files
 * of a shared folder, the folder's name and the file's relative path joined with `/`. Each part
 * must be a name that cannot leave a folder on any of the systems rede-p2p runs on.
 *
 * The rule is applied where names enter (a manifest, a message from the network, what the user
 * types) and again where a name becomes a path (`storage/paths.ts`).
 */
import { RedeError } from "./errors.ts";
import { t } from "./i18n.ts";
import { MAX_FILE_NAME_BYTES, MAX_SHARE_PATH_BYTES, QUOTED_NAME_CHARS } from "./limits.ts";
import { hasUnsafeChars, remoteText } from "./terminal.ts";

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const encoder = new TextEncoder();

/**
 * Checks that a name is a plain file name that cannot leave the folder it is in, cannot drive a
 * terminal, and is not hidden.
 *
 * @param name The name as given by a user, a manifest or the network.
 * @returns The reason the name is refused, or `undefined` when it is acceptable.
 * @example
 * ```ts
 * import { shareNameProblem } from "./names.ts";
 * shareNameProblem("a.txt"); // undefined
 * shareNameProblem("../../etc/passwd"); // "must not contain '/' or '\\'"
 * ```
 */
export function shareNameProblem(name: string): string | undefined {
  if (name.length === 0) return t("names.empty");
  if (encoder.encode(name).length > MAX_FILE_NAME_BYTES) {
    return t("names.tooLong", { max: MAX_FILE_NAME_BYTES });
  }
  // The characters the terminal sanitiser would escape: a shared name is printed as it is.
  if (hasUnsafeChars(name)) return t("names.unsafeChars");
  if (/[/\\]/.test(name)) return t("names.slash");
  if (name === "." || name === "..") return t("names.dots");
  // Hidden: rede-p2p's own state (`.rede-p2p/`, `.NAME.rede-part`) must never be named.
  if (name.startsWith(".")) return t("names.hidden");
  if (/^[a-zA-Z]:/.test(name)) return t("names.drive");
  if (/[<>:"|?*]/.test(name)) return t("names.windowsChars");
  if (WINDOWS_RESERVED.test(name)) return t("names.reserved");
  if (name !== name.trim()) return t("names.spaces");
  if (name.endsWith(".")) return t("names.endDot");
  return undefined;
}

/**
 * Checks a shared name that may name a file inside a shared folder: parts joined by `/`, each of
 * them a valid file name.
 *
 * @returns The reason the name is refused, or `undefined` when it is acceptable.
 * @example
 * ```ts
 * import { sharePathProblem } from "./names.ts";
 * sharePathProblem("fotos/2024/a.jpg"); // undefined
 * sharePathProblem("fotos/../../x"); // "part '..' must not be '.' or '..'"
 * ```
 */
export function sharePathProblem(name: string): string | undefined {
  if (name.length === 0) return t("names.empty");
  if (encoder.encode(name).length > MAX_SHARE_PATH_BYTES) {
    return t("names.tooLong", { max: MAX_SHARE_PATH_BYTES });
  }
  if (name.includes("\\")) return t("names.backslash");
  for (const segment of name.split("/")) {
    const problem = shareNameProblem(segment);
    if (problem) {
      return segment === "" ? t("names.emptyFolder") : t("names.part", { part: segment, problem });
    }
  }
  return undefined;
}

/** The one-line refusal of a name, the same wherever it is refused. */
export function badNameError(name: string, problem: string): RedeError {
  const quoted = remoteText(name, QUOTED_NAME_CHARS);
  return new RedeError(
    "BAD_NAME",
    t("names.invalid", { name: quoted, problem: remoteText(problem) }),
  );
}

/**
 * Refuses a shared name that breaks the rule.
 *
 * @throws {RedeError} `BAD_NAME`, saying which part is wrong and why.
 */
export function assertShareName(name: string): void {
  const problem = sharePathProblem(name);
  if (problem !== undefined) throw badNameError(name, problem);
}
