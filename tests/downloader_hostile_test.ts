/**
 * The downloader against what a hostile or unlucky network and disk do to it: fake holders
 * registered before the honest ones, a descriptor announcing more than the disk can hold, a
 * partial file that takes long to re-check, a disk that fills up during a download, and a
 * complete file a crash left unlisted. Every peer and tracker here is real (sockets on
 * 127.0.0.1, real processes for the downloader end to end); the hostile ones are built inside
 * the tests.
 */
import assert from "node:assert/strict";
import { statfsSync } from "node:fs";
import { join } from "node:path";
import { type Descriptor, hashChunk, rootHash } from "../core/content.ts";
import type { RedeError } from "../core/errors.ts";
import {
  CHUNK_BYTES,
  DOWNLOAD_BUFFER_BYTES,
  DOWNLOAD_IN_FLIGHT_BYTES,
  REQUESTS_PER_SOURCE,
} from "../core/limits.ts";
import { Fetcher, type FetchEvent } from "../app/fetch.ts";
import { Node } from "../app/node.ts";
import { describeFile } from "../storage/chunks.ts";
import { downloadContent, type TransferEvent } from "../storage/download.ts";
import { partialPaths } from "../storage/paths.ts";
import { registerByHand, startInProcessPeer } from "./_hostile.ts";
import {
  codeOf,
  IDENTITY_HOME,
  joinArgs,
  type PeerSetup,
  Proc,
  run,
  Scene,
  sceneTest,
  sha256File,
  SOURCE,
  WAIT_MS,
} from "../testing/harness.ts";

const MIB = 1024 * 1024;
const GET_DONE = /^(Saved '|error: |'.*' was already here)/;
const hasCode = (code: string) => (e: unknown) => (e as RedeError)?.code === code;

// --- Helpers -----------------------------------------------------------------------------------

/** A temporary folder for one test, removed however it ends. */
async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-downloader-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Names in a folder (hidden ones too), sorted. */
async function names(dir: string): Promise<string[]> {
  const out = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

/** A descriptor of `count` chunks of zeros: what a sparse file of that size holds. */
function zerosDescriptor(count: number): Descriptor {
  const zero = hashChunk(new Uint8Array(CHUNK_BYTES));
  const chunks = Array<string>(count).fill(zero);
  const size = count * CHUNK_BYTES;
  return { size, chunk_size: CHUNK_BYTES, chunks, root: rootHash(size, chunks, CHUNK_BYTES) };
}

/** Leaves a partial download of `desc` as an interrupted one would: sparse data and its state. */
async function leavePartial(dir: string, name: string, desc: Descriptor): Promise<void> {
  const paths = partialPaths(dir, name);
  using f = await Deno.open(paths.data, { write: true, create: true });
  await f.truncate(desc.size);
  await Deno.writeTextFile(paths.state, JSON.stringify({ version: 1, ...desc }));
}

/**
 * An honest peer running in this process, sharing `setup`'s files, that counts the chunks it
 * reads for downloaders and lets `gate` hold a chunk back until the test says so.
 */
async function startCountingSeeder(
  s: Scene,
  trackerPort: number,
  setup: PeerSetup,
  gate: (index: number) => Promise<void> = () => Promise.resolve(),
): Promise<{ port: number; served: number[] }> {
  const served: number[] = [];
  const port = await startInProcessPeer(
    s,
    trackerPort,
    setup,
    "counting",
    async (read, root, i, buf) => {
      await gate(i);
      served.push(i);
      return await read(root, i, buf);
    },
  );
  return { port, served };
}

/**
 * Registers `port` at the tracker as a holder of `files`, by hand: a member admitted with the
 * join code (identity `fake`), so the tracker lists it like any peer. Ends with the scene.
 */
async function registerFake(
  s: Scene,
  trackerPort: number,
  port: number,
  files: { name: string; size: number; root: string }[],
): Promise<void> {
  await registerByHand(s, trackerPort, "fake", { port, name: "fake", files });
}

/** `p`, or a failure naming `what` after {@link WAIT_MS}: a guard, not a sync point. */
async function guard<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), WAIT_MS);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A port nothing listens on: connecting to it is refused. */
function refusingPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = l.addr as Deno.NetAddr;
  l.close();
  return port;
}

