import assert from "node:assert/strict";
import { type Context, parseInput, usage, UsageError } from "../commands/_command.ts";
import { helpFor, listingOf, overview, summaryOf } from "../commands/help.ts";
import { CLI_COMMANDS, COMMANDS, SHELL_COMMANDS } from "../commands/mod.ts";
import { complete, runLine } from "../commands/_shell.ts";
import type { Session } from "../commands/_session.ts";
import { main as realMain } from "../main.ts";

/** The program in English whatever the environment says (tests/i18n_test.ts covers the rest). */
const main = (argv: string[]) => realMain(["--lang", "en", ...argv]);

const byName = (name: string) => COMMANDS.find((c) => c.name === name)!;

/** Runs `fn` with console output captured. */
async function capture(fn: () => Promise<unknown>): Promise<{ out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    await fn();
  } finally {
    console.log = log;
    console.error = error;
  }
  return { out: out.join("\n"), err: err.join("\n") };
}

function shellContext(lines: string[]): Context {
  return {
    out: (s) => lines.push(s),
    note: (s) => lines.push(s),
    commands: SHELL_COMMANDS,
    registry: COMMANDS,
    scope: "shell",
    signal: new AbortController().signal,
  };
}

Deno.test("the registry lists every verb once, each with help text", () => {
  const names = COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
  assert.equal(new Set(names).size, names.length, "a name or alias is used twice");
  for (const c of COMMANDS) {
    const summary = summaryOf(c);
    assert.ok(summary.length > 0 && !summary.includes("\n"), `${c.name}: one-line summary`);
    assert.ok(c.scopes.length > 0, `${c.name}: has a scope`);
  }
  assert.deepEqual(CLI_COMMANDS.map((c) => c.name), [
    "serve",
    "join",
    "id",
    "verify-receipt",
    "doctor",
    "peers",
    "ls",
    "find",
    "get",
    "push",
    "hand-in",
    "receipts",
    "help",
  ]);
  assert.deepEqual(SHELL_COMMANDS.map((c) => c.name), [
    "peers",
    "ls",
    "find",
    "get",
    "push",
    "downloads",
    "uploads",
    "collect",
    "hand-in",
    "receipts",
    "help",
    "quit",
  ]);
});

Deno.test("help lists the verbs of its scope and explains each", () => {
  const shell = overview({ commands: SHELL_COMMANDS, scope: "shell" });
  for (const c of SHELL_COMMANDS) assert.match(shell, new RegExp(`^  ${c.name} `, "m"));
  assert.doesNotMatch(shell, /serve/);
  const get = helpFor(byName("get"), "shell");
  assert.match(get, /^Usage: get <file>\.\.\. \[options\]$/m);
  assert.match(get, /Examples:/);
  const join = helpFor(byName("join"), "cli");
  assert.match(join, /^Usage: rede-p2p join \[tracker\] \[options\]$/m);
  assert.match(join, /--listen-port PORT/);
  assert.match(join, /default: \.\/arquivos_compartilhaveis/);
});

