/**
 * The shared harness of the tests and the benchmarks: runs the real program as child processes
 * on 127.0.0.1 with port 0 and temporary folders, and waits on the lines they print (never on
 * sleeps). Product code never imports this folder.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { certDer, fingerprintOf, loadIdentity } from "../storage/identity.ts";
import { RedeError } from "../core/errors.ts";
import { CATALOGUES, type Lang, pattern } from "../core/i18n.ts";
import { MembershipSigner, Network, type Trust } from "../net/membership.ts";
import type { Credentials } from "../net/secure.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const PERMS = [
  // The runtime flags of every task (scripts/compile.ts RUNTIME_FLAGS).
  "--v8-flags=--max-semi-space-size=2",
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-sys=hostname,networkInterfaces,statfs,homedir",
  // Where identities live (storage/identity.ts): REDE_P2P_HOME, or the per-user folder; and
  // the language (core/i18n.ts): LC_ALL, LC_MESSAGES, LANG.
  "--allow-env=REDE_P2P_HOME,HOME,XDG_CONFIG_HOME,APPDATA,LC_ALL,LC_MESSAGES,LANG",
];

/**
 * The language variables of every process a test starts, unless it gives its own: English
 * (`LANG=C`, the others empty, which counts as unset), whatever the environment of the tests
 * says, so that tests read the texts they expect. {@link langEnv} gives another language.
 */
export const LANG_ENV: Readonly<Record<string, string>> = {
  LC_ALL: "",
  LC_MESSAGES: "",
  LANG: "C",
};

/** The language variables that choose `lang`, the way a user's environment does. */
export function langEnv(lang: Lang): Record<string, string> {
  return { ...LANG_ENV, LANG: lang === "pt" ? "pt_BR.UTF-8" : "en_US.UTF-8" };
}

/**
 * The identity folder (`REDE_P2P_HOME`) of every process and in-process server a test starts,
 * unless it gives its own: one per test process, so tests never touch the user's folder, and
 * every tracker of a test run has one ID (the pins of reused ports stay true). Removed at exit.
 */
export const IDENTITY_HOME = Deno.makeTempDirSync({ prefix: "rede-p2p-ids-" });
globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(IDENTITY_HOME, { recursive: true });
  } catch {
    // Already gone.
  }
});

/** The join code each tracker started by {@link startTracker} printed, by port. */
const CODES = new Map<number, string>();

/** The join code of the tracker a test started on `port`, if it has one. */
export function codeOf(port: number): string | undefined {
  return CODES.get(port);
}

/** Records the join code of a tracker started in-process on `port`, for {@link joinArgs}. */
export function setCode(port: number, code: string | undefined): void {
  if (code === undefined) CODES.delete(port);
  else CODES.set(port, code);
}

/** Pins kept in memory (a tracker client in-process): remembers like the real ones. */
export function memoryPins(): {
  get(where: string): Promise<string | undefined>;
  set(where: string, id: string): Promise<void>;
} {
  const pins = new Map<string, string>();
  return {
    get: (where) => Promise.resolve(pins.get(where)),
    set: (where, id) => {
      pins.set(where, id);
      return Promise.resolve();
    },
  };
}

/** The identity `name` in {@link IDENTITY_HOME}, as TLS needs it. */
export function credentials(name: string): Promise<Credentials> {
  return loadIdentity(IDENTITY_HOME, name);
}

/**
 * The certificate (PEM) of the identity `id` in {@link IDENTITY_HOME}: what a tracker would list
 * for a peer the tests started (processes share that home unless a test gives another).
 */
export async function homeCertOf(id: string): Promise<string> {
  const dir = join(IDENTITY_HOME, "identities");
  for await (const e of Deno.readDir(dir)) {
    try {
      const pem = await Deno.readTextFile(join(dir, e.name, "cert.pem"));
      if (fingerprintOf(pem) === id) return pem;
    } catch {
      // Being made, or not an identity.
    }
  }
  throw new RedeError("NOT_FOUND", `No identity ${id.slice(0, 8)} in the test home`);
}