/**
 * A holder that accepts connections and never says a word. It notes when the other side
 * closes each connection; it ends with the scene.
 */
function startSilentHolder(
  s: Scene,
): { port: number; accepted: () => number; allClosed(): Promise<void> } {
  // The first try reaches it over the runtime's TLS, which cannot drop a handshake under way:
  // that one socket stays open until the holder hangs up, and the holder is then reached over
  // `node:tls` (net/peer_tls.ts). Every other connection, the downloader closes.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const reads: Promise<void>[] = [];
  let accepted = 0;
  const loop = (async () => {
    try {
      for await (const conn of listener) {
        accepted++;
        conns.add(conn);
        reads.push((async () => {
          const buf = new Uint8Array(4096);
          try {
            while ((await conn.read(buf)) !== null) { /* Read and say nothing. */ }
          } catch {
            // Reset by the other side, or closed here.
          }
          conns.delete(conn);
          try {
            conn.close();
          } catch {
            // Closed here already.
          }
        })());
      }
    } catch {
      // The listener was closed.
    }
  })();
  s.defer(async () => {
    listener.close();
    for (const c of conns) c.close();
    await loop;
    await Promise.all(reads);
  });
  return {
    port: (listener.addr as Deno.NetAddr).port,
    accepted: () => accepted,
    allClosed: () =>
      guard(
        (async () => {
          // Every connection it accepted but that first handshake, the other side closed.
          let seen = 1;
          while (seen < reads.length) await Promise.all(reads.slice(seen, seen = reads.length));
        })(),
        "the downloader to close its connections to the silent holder",
      ),
  };
}

