import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { RedeError } from "../core/errors.ts";
import { CHUNK_BYTES } from "../core/limits.ts";
import { chunkSpan, type Descriptor } from "../core/content.ts";
import { errorLine } from "../core/errors.ts";
import { describeFile } from "../storage/chunks.ts";
import { downloadContent, type Source, type TransferEvent } from "../storage/download.ts";
import { freeName, partialPaths } from "../storage/paths.ts";
import { BufferPool, Credits } from "../storage/schedule.ts";
import { shareNameProblem, sharePathProblem } from "../core/names.ts";
import { ShareIndex } from "../storage/share_index.ts";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-storage-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The lines a shell would print for the events that are not progress. */
function logTo(lines: string[]): (e: TransferEvent) => void {
  return (e) => {
    if (e.kind === "dropped") lines.push(`Dropped source ${e.source}: ${errorLine(e.error)}`);
    if (e.kind === "resumed") lines.push(`Resuming: ${e.have} of ${e.total}`);
    if (e.kind === "discarded") lines.push("Discarding");
  };
}

async function listing(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

/** A source serving chunks of `data` from memory: the scheduler's side of the contract. */
class MemorySource implements Source {
  served = 0;
  closed = false;
  #queue: number[] = [];
  constructor(
    readonly label: string,
    private data: Uint8Array,
    private opts: {
      corrupt?: boolean;
      failAfter?: number;
      onServe?: (i: number) => void;
      /** Never answers after this many chunks (until closed). */
      stallAfter?: number;
    } = {},
  ) {}
  #onClose?: () => void;
  request(index: number): Promise<void> {
    this.#queue.push(index);
    return Promise.resolve();
  }
  receive(
    buf: Uint8Array,
    onBytes?: (n: number) => void,
  ): Promise<{ index: number; size: number }> {
    if (this.closed) return Promise.reject(new Error("closed"));
    if (this.opts.stallAfter !== undefined && this.served >= this.opts.stallAfter) {
      return new Promise((_, reject) => (this.#onClose = () => reject(new Error("closed"))));
    }
    if (this.opts.failAfter !== undefined && this.served >= this.opts.failAfter) {
      return Promise.reject(new RedeError("CLOSED", `${this.label} went away`));
    }
    const index = this.#queue.shift()!;
    const { offset, length } = chunkSpan(
      { size: this.data.length, chunk_size: CHUNK_BYTES },
      index,
    );
    buf.set(this.data.subarray(offset, offset + length));
    // The bytes come in two halves, as they would off a socket.
    onBytes?.(length >> 1);
    onBytes?.(length - (length >> 1));
    if (this.opts.corrupt) buf[0] ^= 1;
    this.served++;
    this.opts.onServe?.(index);
    return Promise.resolve({ index, size: length });
  }
  close(): void {
    this.closed = true;
    this.#onClose?.();
  }
}

async function fixture(dir: string, size: number): Promise<{ data: Uint8Array; desc: Descriptor }> {
  const data = new Uint8Array(randomBytes(size));
  const src = join(dir, "source.bin");
  await Deno.writeFile(src, data);
  const desc = await describeFile(src);
  await Deno.remove(src);
  return { data, desc };
}

Deno.test("share names that could leave the share are refused", () => {
  for (const ok of ["a.txt", "meu arquivo.png", "ação.pdf", "a..b"]) {
    assert.equal(shareNameProblem(ok), undefined, ok);
  }
  for (
    const bad of [
      ...["", "..", ".", "../x", "a/b", "..\\x", "/etc/passwd", "C:evil", "a\u0000b", "NUL"],
      ...[".hidden", ".rede-p2p", "a\u009bb", "\u202etxt.exe"],
    ]
  ) {
    assert.notEqual(shareNameProblem(bad), undefined, JSON.stringify(bad));
  }
  assert.equal(sharePathProblem("fotos/2024/a.jpg"), undefined);
  for (const bad of ["fotos/../x", "/abs", "a//b", "a/", "a\\b", "a/./b"]) {
    assert.notEqual(sharePathProblem(bad), undefined, bad);
  }
});

Deno.test("free names never replace an existing file", async () => {
  await withTempDir(async (dir) => {
    assert.equal(await freeName(dir, "a.txt"), "a.txt");
    await Deno.writeTextFile(join(dir, "a.txt"), "x");
    await Deno.writeTextFile(join(dir, "a (1).txt"), "x");
    assert.equal(await freeName(dir, "a.txt"), "a (2).txt");
    assert.equal(await freeName(dir, "README", (n) => n === "README"), "README (1)");
    await Deno.mkdir(join(dir, "f"));
    await Deno.writeTextFile(join(dir, "f", "b.txt"), "x");
    assert.equal(await freeName(dir, "f/b.txt"), "f/b (1).txt");
  });
});

Deno.test("chunks come from every source and the file is whole", async () => {
  await withTempDir(async (dir) => {
    const { data, desc } = await fixture(dir, 5 * CHUNK_BYTES + 123);
    const sources = ["a", "b", "c"].map((l) => new MemorySource(l, data));
    const result = await downloadContent({
      dir,
      name: "f.bin",
      desc,
      sources: sources.map((s) => () => Promise.resolve(s)),
    });
    assert.equal(result.name, "f.bin");
    assert.deepEqual(await Deno.readFile(result.path), data);
    assert.equal(result.bySource.size, 3, "each source contributed");
    assert.ok(sources.every((s) => s.closed));
    assert.deepEqual(await listing(dir), ["f.bin"], "no partial file or state left");
  });
});

Deno.test("a whole source's suggestions are taken first, the rest from it all the same", async () => {
  await withTempDir(async (dir) => {
    const { data, desc } = await fixture(dir, 5 * CHUNK_BYTES);
    const order: number[] = [];
    let asks = 0;
    const source = Object.assign(new MemorySource("s", data, { onServe: (i) => order.push(i) }), {
      whole: true,
      haves: () => Promise.resolve(++asks === 1 ? [3] : []),
      has: (i: number) => i === 3,
    });
    const result = await downloadContent({
      dir,
      name: "f.bin",
      desc,
      sources: [() => Promise.resolve(source)],
    });
    assert.deepEqual(await Deno.readFile(result.path), data);
    assert.equal(order[0], 3, "the suggested chunk first");
    assert.equal(order.length, 5, "every chunk once");
    assert.ok(asks >= 2, "asked again once its suggestion was used up");
  });
});

Deno.test("an empty file downloads too", async () => {
  await withTempDir(async (dir) => {
    const { data, desc } = await fixture(dir, 0);
    const result = await downloadContent({
      dir,
      name: "empty",
      desc,
      sources: [() => Promise.resolve(new MemorySource("s", data))],
    });
    assert.equal((await Deno.stat(result.path)).size, 0);
    assert.deepEqual(await listing(dir), ["empty"]);
  });
});

Deno.test("a source sending bad chunks is dropped and the others finish", async () => {
  await withTempDir(async (dir) => {
    const { data, desc } = await fixture(dir, 3 * CHUNK_BYTES);
    const bad = new MemorySource("bad", data, { corrupt: true });
    const good = new MemorySource("good", data);
    const lines: string[] = [];
    const result = await downloadContent({
      dir,
      name: "f.bin",
      desc,
      sources: [() => Promise.resolve(bad), () => Promise.resolve(good)],
      onEvent: logTo(lines),
    });
    assert.deepEqual(await Deno.readFile(result.path), data);
    assert.equal(result.bySource.get("bad") ?? 0, 0, "no bad byte counted or written");
    assert.ok(
      lines.some((l) => /Dropped source bad: .*does not match its hash/.test(l)),
      lines.join(),
    );
  });
});

Deno.test("a source that stalls cannot hold the download back (endgame)", async () => {
  await withTempDir(async (dir) => {
    const { data, desc } = await fixture(dir, 4 * CHUNK_BYTES);
    const slow = new MemorySource("slow", data, { stallAfter: 0 });
    const fast = new MemorySource("fast", data);
    const lines: string[] = [];
    const result = await downloadContent({
      dir,
      name: "f.bin",
      desc,
      sources: [() => Promise.resolve(slow), () => Promise.resolve(fast)],
      onEvent: logTo(lines),
    });
    assert.deepEqual(await Deno.readFile(result.path), data);
    assert.equal(result.bySource.get("fast"), data.length);
    assert.ok(slow.closed, "the stalled source is let go");
    assert.deepEqual(lines, [], "finishing is not reported as a failure");
  });
});

Deno.test("an interrupted download resumes without fetching what it has", async () => {
  await withTempDir(async (dir) => {
    const total = 6;
    const { data, desc } = await fixture(dir, total * CHUNK_BYTES - 5);
    const kept: number[] = [];
    const dying = new MemorySource("dying", data, { failAfter: 4, onServe: (i) => kept.push(i) });
    await assert.rejects(
      downloadContent({ dir, name: "f.bin", desc, sources: [() => Promise.resolve(dying)] }),
      (e) =>
        e instanceof RedeError && e.code === "UNREACHABLE" && /4 of 6 chunks kept/.test(e.message),
    );
    const paths = partialPaths(dir, "f.bin");
    assert.deepEqual(await listing(dir), [".f.bin.rede-part", ".f.bin.rede-part.json"]);
    assert.equal(JSON.parse(await Deno.readTextFile(paths.state)).root, desc.root);

    const fetched: number[] = [];
    const fresh = new MemorySource("fresh", data, { onServe: (i) => fetched.push(i) });
    const result = await downloadContent({
      dir,
      name: "f.bin",
      desc,
      sources: [() => Promise.resolve(fresh)],
    });
    const missing = [...Array(total).keys()].filter((i) => !kept.slice(0, 4).includes(i));
    assert.deepEqual(fetched.sort(), missing, "only the missing chunks are fetched");
    const keptBytes = kept.slice(0, 4).reduce((n, i) => n + chunkSpan(desc, i).length, 0);
    assert.equal(result.resumed, keptBytes);
    assert.deepEqual(await Deno.readFile(result.path), data);
    assert.deepEqual(await listing(dir), ["f.bin"]);
  });
});

Deno.test("a damaged partial chunk is fetched again; cancelling keeps the partial", async () => {
  await withTempDir(async (dir) => {
    const { data, desc } = await fixture(dir, 3 * CHUNK_BYTES);
    const ctl = new AbortController();
    const src = new MemorySource("s", data, { onServe: (i) => i === 1 && ctl.abort() });
    await assert.rejects(
      downloadContent({
        dir,
        name: "f.bin",
        desc,
        signal: ctl.signal,
        sources: [() => Promise.resolve(src)],
      }),
      (e) => e instanceof RedeError && e.code === "CANCELLED",
    );
    const paths = partialPaths(dir, "f.bin");
    // Damage a byte of chunk 0 as a crash between writes might.
    using f = await Deno.open(paths.data, { write: true });
    await f.write(new Uint8Array([data[0] ^ 0xff]));
    const fetched: number[] = [];
    const again = new MemorySource("again", data, { onServe: (i) => fetched.push(i) });
    const result = await downloadContent({
      dir,
      name: "f.bin",
      desc,
      sources: [() => Promise.resolve(again)],
    });
    assert.ok(fetched.includes(0), "the damaged chunk was fetched again");
    assert.deepEqual(await Deno.readFile(result.path), data);
  });
});

Deno.test("the share index describes files, caches across restarts, rehashes changes", async () => {
  await withTempDir(async (home) => {
    const dir = join(home, "share");
    await Deno.mkdir(join(dir, "fotos", "2024"), { recursive: true });
    await Deno.writeTextFile(join(dir, "a.txt"), "alpha");
    await Deno.writeTextFile(join(dir, "fotos", "x.jpg"), "x");
    await Deno.writeTextFile(join(dir, "fotos", "2024", "y.jpg"), "y");
    const manifest = join(home, "list.txt");
    await Deno.writeTextFile(
      manifest,
      "a.txt share/a.txt\nfotos share/fotos\nnope.txt share/nope\n",
    );
    const first = new ShareIndex(dir, manifest);
    const r1 = await first.refresh();
    assert.equal(r1.hashed, 3);
    assert.deepEqual(first.list().map((f) => f.name), ["a.txt", "fotos/2024/y.jpg", "fotos/x.jpg"]);
    assert.match(r1.problems[0], /^Line 3: 'nope.txt': file not found/);

    const restarted = new ShareIndex(dir, manifest);
    assert.equal((await restarted.refresh()).hashed, 0, "the cache spares a rehash");
    const before = await restarted.describe("a.txt");
    await Deno.writeTextFile(join(dir, "a.txt"), "alpha, changed");
    const buf = new Uint8Array(CHUNK_BYTES);
    await assert.rejects(
      restarted.readChunk(before.root, 0, buf),
      (e) => e instanceof RedeError && e.code === "NOT_FOUND",
      "bytes that no longer match the announced root are not served",
    );
    const after = await restarted.describe("a.txt");
    assert.equal(after.size, 14);
    assert.equal(await restarted.readChunk(after.root, 0, buf), 14);
    await assert.rejects(
      restarted.describe("../list.txt"),
      (e) => e instanceof RedeError && e.code === "NOT_FOUND",
      "a name is only looked up, never joined to a path",
    );
  });
});

Deno.test("without a manifest every visible file of the folder is shared, recursively", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "a.txt"), "a");
    await Deno.writeTextFile(join(dir, ".hidden"), "h");
    await Deno.mkdir(join(dir, "sub"));
    await Deno.writeTextFile(join(dir, "sub", "b.txt"), "b");
    const index = new ShareIndex(dir, join(dir, "no-such-manifest.txt"));
    assert.equal((await index.refresh()).mode, "folder");
    assert.deepEqual(index.list().map((f) => f.name), ["a.txt", "sub/b.txt"]);
  });
});

