/**
 * The architecture, checked on the real import graph as Deno's own resolver reads it.
 *
 * The product is built in floors, and a file may import only files on its own floor or below:
 * `core/` (0), `storage/` (1), `net/` (2), `app/` (3), `commands/` (4), `main.ts` (5). Beside the
 * product: `testing/` (the harness; may import the product), `tests/` (may import the product,
 * `testing/` and `tests/`) and `scripts/` (may import the product, `testing/` and `scripts/`,
 * never `tests/`). The product never imports those three.
 *
 * Besides the floors: no import cycle anywhere among these files, no product file over
 * {@link MAX_PRODUCT_LINES} lines, and no product file that `main.ts` does not reach.
 */
import assert from "node:assert/strict";
import { isAbsolute, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root, with no trailing separator. */
const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/[\\/]$/, "");

/** The product folders, lowest floor first: a folder's index is its floor. */
const PRODUCT_FOLDERS = ["core", "storage", "net", "app", "commands"] as const;

/** The entry point, alone on the top floor. */
const ENTRY = "main.ts";

/** The floor of {@link ENTRY}. */
const ENTRY_FLOOR = PRODUCT_FOLDERS.length;

/** The folders beside the product. */
const SIDE_FOLDERS = ["testing", "tests", "scripts"] as const;

/** The longest a product file may be, in lines. */
const MAX_PRODUCT_LINES = 400;

/** Which folders each side folder may import, besides the whole product. */
const SIDE_MAY_IMPORT: Record<SideFolder, readonly SideFolder[]> = {
  testing: ["testing"],
  tests: ["testing", "tests"],
  scripts: ["testing", "scripts"],
};

/** A folder beside the product. */
export type SideFolder = typeof SIDE_FOLDERS[number];

/** Where a file sits: a product floor (a number), a side folder, or outside all of them. */
export type Place = number | SideFolder | "outside";

/**
 * The import graph of the local source files. Paths are relative to the repository root and use
 * `/` whatever the platform.
 */
export interface Graph {
  /** Every local source file, to its length in lines. */
  files: Record<string, number>;
  /** Every local source file, to the local source files it imports (values or types alike). */
  imports: Record<string, string[]>;
}

/** What {@link findViolations} finds, one message per offence. */
export interface Violations {
  /** Arrows a floor or a folder does not allow: climbing a floor, product to side, and so on. */
  upward: string[];
  /** Product files over {@link MAX_PRODUCT_LINES} lines. */
  long: string[];
  /** Product files `main.ts` does not reach. */
  dead: string[];
}

/**
 * Tells where a file sits.
 *
 * @param path A path relative to the repository root, with `/` separators.
 * @returns The product floor (0 for `core/` up to 5 for `main.ts`), the side folder, or
 * `"outside"`.
 * @example
 * ```ts
 * floorOf("net/channel.ts"); // 2
 * floorOf("tests/chunks_test.ts"); // "tests"
 * ```
 */
export function floorOf(path: string): Place {
  if (path === ENTRY) return ENTRY_FLOOR;
  const slash = path.indexOf("/");
  if (slash < 0) return "outside";
  const top = path.slice(0, slash);
  const floor = (PRODUCT_FOLDERS as readonly string[]).indexOf(top);
  if (floor >= 0) return floor;
  if ((SIDE_FOLDERS as readonly string[]).includes(top)) return top as SideFolder;
  return "outside";
}

/**
 * Names a place for a message.
 *
 * @param place Where a file sits.
 * @returns For instance `net/ (floor 2)`, `main.ts (floor 5)` or `tests/`.
 */
function placeName(place: Place): string {
  if (typeof place === "number") {
    const folder = place === ENTRY_FLOOR ? ENTRY : `${PRODUCT_FOLDERS[place]}/`;
    return `${folder} (floor ${place})`;
  }
  return place === "outside" ? "a file outside the known folders" : `${place}/`;
}

/**
 * Tells why an arrow is not allowed.
 *
 * @param from The importing file.
 * @param to The imported file.
 * @returns The reason, or `undefined` when the arrow is allowed.
 */
function arrowProblem(from: string, to: string): string | undefined {
  const a = floorOf(from);
  const b = floorOf(to);
  if (a === "outside") return undefined;
  if (typeof a === "number") {
    if (typeof b !== "number") return `product must not import ${placeName(b)}`;
    if (b > a) return `climbs a floor: ${placeName(a)} imports ${placeName(b)}`;
    return undefined;
  }
  if (typeof b === "number") return undefined;
  if (b !== "outside" && SIDE_MAY_IMPORT[a].includes(b)) return undefined;
  return `${a}/ must not import ${placeName(b)}`;
}