/** Runs `fn` with a {@link Scene} that is closed whatever happens. */
async function sceneRun(fn: (s: Scene) => Promise<void>): Promise<void> {
  const s = new Scene(SOURCE);
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

// --- 1. A fake holder registered first ---------------------------------------------------------

for (const kind of ["refuses connections", "accepts and never answers"] as const) {
  sceneTest(
    SOURCE,
    `downloader: a fake holder that ${kind}, registered first, does not break 'get NAME'`,
    async (s) => {
      const t = await s.tracker();
      const data = await s.file(9 * MIB, 71); // Three chunks.
      const desc = await describeFile(data);
      const files = [{ name: "big.bin", size: desc.size, root: desc.root }];
      const silent = startSilentHolder(s);
      // The fake registers before anyone else, so the tracker names it first.
      await registerFake(
        s,
        t.port,
        kind === "refuses connections" ? refusingPort() : silent.port,
        files,
      );
      const seeder = await s.peer(t.port, await s.seedHome(data, "big.bin"), ["--name", "seeder"]);
      const home = await s.home();
      const down = await s.peer(t.port, home);
      const started = performance.now();
      const out = await run(down, "get big.bin", GET_DONE);
      const ms = performance.now() - started;
      assert.match(
        out.find((l) => GET_DONE.test(l))!,
        new RegExp(
          `^Saved 'big\\.bin' \\(9 MiB\\) from seeder \\(127\\.0\\.0\\.1:${seeder.port}\\) `,
        ),
        out.join("\n"),
      );
      assert.equal(await sha256File(join(home.dir, "big.bin")), await sha256File(data));
      if (kind === "accepts and never answers") {
        assert.ok(silent.accepted() > 0, "the downloader did try the silent holder");
        // It did not wait for the silent holder's hello deadline: every connection to it is
        // closed by the downloader once the file is in.
        await silent.allClosed();
      }
      console.log(`  'get big.bin' with a fake holder that ${kind}: ${ms.toFixed(0)} ms`);
    },
  );
}

// A connection still in its TLS handshake with a holder that accepts and never answers is
// closed as soon as the download no longer needs it (the connect takes the download's signal),
// not when `connectMs` (here a minute) runs out.
Deno.test({
  name:
    "downloader: with hello and reply deadlines of a minute, fake holders listed first cost nothing",
  fn: () =>
    sceneRun(async (s) => {
      // The engine in this process, its deadlines a minute long: whatever it did not close itself
      // would stay open past the guard, and a fallback that waited for a deadline would not finish.
      const t = await s.tracker();
      const data = await s.file(9 * MIB, 72);
      const desc = await describeFile(data);
      const files = [{ name: "big.bin", size: desc.size, root: desc.root }];
      const silent = startSilentHolder(s);
      await registerFake(s, t.port, silent.port, files);
      await registerFake(s, t.port, refusingPort(), files);
      await registerFake(s, t.port, startSilentHolder(s).port, files);
      const seeder = await s.peer(t.port, await s.seedHome(data, "big.bin"), ["--name", "seeder"]);
      const home = await s.home();
      const node = await Node.start({
        tracker: { host: "127.0.0.1", port: t.port },
        dir: home.dir,
        manifest: home.manifest,
        listenHost: "127.0.0.1",
        listenPort: 0,
        log: () => {},
        code: () => Promise.resolve(codeOf(t.port)!),
        home: IDENTITY_HOME,
        timings: { connectMs: 60_000, helloMs: 60_000, replyMs: 60_000, chunkMs: 60_000 },
      });
      s.defer(() => node.close());
      await node.tracker.start();
      const events: FetchEvent[] = [];
      const failed = await guard(
        new Fetcher(node).fetch([{ name: "big.bin", root: desc.root }], {
          signal: new AbortController().signal,
          onEvent: (e) => events.push(e),
        }),
        "the download",
      );
      assert.deepEqual(failed.map((e) => String(e)), []);
      const saved = events.find((e) => e.kind === "saved");
      assert.ok(saved?.kind === "saved", "saved");
      assert.deepEqual([...saved.bySource.keys()], [`seeder (127.0.0.1:${seeder.port})`]);
      assert.equal(await sha256File(join(home.dir, "big.bin")), await sha256File(data));
      assert.ok(silent.accepted() > 0, "the downloader did try the first silent holder");
      await silent.allClosed();
    }),
});

// --- 2. A descriptor larger than the disk; re-checking a partial file --------------------------

Deno.test("downloader: a file larger than the free space is refused before anything is written", async () => {
  await withTempDir(async (dir) => {
    const st = statfsSync(dir);
    const free = st.bavail * st.bsize;
    // More than the disk has free, whatever the disk (a hostile descriptor said 524 GB).
    const desc = zerosDescriptor(Math.ceil(free / CHUNK_BYTES) + 16);
    let opened = 0;
    const events: TransferEvent[] = [];
    const attempt = () =>
      downloadContent({
        dir,
        name: "huge.bin",
        desc,
        sources: [() => {
          opened++;
          return Promise.reject(new Error("no source should be opened"));
        }],
        onEvent: (e) => events.push(e),
      });
    await assert.rejects(attempt(), (e) => {
      assert.ok(hasCode("NO_SPACE")(e), String(e));
      assert.match(
        (e as Error).message,
        /^Not enough free space for 'huge\.bin': it needs [\d.]+ GiB, [\d.]+ [KMGT]?i?B free/,
      );
      assert.ok(!(e as Error).message.includes("\n"), "one line");
      return true;
    });
    assert.deepEqual(await names(dir), [], "no partial file was made");
    assert.equal(opened, 0);
    // A huge sparse partial file left by an earlier version: refused at once, never re-hashed.
    await leavePartial(dir, "huge.bin", desc);
    await assert.rejects(attempt(), hasCode("NO_SPACE"));
    assert.deepEqual(events.filter((e) => e.kind === "checking"), [], "nothing was re-hashed");
    assert.equal(opened, 0);
  });
});

Deno.test("downloader: re-checking a partial file reports progress and stops promptly on cancel", async () => {
  await withTempDir(async (dir) => {
    const desc = zerosDescriptor(48); // 192 MiB of zeros: every chunk is good.
    await leavePartial(dir, "zeros.bin", desc);
    // Cancelled at the first progress event: the re-check stops within a chunk.
    const cancel = new AbortController();
    const seen: TransferEvent[] = [];
    await assert.rejects(
      downloadContent({
        dir,
        name: "zeros.bin",
        desc,
        sources: [],
        signal: cancel.signal,
        onEvent: (e) => {
          seen.push(e);
          if (e.kind === "checking") cancel.abort();
        },
      }),
      hasCode("CANCELLED"),
    );
    const checks = seen.filter((e) => e.kind === "checking");
    assert.ok(checks.length >= 1 && checks.length <= 2, `${checks.length} progress events`);
    assert.deepEqual(await names(dir), [".zeros.bin.rede-part", ".zeros.bin.rede-part.json"]);
    // Not cancelled: progress arrives chunk by chunk to the end, and the file completes from
    // what was there (nothing to fetch, no source needed).
    const events: TransferEvent[] = [];
    const done = await downloadContent({
      dir,
      name: "zeros.bin",
      desc,
      sources: [],
      onEvent: (e) => events.push(e),
    });
    const progress = events.flatMap((e) => e.kind === "checking" ? [e.done] : []);
    assert.ok(progress.length >= desc.chunks.length / 8, `${progress.length} progress events`);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), "progress only grows");
    assert.equal(progress.at(-1), desc.chunks.length);
    assert.equal(done.resumed, desc.size);
    assert.deepEqual(await names(dir), ["zeros.bin"]);
  });
});

