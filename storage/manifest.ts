/**
 * The manifest, `meus_arquivos.txt`: which files a peer shares, one entry a line.
 *
 * - `NAME PATH`: share the file at PATH under NAME. A relative PATH is resolved against the
 *   manifest's folder; `/` and `\` both separate folders.
 * - `NAME` alone: the file of that name in the shared folder.
 * - Fields are separated by spaces or tabs. A field with spaces is written in double quotes:
 *   `"my notes.txt" "docs/my notes.txt"`. There are no escapes: names cannot contain `"`, and
 *   Windows paths keep their backslashes as they are.
 * - Blank lines and lines starting with `#` are ignored; a UTF-8 BOM and CRLF line ends are
 *   accepted.
 * - A bad line is reported with its number and skipped; a name listed twice keeps its first
 *   line. Parsing never throws.
 */
import { dirname, isAbsolute, relative, resolve, sep, win32 } from "node:path";
import { t } from "../core/i18n.ts";
import { shareNameProblem } from "../core/names.ts";

export interface ManifestEntry {
  name: string;
  /** Absolute path of the file. */
  path: string;
  line: number;
}

export interface ManifestProblem {
  line: number;
  /** Starts with `Line N: ` (in the current language). */
  message: string;
}

export interface ParsedManifest {
  entries: ManifestEntry[];
  problems: ManifestProblem[];
}

const IS_WINDOWS = Deno.build.os === "windows";

/**
 * Parses manifest text.
 *
 * @param text The manifest's contents.
 * @param manifestDir The folder holding the manifest, for relative paths.
 * @param shareDir The shared folder, for lines with a name alone.
 * @returns The entries, and one problem per skipped line.
 */
export function parseManifest(text: string, manifestDir: string, shareDir: string): ParsedManifest {
  const entries: ManifestEntry[] = [];
  const problems: ManifestProblem[] = [];
  const firstLine = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const fail = (problem: string) =>
      problems.push({ line, message: t("manifest.atLine", { line, problem }) });
    const fields = _splitFields(trimmed);
    if (typeof fields === "string") return fail(fields);
    if (fields.length > 2) {
      return fail(t("manifest.fields", { count: fields.length }));
    }
    // Names are shared in NFC, however they were typed or the disk spells them.
    const [typed, pathText] = fields;
    const name = typed.normalize("NFC");
    const problem = shareNameProblem(name);
    if (problem) return fail(t("manifest.badName", { name, problem }));
    const path = pathText === undefined
      ? resolve(shareDir, typed)
      : _resolvePath(pathText, manifestDir);
    if (path === undefined) return fail(t("manifest.windowsPath", { path: pathText }));
    const first = firstLine.get(name);
    if (first !== undefined) {
      return fail(t("manifest.duplicate", { name, first }));
    }
    firstLine.set(name, line);
    entries.push({ name, path, line });
  });
  return { entries, problems };
}

/** Splits a line into fields, or returns why it cannot be split. */
function _splitFields(line: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === " " || line[i] === "\t") {
      i++;
      continue;
    }
    if (line[i] === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0) return t("manifest.unterminated");
      if (end === i + 1) return t("manifest.emptyQuoted");
      const after = line[end + 1];
      if (after !== undefined && after !== " " && after !== "\t") {
        return t("manifest.afterQuote");
      }
      fields.push(line.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = i;
      while (end < line.length && line[end] !== " " && line[end] !== "\t") end++;
      fields.push(line.slice(i, end));
      i = end;
    }
  }
  return fields;
}

/** Resolves a manifest path; `undefined` for a Windows absolute path on another system. */
function _resolvePath(text: string, manifestDir: string): string | undefined {
  if (/^[a-zA-Z]:[\\/]|^\\\\/.test(text)) {
    return IS_WINDOWS ? win32.normalize(text) : undefined;
  }
  const native = IS_WINDOWS ? text : text.replaceAll("\\", "/");
  return isAbsolute(native) ? resolve(native) : resolve(manifestDir, native);
}

/**
 * Reads and parses a manifest.
 *
 * @returns The parsed manifest, or `undefined` when there is no such file.
 */
export async function readManifest(
  manifestPath: string,
  shareDir: string,
): Promise<ParsedManifest | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(manifestPath);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
  return parseManifest(text, dirname(resolve(manifestPath)), resolve(shareDir));
}

/**
 * One manifest line for a name and a path, quoting a field only where it needs it.
 *
 * @throws {TypeError} when a field contains `"`, which the format cannot carry.
 */
export function formatManifestLine(name: string, path: string): string {
  const field = (s: string) => {
    if (s.includes('"')) throw new TypeError(t("manifest.quote", { text: s }));
    return /[\s]/.test(s) || s.startsWith("#") ? `"${s}"` : s;
  };
  return `${field(name)} ${field(path)}`;
}

/**
 * Adds an entry at the end of a manifest, creating it if needed. The path is written relative
 * to the manifest's folder (with `/`) when it lies inside it, else absolute.
 */
export async function appendManifestEntry(
  manifestPath: string,
  name: string,
  targetPath: string,
): Promise<void> {
  let existing = "";
  try {
    existing = await Deno.readTextFile(manifestPath);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const rel = relative(dirname(resolve(manifestPath)), resolve(targetPath));
  const written = rel && !rel.startsWith("..") && !isAbsolute(rel)
    ? rel.split(sep).join("/")
    : resolve(targetPath);
  const lead = existing === "" || /[\r\n]$/.test(existing) ? "" : eol;
  await Deno.writeTextFile(manifestPath, lead + formatManifestLine(name, written) + eol, {
    append: true,
  });
}