Deno.test("chunk buffers are made only as sources need them, never past the cap", async () => {
  const pool = new BufferPool(3, 16);
  assert.equal(pool.made, 0); // Nothing is allocated before a source asks.
  pool.allow(2); // One source at work: one buffer being filled, one being written.
  const a = await pool.take();
  const b = await pool.take();
  let third: Uint8Array | undefined;
  const waiting = pool.take().then((buf) => (third = buf));
  await Promise.resolve();
  assert.equal(third, undefined); // A third waits for a buffer given back...
  pool.give(a);
  assert.equal(await waiting, a); // ...and gets that one, reused, not a new one.
  assert.equal(pool.made, 2);
  pool.allow(10); // More sources: still never more than the cap.
  await pool.take();
  const late = pool.take();
  let got = false;
  void late.then(() => (got = true));
  await Promise.resolve();
  assert.equal(pool.made, 3);
  assert.equal(got, false);
  pool.give(b);
  assert.equal(await late, b);
});

Deno.test("requests in flight are capped per download, and freed credits go to sources in line", async () => {
  const credits = new Credits(2);
  assert.ok(credits.take());
  assert.ok(credits.take());
  assert.equal(credits.take(), false); // The cap: a third request waits.
  const order: string[] = [];
  const first = credits.wait().then(() => order.push("first"));
  const second = credits.wait().then(() => order.push("second"));
  credits.give(1); // An answered request: its credit goes to the first in line...
  assert.equal(credits.take(), false); // ...and a source not in line cannot jump ahead.
  await first;
  assert.deepEqual(order, ["first"]);
  credits.give(2); // One to the second in line, one back to the free count.
  await second;
  assert.deepEqual(order, ["first", "second"]);
  assert.ok(credits.take());
  assert.equal(credits.take(), false);
});

Deno.test("download: progress counts the bytes of a chunk as they arrive, from where it starts", async () => {
  await withTempDir(async (dir) => {
    const { data, desc } = await fixture(dir, 3 * CHUNK_BYTES);
    const progress: { received: number; arriving: number }[] = [];
    await downloadContent({
      dir,
      name: "f.bin",
      desc,
      sources: [() => Promise.resolve(new MemorySource("a", data))],
      onEvent: (e) => {
        if (e.kind === "progress") progress.push({ received: e.received, arriving: e.arriving });
      },
    });
    assert.deepEqual(progress[0], { received: 0, arriving: 0 }); // Where the transfer starts.
    // Half a chunk in, before any chunk is verified: the bar can move within a chunk.
    assert.ok(
      progress.some((p) => p.received === 0 && p.arriving === CHUNK_BYTES >> 1),
      JSON.stringify(progress),
    );
    assert.deepEqual(progress.at(-1), { received: 3 * CHUNK_BYTES, arriving: 0 });
  });
});