/**
 * The files a file reaches, itself included, following every arrow.
 *
 * @param graph The import graph.
 * @param start Where to start.
 * @returns The reached files.
 */
function reachableFrom(graph: Graph, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const todo = [start];
  while (todo.length > 0) {
    for (const next of graph.imports[todo.pop()!] ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return seen;
}

/**
 * Finds the arrows the floors forbid, the product files that are too long, and the product files
 * `main.ts` does not reach.
 *
 * @param graph The import graph.
 * @returns One message per offence, each naming the files.
 */
export function findViolations(graph: Graph): Violations {
  const found: Violations = { upward: [], long: [], dead: [] };
  for (const [from, targets] of Object.entries(graph.imports)) {
    for (const to of targets) {
      const problem = arrowProblem(from, to);
      if (problem !== undefined) found.upward.push(`${from} → ${to}: ${problem}`);
    }
  }
  const product = Object.keys(graph.files).filter((f) => typeof floorOf(f) === "number").sort();
  for (const file of product) {
    const lines = graph.files[file];
    if (lines > MAX_PRODUCT_LINES) {
      found.long.push(`${file}: ${lines} lines (at most ${MAX_PRODUCT_LINES})`);
    }
  }
  if (!(ENTRY in graph.files)) {
    found.dead.push(`${ENTRY} is missing, so every product file is unreachable`);
  } else {
    const reached = reachableFrom(graph, ENTRY);
    for (const file of product) {
      if (!reached.has(file)) found.dead.push(`${file}: not reachable from ${ENTRY}`);
    }
  }
  return found;
}

/**
 * The strongly connected components of a graph (Tarjan's algorithm, without recursion).
 *
 * @param nodes Every node.
 * @param edges Each node to its successors.
 * @returns The components, each as a list of nodes.
 */
function components(nodes: string[], edges: (node: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: string[][] = [];
  for (const root of nodes) {
    if (index.has(root)) continue;
    const frames: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, index.size);
    low.set(root, index.get(root)!);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const succ = edges(frame.node);
      if (frame.next < succ.length) {
        const w = succ[frame.next++];
        if (!index.has(w)) {
          index.set(w, index.size);
          low.set(w, index.get(w)!);
          stack.push(w);
          onStack.add(w);
          frames.push({ node: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        }
        continue;
      }
      frames.pop();
      const v = frame.node;
      if (frames.length > 0) {
        const parent = frames[frames.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        result.push(component);
      }
    }
  }
  return result;
}

/**
 * Finds the import cycles: one shortest cycle for each strongly connected component that has one.
 *
 * @param graph The import graph.
 * @returns The cycles, each as a path that starts and ends on the same file (the component's
 * first file by name), sorted.
 */
export function findCycles(graph: Graph): string[][] {
  const nodes = [...new Set([...Object.keys(graph.files), ...Object.keys(graph.imports)])].sort();
  const edges = (node: string) => graph.imports[node] ?? [];
  const cycles: string[][] = [];
  for (const component of components(nodes, edges)) {
    const members = new Set(component);
    const start = [...component].sort()[0];
    if (component.length === 1 && !edges(start).includes(start)) continue;
    // Breadth first inside the component, for the shortest way back to the start.
    const parent = new Map<string, string>();
    const queue = [start];
    let last: string | undefined;
    search: while (queue.length > 0) {
      const node = queue.shift()!;
      for (const next of [...edges(node)].sort()) {
        if (next === start) {
          last = node;
          break search;
        }
        if (members.has(next) && !parent.has(next)) {
          parent.set(next, node);
          queue.push(next);
        }
      }
    }
    const path = [start];
    for (let node = last!; node !== start; node = parent.get(node)!) path.splice(1, 0, node);
    path.push(start);
    cycles.push(path);
  }
  return cycles.sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * Tells whether a path names a TypeScript source file.
 *
 * @param path A path or a URL.
 * @returns Whether it ends in `.ts`, `.tsx`, `.mts` or `.cts`.
 */
function isSource(path: string): boolean {
  return /\.[mc]?tsx?$/.test(path);
}

/**
 * Lists the source files under a folder, at any depth.
 *
 * @param dir An absolute folder; a missing one has no files.
 * @returns Absolute paths.
 */
async function sourcesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return found;
    throw e;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) found.push(...await sourcesUnder(path));
    else if (entry.isFile && isSource(entry.name)) found.push(path);
  }
  return found;
}

/**
 * Finds every source file of the product, `testing/`, `tests/` and `scripts/`.
 *
 * @param root The repository root.
 * @returns Absolute paths.
 */
async function discover(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const folder of [...PRODUCT_FOLDERS, ...SIDE_FOLDERS]) {
    files.push(...await sourcesUnder(join(root, folder)));
  }
  try {
    if ((await Deno.stat(join(root, ENTRY))).isFile) files.push(join(root, ENTRY));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return files.sort();
}

/** The part of `deno info --json` this test reads. */
interface Info {
  modules: {
    specifier: string;
    error?: string;
    dependencies?: {
      specifier: string;
      code?: { specifier?: string; error?: string };
      type?: { specifier?: string; error?: string };
    }[];
  }[];
}

/**
 * Runs `deno info --json` on a temporary module that imports every given file, so that one run
 * resolves them all. Nothing is executed; npm and remote modules are not resolved (they are
 * outside the graph anyway), and the lock file is left alone.
 *
 * @param files Absolute paths of the files to resolve.
 * @param config The `deno.json` whose import map resolves bare specifiers.
 * @returns The parsed output.
 */
async function denoInfo(files: string[], config: string): Promise<Info> {
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-architecture-" });
  try {
    const rootModule = join(dir, "all.ts");
    const lines = files.map((f) => `import ${JSON.stringify(pathToFileURL(f).href)};`);
    await Deno.writeTextFile(rootModule, lines.join("\n") + "\n");
    const args = ["info", "--json", "--no-npm", "--no-remote", "--no-lock", "--config", config];
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [...args, rootModule],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    assert.equal(code, 0, `deno info failed:\n${decoder.decode(stderr)}`);
    return JSON.parse(decoder.decode(stdout)) as Info;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Counts the lines of a text as `wc -l` would, plus a last line without a newline.
 *
 * @param text The text.
 * @returns The number of lines.
 */
function countLines(text: string): number {
  if (text === "") return 0;
  const breaks = text.split("\n").length - 1;
  return text.endsWith("\n") ? breaks : breaks + 1;
}

/**
 * Builds the import graph of the local source files under a root from `deno info` output. Every
 * resolved local source file becomes a node; every `code` or `type` dependency between two of them
 * (static, dynamic or `import type`) becomes an arrow. Other files (such as `deno.json`) and
 * npm:, node: and remote modules are left out.
 *
 * @param info The output of {@link denoInfo}.
 * @param root The folder whose files are local.
 * @returns The graph, and the resolution errors of local modules.
 */
async function graphFromInfo(
  info: Info,
  root: string,
): Promise<{ graph: Graph; errors: string[] }> {
  const localPath = (specifier: string | undefined): string | undefined => {
    if (specifier === undefined || !specifier.startsWith("file:")) return undefined;
    const rel = relative(root, fileURLToPath(specifier));
    if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      return undefined;
    }
    if (!isSource(rel)) return undefined;
    return rel.split(sep).join("/");
  };
  const graph: Graph = { files: {}, imports: {} };
  const errors: string[] = [];
  const broken = new Map<string, string>();
  for (const module of info.modules) {
    const from = localPath(module.specifier);
    if (from === undefined) continue;
    if (module.error !== undefined) {
      broken.set(from, module.error);
      continue;
    }
    const targets = new Set<string>();
    for (const dep of module.dependencies ?? []) {
      for (const resolved of [dep.code, dep.type]) {
        if (resolved?.error !== undefined) errors.push(`${from}: ${resolved.error}`);
        const to = localPath(resolved?.specifier);
        if (to !== undefined) targets.add(to);
      }
    }
    graph.imports[from] = [...targets].sort();
    graph.files[from] = countLines(await Deno.readTextFile(join(root, from)));
  }
  for (const [file, error] of broken) {
    const importers = Object.keys(graph.imports).filter((f) => graph.imports[f].includes(file));
    const by = importers.length > 0 ? ` (imported by ${importers.sort().join(", ")})` : "";
    errors.push(`${file}${by}: ${error}`);
  }
  return { graph, errors };
}

/**
 * Counts the arrows of a graph.
 *
 * @param graph The import graph.
 * @returns The number of (importer, imported) pairs.
 */
function arrowCount(graph: Graph): number {
  return Object.values(graph.imports).reduce((sum, targets) => sum + targets.length, 0);
}

Deno.test("floorOf: product floors, side folders, outside", () => {
  assert.equal(floorOf("core/limits.ts"), 0);
  assert.equal(floorOf("storage/chunks.ts"), 1);
  assert.equal(floorOf("net/channel.ts"), 2);
  assert.equal(floorOf("app/node.ts"), 3);
  assert.equal(floorOf("commands/get.ts"), 4);
  assert.equal(floorOf("commands/sub/deep.ts"), 4);
  assert.equal(floorOf("main.ts"), 5);
  assert.equal(floorOf("testing/harness.ts"), "testing");
  assert.equal(floorOf("tests/chunks_test.ts"), "tests");
  assert.equal(floorOf("scripts/bench.ts"), "scripts");
  assert.equal(floorOf("other.ts"), "outside");
  assert.equal(floorOf("docs/example.ts"), "outside");
  assert.equal(floorOf("corex/a.ts"), "outside");
});

Deno.test("the checker catches climbs, forbidden folders, cycles, long and dead files", () => {
  const clean: Graph = {
    files: {
      "main.ts": 20,
      "commands/get.ts": 400,
      "app/node.ts": 10,
      "net/channel.ts": 10,
      "storage/chunks.ts": 10,
      "core/limits.ts": 10,
      "testing/harness.ts": 900,
      "tests/a_test.ts": 900,
      "tests/_helper.ts": 10,
      "scripts/bench.ts": 900,
      "scripts/baseline.ts": 10,
    },
    imports: {
      "main.ts": ["commands/get.ts", "core/limits.ts"],
      "commands/get.ts": ["app/node.ts"],
      "app/node.ts": ["net/channel.ts", "storage/chunks.ts"],
      "net/channel.ts": ["core/limits.ts"],
      "storage/chunks.ts": ["core/limits.ts"],
      "core/limits.ts": [],
      "testing/harness.ts": ["main.ts"],
      "tests/a_test.ts": ["testing/harness.ts", "tests/_helper.ts", "net/channel.ts"],
      "tests/_helper.ts": ["core/limits.ts"],
      "scripts/bench.ts": ["testing/harness.ts", "scripts/baseline.ts", "core/limits.ts"],
      "scripts/baseline.ts": [],
    },
  };
  assert.deepEqual(findViolations(clean), { upward: [], long: [], dead: [] });
  assert.deepEqual(findCycles(clean), []);

  const bad: Graph = {
    files: {
      ...clean.files,
      "storage/chunks.ts": 401,
      "net/orphan.ts": 5,
      "net/a.ts": 5,
      "net/b.ts": 5,
      "core/self.ts": 5,
    },
    imports: {
      ...clean.imports,
      "main.ts": ["commands/get.ts", "core/limits.ts", "net/a.ts", "core/self.ts"],
      "core/limits.ts": ["net/channel.ts"],
      "storage/chunks.ts": ["core/limits.ts", "testing/harness.ts"],
      "scripts/bench.ts": ["tests/_helper.ts"],
      "tests/_helper.ts": ["scripts/baseline.ts"],
      "testing/harness.ts": ["tests/a_test.ts"],
      "net/orphan.ts": ["core/limits.ts"],
      "net/a.ts": ["net/b.ts"],
      "net/b.ts": ["net/a.ts", "other/x.ts"],
      "core/self.ts": ["core/self.ts"],
    },
  };
  const found = findViolations(bad);
  assert.deepEqual(found.upward.sort(), [
    "core/limits.ts → net/channel.ts: climbs a floor: core/ (floor 0) imports net/ (floor 2)",
    "net/b.ts → other/x.ts: product must not import a file outside the known folders",
    "scripts/bench.ts → tests/_helper.ts: scripts/ must not import tests/",
    "storage/chunks.ts → testing/harness.ts: product must not import testing/",
    "testing/harness.ts → tests/a_test.ts: testing/ must not import tests/",
    "tests/_helper.ts → scripts/baseline.ts: tests/ must not import scripts/",
  ]);
  assert.deepEqual(found.long, ["storage/chunks.ts: 401 lines (at most 400)"]);
  assert.deepEqual(found.dead, ["net/orphan.ts: not reachable from main.ts"]);
  assert.deepEqual(findCycles(bad), [
    ["core/limits.ts", "net/channel.ts", "core/limits.ts"],
    ["core/self.ts", "core/self.ts"],
    ["net/a.ts", "net/b.ts", "net/a.ts"],
    ["testing/harness.ts", "tests/a_test.ts", "testing/harness.ts"],
  ]);

  const noEntry: Graph = { files: { "core/limits.ts": 1 }, imports: { "core/limits.ts": [] } };
  assert.deepEqual(findViolations(noEntry).dead, [
    "main.ts is missing, so every product file is unreachable",
  ]);
});

Deno.test("findCycles reports one shortest cycle per strongly connected component", () => {
  const graph: Graph = {
    files: { "a.ts": 1, "b.ts": 1, "c.ts": 1, "d.ts": 1 },
    // One component {a, b, c, d}: a → b → c → d → a, with a short cut c → a.
    imports: { "a.ts": ["b.ts"], "b.ts": ["c.ts"], "c.ts": ["d.ts", "a.ts"], "d.ts": ["a.ts"] },
  };
  assert.deepEqual(findCycles(graph), [["a.ts", "b.ts", "c.ts", "a.ts"]]);
});

Deno.test("deno info reads import type and dynamic imports, ignores comments, reports missing files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-architecture-fixture-" });
  try {
    await Deno.mkdir(join(dir, "core"));
    await Deno.writeTextFile(join(dir, "core", "value.ts"), "export const V = 1;\n");
    await Deno.writeTextFile(join(dir, "core", "shape.ts"), "export interface S { n: number }\n");
    await Deno.writeTextFile(join(dir, "core", "later.ts"), "export const L = 2;\n");
    await Deno.writeTextFile(
      join(dir, "core", "doc.ts"),
      [
        "/**",
        " * @example",
        " * ```ts",
        ' * import { doc } from "./doc.ts";',
        ' * import { ghost } from "./ghost.ts";',
        " * ```",
        " */",
        "// import { other } from './other.ts';",
        'import { V } from "./value.ts";',
        'import type { S } from "./shape.ts";',
        "export const doc = (s: S) => s.n + V;",
        'export const later = () => import("./later.ts");',
        "",
      ].join("\n"),
    );
    await Deno.writeTextFile(join(dir, "core", "broken.ts"), 'import "./missing.ts";\n');
    const info = await denoInfo([join(dir, "core", "doc.ts")], join(ROOT, "deno.json"));
    const { graph, errors } = await graphFromInfo(info, dir);
    assert.deepEqual(errors, []);
    const broken = await denoInfo([join(dir, "core", "broken.ts")], join(ROOT, "deno.json"));
    const missing = (await graphFromInfo(broken, dir)).errors;
    assert.equal(missing.length, 1, missing.join("\n"));
    assert.match(missing[0], /^core\/missing\.ts \(imported by core\/broken\.ts\): /);
    assert.deepEqual(graph.imports["core/doc.ts"], [
      "core/later.ts",
      "core/shape.ts",
      "core/value.ts",
    ]);
    assert.equal(graph.files["core/doc.ts"], 12);
    assert.deepEqual(Object.keys(graph.files).sort(), [
      "core/doc.ts",
      "core/later.ts",
      "core/shape.ts",
      "core/value.ts",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the real import graph keeps to the floors, has no cycle, no long and no dead file", async () => {
  const files = await discover(ROOT);
  assert.ok(files.length > 0, `no source file found under ${ROOT}`);
  const { graph, errors } = await graphFromInfo(
    await denoInfo(files, join(ROOT, "deno.json")),
    ROOT,
  );
  const violations = findViolations(graph);
  const cycles = findCycles(graph);

  const product = Object.entries(graph.files).filter(([f]) => typeof floorOf(f) === "number");
  const [largest, largestLines] = product.reduce(
    (best, entry) => entry[1] > best[1] ? entry : best,
    ["(none)", 0],
  );
  console.log(
    `import graph: ${Object.keys(graph.files).length} files, ${arrowCount(graph)} arrows, ` +
      `${violations.upward.length} upward, ${cycles.length} cycles; ` +
      `largest product file: ${largest} (${largestLines} lines)`,
  );

  const report: string[] = [];
  const section = (title: string, lines: string[]) => {
    if (lines.length > 0) report.push(`${title}:`, ...lines.map((l) => `  ${l}`));
  };
  section("unresolved imports", errors);
  section("imports the floors do not allow", violations.upward);
  section("import cycles", cycles.map((c) => c.join(" → ")));
  section(`product files over ${MAX_PRODUCT_LINES} lines`, violations.long);
  section("dead product modules", violations.dead);
  if (report.length > 0) assert.fail(`architecture violations:\n${report.join("\n")}`);
});
