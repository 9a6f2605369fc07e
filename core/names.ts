/**
 * The rule on shared names, in one place. A shared name is a plain file name, or, for the files
 * of a shared folder, the folder's name and the file's relative path joined with `/`. Each part
 * must be a name that cannot leave a folder on any of the systems rede-p2p runs on.
 *
 * The rule is applied where names enter (a manifest, a message from the network, what the user
 * types) and again where a name becomes a path (`storage/paths.ts`).
 */
import { RedeError } from "./errors.ts";
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
  if (name.length === 0) return "is empty";
  if (encoder.encode(name).length > MAX_FILE_NAME_BYTES) {
    return `is longer than ${MAX_FILE_NAME_BYTES} bytes`;
  }
  // The characters the terminal sanitiser would escape: a shared name is printed as it is.
  if (hasUnsafeChars(name)) return "must not contain control or bidirectional characters";
  if (/[/\\]/.test(name)) return "must not contain '/' or '\\'";
  if (name === "." || name === "..") return "must not be '.' or '..'";
  // Hidden: rede-p2p's own state (`.rede-p2p/`, `.NAME.rede-part`) must never be named.
  if (name.startsWith(".")) return "must not start with '.' (hidden)";
  if (/^[a-zA-Z]:/.test(name)) return "must not start with a drive letter";
  if (/[<>:"|?*]/.test(name)) return 'must not contain any of < > : " | ? *';
  if (WINDOWS_RESERVED.test(name)) return "is a reserved device name on Windows";
  if (name !== name.trim()) return "must not start or end with spaces";
  if (name.endsWith(".")) return "must not end with '.'";
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
  if (name.length === 0) return "is empty";
  if (encoder.encode(name).length > MAX_SHARE_PATH_BYTES) {
    return `is longer than ${MAX_SHARE_PATH_BYTES} bytes`;
  }
  if (name.includes("\\")) return "must not contain '\\'";
  for (const segment of name.split("/")) {
    const problem = shareNameProblem(segment);
    if (problem) {
      return segment === "" ? "has an empty folder name" : `part '${segment}' ${problem}`;
    }
  }
  return undefined;
}

/** The one-line refusal of a name, the same wherever it is refused. */
export function badNameError(name: string, problem: string): RedeError {
  const quoted = remoteText(name, QUOTED_NAME_CHARS);
  return new RedeError("BAD_NAME", `Invalid file name '${quoted}': ${remoteText(problem)}`);
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
