import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { RedeError } from "../net/errors.ts";
import { freeName, type ReadFn, saveDownload } from "../storage/download.ts";
import { shareNameProblem } from "../storage/names.ts";
import { ShareIndex } from "../storage/share_index.ts";

const sha = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-storage-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A source of `data` handing out at most `step` bytes a read, ending after `limit` bytes. */
function source(data: Uint8Array, step = 7000, limit = data.length): ReadFn {
  let off = 0;
  return (p) => {
    if (off >= limit) return Promise.resolve(null);
    const n = Math.min(step, p.length, limit - off);
    p.set(data.subarray(off, off + n));
    off += n;
    return Promise.resolve(n);
  };
}

async function names(dir: string): Promise<string[]> {
  const out = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("share names that could leave the share are refused", () => {
  for (const ok of ["a.txt", "meu arquivo.png", "ação.pdf", ".hidden", "a..b"]) {
    assert.equal(shareNameProblem(ok), undefined, ok);
  }
  for (
    const bad of [
      "",
      "..",
      ".",
      "../x",
      "a/b",
      "..\\x",
      "/etc/passwd",
      "C:evil",
      "a\u0000b",
      "a\nb",
      "NUL",
      "com1.txt",
      " lead",
      "x".repeat(300),
    ]
  ) {
    assert.notEqual(shareNameProblem(bad), undefined, JSON.stringify(bad));
  }
});

Deno.test("free names never replace an existing file", async () => {
  await withTempDir(async (dir) => {
    assert.equal(await freeName(dir, "a.txt"), "a.txt");
    await Deno.writeTextFile(join(dir, "a.txt"), "x");
    await Deno.writeTextFile(join(dir, "a (1).txt"), "x");
    assert.equal(await freeName(dir, "a.txt"), "a (2).txt");
    assert.equal(await freeName(dir, "README", (n) => n === "README"), "README (1)");
    assert.equal(await freeName(dir, ".env", (n) => n === ".env"), ".env (1)");
  });
});

Deno.test("a verified download gets its name; a taken name gets a free one", async () => {
  await withTempDir(async (dir) => {
    const data = new Uint8Array(randomBytes(3 * 1024 * 1024 + 17));
    const progress: number[] = [];
    const saved = await saveDownload({
      dir,
      name: "f.bin",
      size: data.length,
      sha256: sha(data),
      read: source(data),
      onProgress: (n) => progress.push(n),
    });
    assert.equal(saved.name, "f.bin");
    assert.deepEqual(await Deno.readFile(saved.path), data);
    assert.equal(progress.at(-1), data.length);
    const again = await saveDownload({
      dir,
      name: "f.bin",
      size: data.length,
      sha256: sha(data),
      read: source(data),
    });
    assert.equal(again.name, "f (1).bin");
    assert.deepEqual(await names(dir), ["f (1).bin", "f.bin"]);
  });
});

Deno.test("bad or short data leaves nothing behind", async () => {
  await withTempDir(async (dir) => {
    const data = new Uint8Array(randomBytes(2 * 1024 * 1024));
    await assert.rejects(
      saveDownload({
        dir,
        name: "x",
        size: data.length,
        sha256: "0".repeat(64),
        read: source(data),
      }),
      (e) => e instanceof RedeError && e.code === "HASH_MISMATCH",
    );
    await assert.rejects(
      saveDownload({
        dir,
        name: "x",
        size: data.length,
        sha256: sha(data),
        read: source(data, 9000, 1_000_000),
      }),
      (e) => e instanceof RedeError && e.code === "CLOSED",
    );
    const ctl = new AbortController();
    await assert.rejects(
      saveDownload({
        dir,
        name: "x",
        size: data.length,
        sha256: sha(data),
        signal: ctl.signal,
        read: (p) => {
          ctl.abort();
          return Promise.reject(new Error("connection closed"));
          // deno-lint-ignore no-unreachable
          return Promise.resolve(p.length);
        },
      }),
      (e) => e instanceof RedeError && e.code === "CANCELLED",
    );
    assert.deepEqual(await names(dir), [], "no final file and no partial file");
  });
});

Deno.test("the share index hashes once, caches across restarts, and rehashes changes", async () => {
  await withTempDir(async (home) => {
    const dir = join(home, "share");
    await Deno.mkdir(dir);
    await Deno.writeTextFile(join(dir, "a.txt"), "alpha");
    await Deno.writeTextFile(join(dir, "b c.txt"), "beta");
    const manifest = join(home, "list.txt");
    await Deno.writeTextFile(
      manifest,
      'a.txt share/a.txt\n"b c.txt" "share/b c.txt"\nmissing.txt share/missing.txt\n',
    );
    const first = new ShareIndex(dir, manifest);
    const r1 = await first.refresh();
    assert.equal(r1.mode, "manifest");
    assert.equal(r1.hashed, 2);
    assert.deepEqual(first.list(), [
      { name: "a.txt", size: 5, sha256: sha("alpha") },
      { name: "b c.txt", size: 4, sha256: sha("beta") },
    ]);
    assert.equal(r1.problems.length, 1);
    assert.match(r1.problems[0], /^Line 3: 'missing.txt': file not found/);

    const restarted = new ShareIndex(dir, manifest);
    assert.equal((await restarted.refresh()).hashed, 0, "the cache spares a rehash");

    // Changed on disk (new size): rehashed before it is served again.
    await Deno.writeTextFile(join(dir, "a.txt"), "alpha, changed");
    const { file, info } = await restarted.open("a.txt");
    file.close();
    assert.equal(info.sha256, sha("alpha, changed"));
    assert.equal(info.size, 14);
    await assert.rejects(
      restarted.open("../list.txt"),
      (e) => e instanceof RedeError && e.code === "BAD_NAME",
    );
    await assert.rejects(
      restarted.open("missing.txt"),
      (e) => e instanceof RedeError && e.code === "NOT_FOUND",
    );
  });
});

Deno.test("without a manifest every regular, visible file of the folder is shared", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "a.txt"), "a");
    await Deno.writeTextFile(join(dir, ".hidden"), "h");
    await Deno.mkdir(join(dir, "sub"));
    const index = new ShareIndex(dir, join(dir, "no-such-manifest.txt"));
    const report = await index.refresh();
    assert.equal(report.mode, "folder");
    assert.deepEqual(index.list().map((f) => f.name), ["a.txt"]);
  });
});