// --- 3. The disk fills up during a download ----------------------------------------------------

/** Runs a shell script (`$0` is `arg`) and returns what it printed; fails if the script does. */
async function shell(script: string, arg: string): Promise<string> {
  const out = await new Deno.Command("sh", { args: ["-c", script, arg], stderr: "inherit" })
    .output();
  if (!out.success) throw new Error(`sh -c ${script} failed`);
  return new TextDecoder().decode(out.stdout).trim();
}

/** Whether this test run may mount a tmpfs in a private mount namespace (root, `unshare`). */
async function canMountTmpfs(): Promise<boolean> {
  if (Deno.build.os !== "linux" || Deno.uid() !== 0) return false;
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-mount-probe-" });
  try {
    const { success } = await new Deno.Command("unshare", {
      args: ["-m", "sh", "-c", 'mount -t tmpfs -o size=1m tmpfs "$0"', dir],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false; // No `unshare` here.
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
const MOUNTABLE = await canMountTmpfs();

/**
 * The disk fills up during a download. With `statfs`, the downloader sees before its next
 * request that what is left cannot fit, and stops; without it (`--deny-sys=statfs`), it stops
 * at the first write that fails with ENOSPC. `bound` is how many chunks the seeder may serve
 * after the disk filled: what was requested before, plus what the downloader's buffers and
 * requests in flight hold when it can only learn of the full disk from a failed write.
 */
const BUFFERS = Math.max(4, Math.floor(DOWNLOAD_BUFFER_BYTES / CHUNK_BYTES));
const IN_FLIGHT = Math.max(4, Math.floor(DOWNLOAD_IN_FLIGHT_BYTES / CHUNK_BYTES));
const DISK_FULL_CASES = [
  { how: "seen before the next request", statfs: true, bound: REQUESTS_PER_SOURCE + 1 },
  {
    how: "at the first failed write (no statfs)",
    statfs: false,
    bound: BUFFERS + IN_FLIGHT + 1,
  },
];

for (const { how, statfs, bound } of DISK_FULL_CASES) {
  Deno.test({
    name: `downloader: a disk that fills up stops the download, ${how}` +
      (MOUNTABLE ? "" : " (skipped: needs root and unshare to mount a private tmpfs)"),
    ignore: !MOUNTABLE,
    fn: async () => {
      const s = new Scene(SOURCE);
      try {
        const t = await s.tracker();
        const total = 32;
        const data = await s.file(total * CHUNK_BYTES, 73);
        let release!: () => void;
        const released = new Promise<void>((r) => (release = r));
        // The seeder serves the first two chunks asked for (the downloader picks them at
        // random), then holds the rest until the disk is full.
        let asked = 0;
        const seeder = await startCountingSeeder(
          s,
          t.port,
          await s.seedHome(data, "big.bin"),
          () => asked++ < 2 ? Promise.resolve() : released,
        );
        const home = await s.home();
        // The downloader's shared folder is a tmpfs a little larger than the file, mounted in a
        // mount namespace of its own; the test reaches it through /proc/PID/root. The script
        // gets the folder as $0, then Deno's path, `run`, and the rest of the command.
        const script =
          `mount -t tmpfs -o size=${
            (total * CHUNK_BYTES) / 1048576 + 8
          }m tmpfs "$0" && deno="$1" && ` +
          `shift 2 && exec "$deno" run ${statfs ? "" : "--deny-sys=statfs "}"$@"`;
        const down = s.track(
          new Proc(SOURCE, joinArgs(t.port, home, ["--verbose"]), {
            stdin: true,
            cwd: home.home,
            wrap: ["unshare", "-m", "sh", "-c", script, home.dir],
          }),
        );
        // However the test ends, the seeder's held chunks go and the downloader ends first, so
        // the seeder has nothing left to wait for when it closes.
        s.defer(async () => {
          release();
          await down.stop();
        });
        await down.waitFor(/^Registered with tracker /);
        // Deno asks for --allow-all to touch /proc/PID/root, so a shell does it.
        const inside = (script: string) =>
          shell(`cd "/proc/${down.pid}/root$0" && ${script}`, home.dir);
        const mark = down.mark();
        await down.send("get big.bin");
        await down.waitFor(/^ {2}chunk \d+ in \(2 of /, mark);
        // Something else fills the disk, leaving less than a chunk.
        const servedBeforeFill = seeder.served.length;
        await inside(
          `dd if=/dev/zero of=.filler bs=64K count=$(( $(stat -f -c '%a' .) * ` +
            `$(stat -f -c '%S' .) / 65536 - 1 )) 2>/dev/null`,
        );
        release();
        const line = (await down.waitFor(/^error: /, mark, 30_000)).input!;
        const after = seeder.served.length - servedBeforeFill;
        console.log(
          `  chunks served after the disk filled: ${after} (bound ${bound}, of ${total})`,
        );
        console.log(`  ${line}`);
        assert.ok(after <= bound, `${after} chunks served after the disk filled (bound ${bound})`);
        assert.match(
          line,
          statfs
            ? /^error: Disk full while writing 'big\.bin' \(\d+ MiB still to write, [\d.]+ [KM]iB free\): download stopped; 2 of 32 chunks kept to resume$/
            : /^error: Disk full while writing 'big\.bin': download stopped; 2 of 32 chunks kept to resume$/,
        );
        // The partial file stays, to resume once there is room.
        assert.deepEqual(
          (await inside("ls -A")).split("\n").filter((n) => n.includes("big")).sort(),
          [".big.bin.rede-part", ".big.bin.rede-part.json"],
        );
        const errors = down.lines.filter((l) => l.startsWith("error: "));
        assert.equal(errors.length, 1, down.lines.join("\n"));
      } finally {
        await s.close();
      }
    },
  });
}

// --- 4. A complete file that a crash left out of the manifest ----------------------------------

sceneTest(
  SOURCE,
  "downloader: a complete file at the target name is checked and adopted, not fetched again",
  async (s) => {
    const t = await s.tracker();
    const data = await s.file(3 * CHUNK_BYTES + 12345, 79);
    const desc = await describeFile(data);
    const seeder = await startCountingSeeder(s, t.port, await s.seedHome(data, "big.bin"));
    // The crash: the file is complete under its final name, the manifest does not list it, and
    // the state file of the download is still there.
    const home = await s.home();
    await Deno.copyFile(data, join(home.dir, "big.bin"));
    await Deno.writeTextFile(
      partialPaths(home.dir, "big.bin").state,
      JSON.stringify({ version: 1, ...desc }),
    );
    const down = await s.peer(t.port, home);
    const out = await run(down, "get big.bin", GET_DONE);
    assert.equal(
      out.find((l) => GET_DONE.test(l)),
      `'big.bin' was already here, complete (root ${desc.root.slice(0, 12)} verified); now shared`,
      out.join("\n"),
    );
    assert.ok(
      out.includes("Checking 'big.bin', already here under that name (4 chunks)"),
      "the check is shown",
    );
    assert.deepEqual(seeder.served, [], "no chunk was fetched");
    assert.deepEqual(
      (await names(home.dir)).filter((n) => n !== ".rede-p2p"),
      ["big.bin"],
      "no '(1)' copy, no partial state left",
    );
    assert.match(await Deno.readTextFile(home.manifest), /^big\.bin .*big\.bin$/m);
    // It is shared now: a second get says so without checking anything again.
    const again = await run(down, "get big.bin", /^'big\.bin' is already here|^error: /);
    assert.match(again.at(-1)!, /^'big\.bin' is already here as 'big\.bin'/);
  },
);