/**
 * A network without a tracker process, for in-process servers and hand-built clients: its
 * signer stands for the tracker, and {@link TestNetwork.trust} makes a member's trust.
 */
export class TestNetwork {
  private constructor(readonly tracker: Credentials, readonly signer: MembershipSigner) {}

  static async make(name = "test-tracker"): Promise<TestNetwork> {
    const tracker = await credentials(name);
    return new TestNetwork(tracker, new MembershipSigner(tracker.keyPem));
  }

  /** The trust of identity `name` as a member (or not, with `member: false`). */
  async trust(name: string, member = true): Promise<Trust> {
    const creds = await credentials(name);
    if (!member) return { creds, certOf: homeCertOf };
    const network = new Network(
      this.tracker.fingerprint,
      certDer(this.tracker.certPem),
      this.signer.sign(creds.fingerprint),
      creds.fingerprint,
    );
    return { creds, network, certOf: homeCertOf };
  }
}

/**
 * What to run: the TypeScript sources, or the bundled single file; or, with `native`, an
 * executable that is not Deno's (a benchmark's BitTorrent client), run with its own arguments.
 */
export interface Program {
  entry: string;
  native?: boolean;
}
export const SOURCE: Program = { entry: join(ROOT, "main.ts") };

/**
 * How long a wait for a line may take before it fails (a guard, not a sync point): a test that
 * hangs says so within this time. A wait on a long transfer passes its own guard.
 */
export const WAIT_MS = 10_000;

/** A child process whose stdout and stderr are read line by line. */
export class Proc {
  readonly child: Deno.ChildProcess;
  readonly lines: string[] = [];
  #waiters: { re: RegExp; from: number; resolve: (m: RegExpMatchArray) => void }[] = [];
  #stdin?: WritableStreamDefaultWriter<Uint8Array>;
  readonly done: Promise<Deno.CommandStatus>;
  #readers: Promise<void>[];