Deno.test("arguments are checked against the declaration", () => {
  const get = byName("get");
  assert.deepEqual(parseInput(get, ["1", "a b.txt", "c"]).args, ["1", "a b.txt", "c"]);
  assert.throws(
    () => parseInput(get, []),
    (e) => e instanceof UsageError && e.message === "Missing argument <file>",
  );
  const ls = byName("ls");
  assert.throws(
    () => parseInput(ls, []),
    (e) => e instanceof UsageError && e.message === "Missing argument <peer>",
  );
  assert.throws(
    () => parseInput(ls, ["1", "2", "b.txt"]),
    (e) => e instanceof UsageError && /Unexpected argument 'b.txt' \(quote names/.test(e.message),
  );
  assert.throws(
    () => parseInput(byName("join"), ["h", "--nope"]),
    (e) => e instanceof UsageError && e.message === "Unknown option '--nope'",
  );
  assert.throws(
    () => parseInput(byName("join"), ["h", "--dir"]),
    (e) => e instanceof UsageError && /--dir/.test(e.message),
  );
  const join = parseInput(byName("join"), ["h:1", "--no-shell", "--name", "ana"]);
  assert.equal(join.options["no-shell"], true);
  assert.equal(join.options.name, "ana");
  assert.equal(join.options.dir, "./arquivos_compartilhaveis");
  assert.equal(usage(byName("ls")), "ls <peer> [port]");
});

Deno.test("the shell reports unknown verbs and usage mistakes in one line and goes on", async () => {
  const lines: string[] = [];
  const ctx = shellContext(lines);
  const r1 = await capture(async () => assert.equal(await runLine("frobnicate", ctx), false));
  assert.match(r1.err, /^error: Unknown verb 'frobnicate'; type 'help' for the list$/);
  const r2 = await capture(async () => assert.equal(await runLine("ls", ctx), false));
  assert.match(
    r2.err,
    /^error: Missing argument <peer> \(usage: ls <peer> \[port\]; see 'help ls'\)$/,
  );
  const r3 = await capture(async () => assert.equal(await runLine('get 1 "unclosed', ctx), false));
  assert.ok(r3.err.startsWith("error: "), r3.err);
  assert.doesNotMatch(r1.err + r2.err + r3.err, /^\s+at /m, "no stack trace");
  assert.equal(await runLine("   ", ctx), true);
  assert.equal(await runLine("help ls", ctx), true);
  assert.match(lines.join("\n"), /Usage: ls <peer> \[port\]/);
});

Deno.test("shell verbs refuse to run outside a session", async () => {
  const lines: string[] = [];
  const { err } = await capture(async () =>
    assert.equal(await runLine("peers", shellContext(lines)), false)
  );
  assert.match(err, /works at the 'join' prompt/);
});

Deno.test("the command line exits 2 on usage mistakes, 0 on help", async () => {
  const cases: [string[], number, RegExp][] = [
    [[], 2, /Usage: rede-p2p <verb>/],
    [["bogus"], 2, /unknown verb 'bogus'/],
    [["serve", "abc"], 2, /Invalid port 'abc'/],
    [["serve", "1", "2"], 2, /Unexpected argument '2'/],
    [["join", "--no-discovery"], 2, /Discovery is off \(--no-discovery\)/],
    [["join", "host", "--listen-port", "99999"], 2, /Invalid port '99999'/],
    [["join", "[::1]:x"], 1, /Invalid port 'x'/],
  ];
  for (const [argv, code, re] of cases) {
    const { out, err } = await capture(async () =>
      assert.equal(await main(argv), code, argv.join(" "))
    );
    assert.match(out + err, re, argv.join(" "));
    assert.doesNotMatch(out + err, /^\s+at /m, "no stack trace");
    // A mistake is one line starting with `error:`, as the README says (no `rede-p2p:`).
    if (argv.length > 0) assert.match(err, /^error: [^\n]+$/, argv.join(" "));
  }
  const help = await capture(async () => assert.equal(await main(["help", "serve"]), 0));
  assert.match(help.out, /Usage: rede-p2p serve \[port\] \[options\]/);
  const version = await capture(async () => assert.equal(await main(["--version"]), 0));
  assert.match(version.out, /^rede-p2p \d+\.\d+\.\d+$/);
});

Deno.test("every verb of the registry is in help for its scopes, and help explains it", async () => {
  // The overviews a user sees: `rede-p2p --help`, and `help` at the prompt.
  const cli = (await capture(async () => assert.equal(await main(["--help"]), 0))).out;
  const shellLines: string[] = [];
  assert.equal(await runLine("help", shellContext(shellLines)), true);
  const overviews = { cli, shell: shellLines.join("\n") };
  for (const c of COMMANDS) {
    for (const scope of ["cli", "shell"] as const) {
      const line = new RegExp(`^  ${c.name} +(.*)$`, "m");
      if (!c.scopes.includes(scope)) {
        assert.doesNotMatch(overviews[scope], line, `${c.name} is not a ${scope} verb`);
        continue;
      }
      assert.equal(overviews[scope].match(line)?.[1], listingOf(c), `${c.name} in ${scope} help`);
    }
  }
  // `rede-p2p help <verb>` for every command-line verb, `help <verb>` at the prompt for the rest.
  for (const c of CLI_COMMANDS) {
    const { out } = await capture(async () => assert.equal(await main(["help", c.name]), 0));
    assert.match(out, new RegExp(`^Usage: rede-p2p ${c.name}\\b`, "m"), c.name);
  }
  for (const c of SHELL_COMMANDS) {
    const lines: string[] = [];
    assert.equal(await runLine(`help ${c.name}`, shellContext(lines)), true, c.name);
    assert.match(lines.join("\n"), new RegExp(`^Usage: ${c.name}\\b`, "m"), c.name);
  }
});

Deno.test("tab completion offers verbs, and file names seen in ls and find after get", () => {
  const verbs = ["downloads", "find", "get", "help", "ls"];
  const session = { knownNames: new Set(["a.txt", "meu doc.txt", "b.txt"]) } as unknown as Session;
  assert.deepEqual(complete("d", verbs, session), [["downloads "], "d"]);
  assert.deepEqual(complete("help f", verbs, session), [["find"], "f"]);
  assert.deepEqual(complete("get 1 ", verbs, session)[0], ["a.txt", "b.txt", '"meu doc.txt"']);
  assert.deepEqual(complete("get 1 m", verbs, session), [['"meu doc.txt"'], "m"]);
  assert.deepEqual(complete("ls 1", verbs, session), [[], "1"]);
});

Deno.test("the tasks, the binaries and the tests' processes run with the same runtime flags", async () => {
  const { PERMS } = await import("../testing/harness.ts");
  const read = (path: string) => Deno.readTextFile(new URL(path, import.meta.url));
  const config = JSON.parse(await read("../deno.json"));
  const compile = await read("../scripts/compile.ts"); // tests/ may not import scripts/.
  const flags = PERMS.filter((f) => f.startsWith("--v8-flags="));
  assert.ok(flags.length > 0);
  for (const flag of flags) {
    for (const task of ["serve", "join", "start"]) {
      assert.ok(config.tasks[task].command.includes(` ${flag} `), `task ${task} lacks ${flag}`);
    }
    assert.ok(compile.includes(`RUNTIME_FLAGS = ["${flag}"]`), `compile lacks ${flag}`);
  }
  // The variables the program may read (identities, language) are the same everywhere too.
  const env = PERMS.find((f) => f.startsWith("--allow-env="));
  assert.ok(env?.includes("LANG"), "the tests' processes may read LANG");
  for (const task of ["serve", "join", "start"]) {
    assert.ok(config.tasks[task].command.includes(` ${env} `), `task ${task} lacks ${env}`);
  }
  assert.ok(compile.includes(`"${env}"`), `compile lacks ${env}`);
});
