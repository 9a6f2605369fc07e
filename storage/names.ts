import { MAX_FILE_NAME_BYTES } from "../net/limits.ts";

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * Checks that a shared file name is a plain file name that cannot leave the share.
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
  if (new TextEncoder().encode(name).length > MAX_FILE_NAME_BYTES) {
    return `is longer than ${MAX_FILE_NAME_BYTES} bytes`;
  }
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return "must not contain control characters";
  if (/[/\\]/.test(name)) return "must not contain '/' or '\\'";
  if (name === "." || name === "..") return "must not be '.' or '..'";
  if (/^[a-zA-Z]:/.test(name)) return "must not start with a drive letter";
  if (/[<>:"|?*]/.test(name)) return 'must not contain any of < > : " | ? *';
  if (WINDOWS_RESERVED.test(name)) return "is a reserved device name on Windows";
  if (name !== name.trim()) return "must not start or end with spaces";
  if (name.endsWith(".")) return "must not end with '.'";
  return undefined;
}

/** Replaces control characters so that text from the network cannot drive the terminal. */
export function printable(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

/** Longest shared path (a file inside a shared folder), in UTF-8 bytes. */
export const MAX_SHARE_PATH_BYTES = 1024;

/**
 * Checks a shared name that may name a file inside a shared folder: segments joined by `/`,
 * each of them a valid file name.
 *
 * @returns The reason the name is refused, or `undefined` when it is acceptable.
 */
export function sharePathProblem(name: string): string | undefined {
  if (name.length === 0) return "is empty";
  if (new TextEncoder().encode(name).length > MAX_SHARE_PATH_BYTES) {
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