  /**
   * @param opts.wrap A command the program runs under, its arguments before Deno's (for
   *   example `unshare -m sh -c ...`, which must end by exec-ing Deno so the pid stays its).
   * @param opts.env Environment variables added to this process's own (the language is
   *   English, {@link LANG_ENV}, unless they say otherwise: see {@link langEnv}).
   */
  constructor(
    program: Program,
    args: string[],
    opts: { cwd?: string; stdin?: boolean; wrap?: string[]; env?: Record<string, string> } = {},
  ) {
    const argv = program.native
      ? [program.entry, ...args]
      : [Deno.execPath(), "run", ...PERMS, program.entry, ...args];
    const [cmd, ...rest] = [...(opts.wrap ?? []), ...argv];
    this.child = new Deno.Command(cmd, {
      args: rest,
      cwd: opts.cwd,
      stdin: opts.stdin ? "piped" : "null",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1", REDE_P2P_HOME: IDENTITY_HOME, ...LANG_ENV, ...opts.env },
    }).spawn();
    if (opts.stdin) this.#stdin = this.child.stdin.getWriter();
    this.#readers = [this.#pump(this.child.stdout), this.#pump(this.child.stderr)];
    this.done = this.child.status.then(async (s) => {
      await Promise.all(this.#readers);
      return s;
    });
  }

  get pid(): number {
    return this.child.pid;
  }

  async #pump(stream: ReadableStream<Uint8Array>): Promise<void> {
    let rest = "";
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      const parts = (rest + text).split("\n");
      rest = parts.pop()!;
      for (const line of parts) this.#push(line);
    }
    if (rest) this.#push(rest);
  }

  #push(line: string): void {
    this.lines.push(line);
    if (Deno.env.get("E2E_ECHO")) {
      console.log(`${(performance.now() / 1000).toFixed(3)} [${this.pid}] ${line}`);
    }
    const i = this.lines.length - 1;
    this.#waiters = this.#waiters.filter((w) => {
      const m = i >= w.from ? line.match(w.re) : null;
      if (m) w.resolve(m);
      return !m;
    });
  }

  /** Index of the next line to be printed; pass it to {@link waitFor} to skip older lines. */
  mark(): number {
    return this.lines.length;
  }

  /** Waits for a line matching `re`, printed at or after line `from`, for at most `guardMs`. */
  waitFor(re: RegExp, from = 0, guardMs = WAIT_MS): Promise<RegExpMatchArray> {
    for (let i = from; i < this.lines.length; i++) {
      const m = this.lines[i].match(re);
      if (m) return Promise.resolve(m);
    }
    return new Promise((resolve, reject) => {
      const w = {
        re,
        from,
        resolve: (m: RegExpMatchArray) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((x) => x !== w);
        reject(
          new Error(
            `Timed out after ${guardMs} ms waiting for ${re}; output:\n${this.lines.join("\n")}`,
          ),
        );
      }, guardMs);
      this.#waiters.push(w);
      this.done.then(() => {
        if (this.#waiters.includes(w)) {
          clearTimeout(timer);
          this.#waiters = this.#waiters.filter((x) => x !== w);
          reject(new Error(`Process ended before ${re}; output:\n${this.lines.join("\n")}`));
        }
      });
    });
  }

  /** Lines printed since `from`. */
  since(from: number): string[] {
    return this.lines.slice(from);
  }

  /** Types a line at the shell. */
  async send(line: string): Promise<void> {
    await this.#stdin!.write(new TextEncoder().encode(line + "\n"));
  }

  /** Closes the shell's input (Ctrl-D / end of a script). */
  async endInput(): Promise<void> {
    await this.#stdin?.close().catch(() => {});
    this.#stdin = undefined;
  }

  /** Sends a signal to this process (only to the process this harness started). */
  kill(signal: Deno.Signal = "SIGTERM"): void {
    try {
      this.child.kill(signal);
    } catch {
      // Already gone.
    }
  }

  /** Ends the process if still running and waits for its streams to close. */
  async stop(): Promise<Deno.CommandStatus> {
    await this.endInput();
    this.kill("SIGKILL");
    return await this.done;
  }
}

/**
 * A tracker on 127.0.0.1 with a free port: a private network unless `extra` says `--open`; its
 * code is kept, and {@link joinArgs} gives it. `opts.lang` is the language it speaks (its
 * environment says so) and the one its lines are read in.
 */
export async function startTracker(
  program: Program,
  port = 0,
  extra: string[] = [],
  opts: { env?: Record<string, string>; lang?: Lang } = {},
): Promise<Proc & { port: number; code?: string }> {
  const lang = opts.lang ?? "en";
  const p = new Proc(program, ["serve", String(port), "--host", "127.0.0.1", ...extra], {
    env: { ...langEnv(lang), ...opts.env },
  });
  const m = await p.waitFor(pattern("serve.listening", lang, { line: true }));
  const local = /^127\.0\.0\.1:(\d+)$/.exec(m[1]);
  if (!local) throw new Error(`The tracker listens on ${m[1]}, not on 127.0.0.1`);
  const line = (key: "serve.joinCode" | "serve.joinCodeKept" | "serve.open") =>
    pattern(key, lang, { line: true }).source;
  const access = await p.waitFor(
    new RegExp(`${line("serve.joinCodeKept")}|${line("serve.joinCode")}|${line("serve.open")}`),
  );
  const code = access[1] ?? access[2];
  const bound = Number(local[1]);
  if (code !== undefined) CODES.set(bound, code);
  else CODES.delete(bound);
  return Object.assign(p, { port: bound, code });
}

export interface PeerSetup {
  /** Folder that holds the shared folder and the manifest. */
  home: string;
  dir: string;
  manifest: string;
}

