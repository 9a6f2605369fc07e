/**
 * The disk gate: the only code that turns a shared name into a path. It refuses any name that
 * could leave the shared folder itself, whatever the layers above already checked, and refuses
 * to create folders through a link that leads outside.
 */
import { basename, dirname, extname, isAbsolute, relative, resolve, sep } from "node:path";
import { t } from "../core/i18n.ts";
import { assertShareName, badNameError } from "../core/names.ts";

/**
 * The path of a shared name inside `dir`.
 *
 * @param dir The shared folder.
 * @param name A shared name: parts joined by `/`.
 * @returns The absolute path, always inside `dir`.
 * @throws {RedeError} `BAD_NAME` for a name that could leave `dir`, before anything is touched.
 * @example
 * ```ts
 * import { sharedPath } from "./paths.ts";
 * sharedPath("/srv/share", "fotos/a.jpg"); // "/srv/share/fotos/a.jpg"
 * ```
 */
export function sharedPath(dir: string, name: string): string {
  assertShareName(name);
  const root = resolve(dir);
  const path = resolve(root, ...name.split("/"));
  if (!inside(root, path) || path === root) throw badNameError(name, t("names.leaves"));
  return path;
}

/** Where the partial data and its state live for a name: hidden, beside the target. */
export function partialPaths(dir: string, name: string): { data: string; state: string } {
  const target = sharedPath(dir, name);
  const data = resolve(dirname(target), `.${basename(target)}.rede-part`);
  return { data, state: `${data}.json` };
}

/**
 * Creates the folders a shared name needs inside `dir`, after checking that the nearest folder
 * that already exists really lies inside `dir` (not behind a link leading out).
 *
 * @returns The target path.
 * @throws {RedeError} `BAD_NAME` when the name, or a link on its way, leads outside.
 */
export async function prepareTarget(dir: string, name: string): Promise<string> {
  const target = sharedPath(dir, name);
  await Deno.mkdir(dir, { recursive: true }); // The shared folder itself is the user's choice.
  const realRoot = await Deno.realPath(dir);
  let existing = dirname(target);
  while (!(await exists(existing))) existing = dirname(existing);
  if (!inside(realRoot, await Deno.realPath(existing))) {
    throw badNameError(name, t("names.linkOut"));
  }
  await Deno.mkdir(dirname(target), { recursive: true });
  return target;
}

/**
 * Picks a name that no file has and `taken` does not claim: `a.txt`, `a (1).txt`, ...
 */
export async function freeName(
  dir: string,
  name: string,
  taken: (name: string) => boolean = () => false,
): Promise<string> {
  const slash = name.lastIndexOf("/");
  const folder = name.slice(0, slash + 1);
  const base = name.slice(slash + 1);
  const ext = extname(base);
  const stem = ext && ext !== base ? base.slice(0, -ext.length) : base;
  for (let i = 0;; i++) {
    const candidate = folder + (i === 0 ? base : `${stem} (${i})${ext === base ? "" : ext}`);
    if (!taken(candidate) && !(await exists(sharedPath(dir, candidate)))) return candidate;
  }
}

/** Whether something (a file, a folder, a link) is at `path`. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
