/**
 * The installed `rede-p2p` command and the tasks run from another folder (issue 11).
 *
 * `deno task install` (deno.json) installs the command with `deno install -g`; here into a
 * temporary root (`DENO_INSTALL_ROOT`), then the installed launcher runs `--version`, `help` and a
 * real `join` from a temporary folder, which must share THAT folder's files. The same for
 * `deno task --config CLONE/deno.json join` started from another folder. Deno is the one running
 * these tests (`Deno.execPath()`), put first on PATH as a user's shell would have it.
 */
import assert from "node:assert/strict";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CATALOGUES, pattern } from "../core/i18n.ts";
import denoJson from "../deno.json" with { type: "json" };
import { PERMS, Proc, type Program, run, Scene, SOURCE } from "../testing/harness.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONFIG = join(ROOT, "deno.json");
const WINDOWS = Deno.build.os === "windows";

// A user's shell has no INIT_CWD: `deno task` sets it to the folder a task is started from, unless
// it is already set, as it is in this process when the suite runs through `deno task test`.
Deno.env.delete("INIT_CWD");

/** The environment of a user's shell: the Deno running the tests is the `deno` on PATH. */
const USER_ENV = {
  PATH: [dirname(Deno.execPath()), Deno.env.get("PATH") ?? ""].join(delimiter),
};

/** The permission and runtime flags of a command line, sorted. */
function flagsOf(command: string): string[] {
  return command.split(/\s+/).filter((w) => /^--(allow-|unstable-|v8-flags=)/.test(w)).sort();
}

/** Runs Deno with `args` in `cwd` to its end: exit status and output. */
async function deno(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; out: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: opts.cwd,
    env: { NO_COLOR: "1", ...opts.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code, out: text.decode(stdout) + text.decode(stderr) };
}

/** A temporary folder holding `arquivos_compartilhaveis/NAME` and no manifest. */
async function userFolder(name: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-user-" });
  await Deno.mkdir(join(dir, "arquivos_compartilhaveis"));
  await Deno.writeTextFile(join(dir, "arquivos_compartilhaveis", name), `only in ${dir}\n`);
  return dir;
}

/**
 * Joins the scene's tracker with `program` from `folder`, with the default share and manifest,
 * and checks it shares that folder's one file: its own line, the tracker's log, and another
 * peer's `find`. Then quits through the shell and checks it left cleanly.
 */
async function joinsFromFolder(
  scene: Scene,
  program: Program,
  before: string[],
  folder: string,
  file: string,
): Promise<void> {
  const tracker = await scene.tracker();
  const args = [...before, "join", `127.0.0.1:${tracker.port}`, "--listen-host", "127.0.0.1"];
  const peer = scene.track(
    new Proc(program, [...args, "--code", tracker.code!], {
      cwd: folder,
      stdin: true,
      env: USER_ENV,
    }),
  );
  await peer.waitFor(pattern("join.serving", "en"));
  const sharing = pattern("join.sharingAll", "en", {
    params: { count: 1, manifest: "./meus_arquivos.txt", dir: "arquivos_compartilhaveis" },
  });
  assert.ok(peer.lines.some((l) => sharing.test(l)), peer.lines.join("\n"));
  await tracker.waitFor(pattern("serve.log.join", "en", { params: { count: 1 } }));

  const other = await scene.peer(tracker.port, await scene.home());
  const found = await run(
    other,
    "find only-here",
    pattern("find.summary", "en", { params: { count: 1, text: "only-here" } }),
  );
  assert.ok(found.some((l) => l.includes(file)), found.join("\n"));

  await peer.send("quit");
  const { code } = await peer.done;
  assert.equal(code, 0, peer.lines.join("\n"));
  assert.ok(peer.lines.includes(CATALOGUES.en["join.bye"] as string), peer.lines.join("\n"));
}

Deno.test("install: the installed command has exactly the permissions of `start`", () => {
  const { install, start } = denoJson.tasks;
  const flags = flagsOf(install.command);
  assert.deepEqual(flags, flagsOf(start.command));
  // The processes of the tests run with the same set, so what they prove holds for the command.
  assert.deepEqual(flags, [...PERMS].sort());
  assert.ok(!flags.some((f) => /^--allow-(run|ffi|all)|^-A$/.test(f)), flags.join(" "));
});

Deno.test("install: `deno task install` makes a rede-p2p that works from any folder", async () => {
  const root = await Deno.makeTempDir({ prefix: "rede-p2p-root-" });
  const folder = await userFolder("only-here-installed.txt");
  const scene = new Scene(SOURCE);
  try {
    const installed = await deno(["task", "--config", CONFIG, "install"], {
      cwd: folder,
      env: { DENO_INSTALL_ROOT: root },
    });
    assert.equal(installed.code, 0, installed.out);
    const launcher = join(root, "bin", WINDOWS ? "rede-p2p.cmd" : "rede-p2p");
    const script = await Deno.readTextFile(launcher);
    assert.deepEqual(flagsOf(script), flagsOf(denoJson.tasks.install.command), script);

    // The dependencies are the ones deno.lock locks: the same versions and integrity.
    const lock = (path: string) => JSON.parse(Deno.readTextFileSync(path)).npm;
    const ours = lock(join(ROOT, "deno.lock"));
    const theirs = lock(join(root, "bin", ".rede-p2p", "deno.lock"));
    for (const [name, entry] of Object.entries(theirs)) {
      assert.equal(
        (entry as { integrity: string }).integrity,
        ours[name]?.integrity,
        `${name} is not the locked version`,
      );
    }

    const program: Program = { entry: launcher, native: true };
    const version = scene.track(
      new Proc(program, ["--version"], {
        cwd: folder,
        env: USER_ENV,
      }),
    );
    assert.equal((await version.done).code, 0, version.lines.join("\n"));
    assert.deepEqual(version.lines.filter((l) => l), [`rede-p2p ${denoJson.version}`]);
    const help = scene.track(
      new Proc(program, ["help"], {
        cwd: folder,
        env: USER_ENV,
      }),
    );
    assert.equal((await help.done).code, 0, help.lines.join("\n"));
    const summary = CATALOGUES.en["help.join.summary"] as string;
    assert.ok(help.lines.some((l) => /^\s+join\s/.test(l) && l.endsWith(summary)), help.lines[0]);

    await joinsFromFolder(scene, program, [], folder, "only-here-installed.txt");

    const removed = await deno(["task", "--config", CONFIG, "uninstall"], {
      cwd: folder,
      env: { DENO_INSTALL_ROOT: root },
    });
    assert.equal(removed.code, 0, removed.out);
    await assert.rejects(Deno.stat(launcher), Deno.errors.NotFound);
  } finally {
    await scene.close();
    await Deno.remove(root, { recursive: true });
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("tasks: `deno task --config CLONE/deno.json join` shares the folder it is run from", async () => {
  const folder = await userFolder("only-here-task.txt");
  const scene = new Scene(SOURCE);
  try {
    const program: Program = { entry: Deno.execPath(), native: true };
    await joinsFromFolder(
      scene,
      program,
      ["task", "--config", CONFIG],
      folder,
      "only-here-task.txt",
    );
    // Nothing was made in the clone, and the peer's own files are where it was run.
    assert.deepEqual(
      [...Deno.readDirSync(folder)].map((e) => e.name).sort(),
      ["arquivos_compartilhaveis"],
    );
  } finally {
    await scene.close();
    await Deno.remove(folder, { recursive: true });
  }
});