/** A temporary home with a shared folder and a manifest listing `files` (name → contents). */
export async function makeHome(files: Record<string, string | Uint8Array>): Promise<PeerSetup> {
  const home = await Deno.makeTempDir({ prefix: "rede-p2p-test-" });
  const dir = join(home, "share");
  await Deno.mkdir(dir);
  const lines = [];
  for (const [name, data] of Object.entries(files)) {
    const path = join(dir, name);
    if (typeof data === "string") await Deno.writeTextFile(path, data);
    else await Deno.writeFile(path, data);
    lines.push(`"${name}" "share/${name}"`);
  }
  const manifest = join(home, "meus_arquivos.txt");
  await Deno.writeTextFile(manifest, lines.join("\n") + "\n");
  return { home, dir, manifest };
}

/** The arguments of `join` for a peer of `setup` on 127.0.0.1, then `extra`. */
export function joinArgs(trackerPort: number, setup: PeerSetup, extra: string[] = []): string[] {
  return [
    "join",
    `127.0.0.1:${trackerPort}`,
    "--listen-host",
    "127.0.0.1",
    "--dir",
    setup.dir,
    "--manifest",
    setup.manifest,
    ...(CODES.has(trackerPort) && !extra.includes("--code")
      ? ["--code", CODES.get(trackerPort)!]
      : []),
    ...extra,
  ];
}

/** `p`, or a failure naming `what` if it has not settled within `ms`. */
export async function guard<T>(p: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A peer joined to the tracker at `trackerPort`, its shell driven through stdin, speaking
 * `opts.lang` (English by default).
 */
export async function startPeer(
  program: Program,
  trackerPort: number,
  setup: PeerSetup,
  extra: string[] = [],
  opts: { lang?: Lang } = {},
): Promise<Proc & { port: number }> {
  const lang = opts.lang ?? "en";
  const p = new Proc(program, joinArgs(trackerPort, setup, extra), {
    stdin: true,
    cwd: setup.home,
    env: langEnv(lang),
  });
  // The registration line in the peer's language (its "... is taken" ending, if any, is left
  // out of the pattern): its second placeholder is the address the tracker saw.
  const m = await p.waitFor(pattern("net.registered", lang));
  const local = /^127\.0\.0\.1:(\d+)$/.exec(m[2]);
  if (!local) throw new Error(`The peer registered as ${m[2]}, not on 127.0.0.1`);
  return Object.assign(p, { port: Number(local[1]) });
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const { createHash } = await import("node:crypto");
  const h = createHash("sha256");
  using f = await Deno.open(path);
  const buf = new Uint8Array(1 << 20);
  while (true) {
    const n = await f.read(buf);
    if (n === null) break;
    h.update(buf.subarray(0, n));
  }
  return h.digest("hex");
}

/** Writes `size` bytes of deterministic pseudo-random data, a block at a time. */
export async function writeRandomFile(path: string, size: number, seed = 1): Promise<void> {
  using f = await Deno.open(path, { write: true, create: true, truncate: true });
  const block = new Uint8Array(1 << 20);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < block.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    new DataView(block.buffer).setUint32(i, x >>> 0);
  }
  let left = size;
  let round = 0;
  while (left > 0) {
    block[0] = round & 0xff; // Blocks differ, so misplaced blocks are caught.
    block[1] = (round >> 8) & 0xff;
    block[2] = (round >> 16) & 0xff;
    round++;
    const n = Math.min(left, block.length);
    let off = 0;
    while (off < n) off += await f.write(block.subarray(off, n));
    left -= n;
  }
}

/** Runs a shell command and waits for a line, printed after it, that says it is done. */
export async function run(
  p: Proc,
  line: string,
  done: RegExp,
  guardMs = WAIT_MS,
): Promise<string[]> {
  const mark = p.mark();
  await p.send(line);
  await p.waitFor(done, mark, guardMs);
  return p.since(mark);
}

/**
 * Processes, folders and in-process servers a test made, ended however the test ends. Its
 * processes speak `lang` (English unless given): their environment says so, as a user's would.
 */
export class Scene {
  #procs: Proc[] = [];
  #dirs: string[] = [];
  #cleanups: (() => Promise<void>)[] = [];
  constructor(readonly program: Program, readonly lang: Lang = "en") {}

