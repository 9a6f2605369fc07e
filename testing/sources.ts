/**
 * The product's own source files, for tests that read the code rather than run it (the catalogue
 * checks of issue 10): every `.ts` file under core/, storage/, net/, app/ and commands/, and
 * main.ts; the catalogues themselves (core/messages/) left out.
 */
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The text of every product file but the catalogues, by its path from the root. */
export async function productSources(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory) await walk(path);
      else if (e.name.endsWith(".ts")) out.set(relative(ROOT, path), await Deno.readTextFile(path));
    }
  };
  for (const folder of ["core", "storage", "net", "app", "commands"]) {
    await walk(join(ROOT, folder));
  }
  out.set("main.ts", await Deno.readTextFile(join(ROOT, "main.ts")));
  for (const path of [...out.keys()]) if (path.startsWith("core/messages/")) out.delete(path);
  return out;
}