  /** Registers something to end with the scene (an in-process server, say); last in, first out. */
  defer(cleanup: () => Promise<void>): void {
    this.#cleanups.push(cleanup);
  }

  async tracker(
    port = 0,
    extra: string[] = [],
    opts: { env?: Record<string, string>; lang?: Lang } = {},
  ): Promise<Proc & { port: number; code?: string }> {
    return this.track(await startTracker(this.program, port, extra, { lang: this.lang, ...opts }));
  }

  /** Runs the program once with `args` to its end: its exit status and its non-empty lines. */
  async cli(args: string[]): Promise<{ code: number; lines: string[] }> {
    const p = this.track(new Proc(this.program, args, { env: langEnv(this.lang) }));
    const { code } = await p.done;
    return { code, lines: p.lines.filter((l) => l !== "") };
  }

  async home(files: Record<string, string | Uint8Array> = {}): Promise<PeerSetup> {
    const h = await makeHome(files);
    this.#dirs.push(h.home);
    return h;
  }

  /** A home sharing `name`, a hard link to `source`: the same content in every home. */
  async seedHome(source: string, name: string): Promise<PeerSetup> {
    const h = await this.home();
    await Deno.link(source, join(h.dir, name));
    await Deno.writeTextFile(h.manifest, `${name} share/${name}\n`);
    return h;
  }

  async peer(
    trackerPort: number,
    setup: PeerSetup,
    extra: string[] = [],
  ): Promise<Proc & { port: number }> {
    return this.track(
      await startPeer(this.program, trackerPort, setup, extra, { lang: this.lang }),
    );
  }

  /** A file of generated data in a folder of its own. */
  async file(size: number, seed: number): Promise<string> {
    const dir = await Deno.makeTempDir({ prefix: "rede-p2p-data-" });
    this.#dirs.push(dir);
    const path = join(dir, "data.bin");
    await writeRandomFile(path, size, seed);
    return path;
  }

  track<P extends Proc>(p: P): P {
    this.#procs.push(p);
    return p;
  }

  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0).reverse()) await cleanup();
    await Promise.all(this.#procs.map((p) => p.stop()));
    await Promise.all(this.#dirs.map((d) => Deno.remove(d, { recursive: true })));
  }
}

/** A test with a {@link Scene} (in `lang`, English by default) that is closed whatever happens. */
export function sceneTest(
  program: Program,
  name: string,
  fn: (s: Scene) => Promise<void>,
  lang: Lang = "en",
): void {
  Deno.test(name, async () => {
    const scene = new Scene(program, lang);
    try {
      await fn(scene);
    } finally {
      await scene.close();
    }
  });
}

/**
 * Bytes each source sent, by its address (`127.0.0.1:PORT`), from the `sources:` line a download
 * prints in `lang` (each source as `NAME (ADDRESS) SIZE`, or `ADDRESS SIZE` when it has no name;
 * sizes as that language writes them: `1.5 MiB`, or `1,5 MiB` and `1.023 B` in Portuguese).
 */
export function contributions(lines: string[], lang: Lang = "en"): Map<string, number> {
  const MIB = 1024 * 1024;
  const head = (CATALOGUES[lang]["fetch.sources"] as string).replace("{list}", "");
  const line = lines.find((l) => l.startsWith(head)) ?? "";
  const out = new Map<string, number>();
  for (const part of line.slice(head.length).split(", ")) {
    const m = /^(?:\S+ \((\S+)\)|(\S+)) ([\d.,]+) (B|KiB|MiB|GiB)$/.exec(part);
    if (m) {
      const number = lang === "pt" ? m[3].replaceAll(".", "").replace(",", ".") : m[3];
      const unit = { B: 1, KiB: 1024, MiB: MIB, GiB: 1024 * MIB }[m[4]]!;
      out.set(m[1] ?? m[2], Number(number) * unit);
    }
  }
  return out;
}
