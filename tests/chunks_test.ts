import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  chunkCount,
  chunkSizeFor,
  chunkSpan,
  Descriptor,
  descriptorProblem,
  hashChunk,
  rootHash,
} from "../core/content.ts";
import { describeFile } from "../storage/chunks.ts";
import * as v from "valibot";
import { CHUNK_BYTES, CHUNKS_TARGET, MAX_CHUNK_BYTES } from "../core/limits.ts";

const sha = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
};

/** The root as docs/PROTOCOL.md defines it, computed independently. */
function expectedRoot(size: number, chunkHashes: string[]): string {
  const head = new Uint8Array(12);
  new DataView(head.buffer).setBigUint64(0, BigInt(size));
  new DataView(head.buffer).setUint32(8, CHUNK_BYTES);
  const hashes = chunkHashes.map((h) =>
    Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)))
  );
  return sha(new TextEncoder().encode("rede-p2p/2"), head, ...hashes);
}

async function describeBytes(data: Uint8Array) {
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-chunks-" });
  try {
    const path = join(dir, "f");
    await Deno.writeFile(path, data);
    return await describeFile(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("known vectors: empty, one byte, one chunk, one chunk plus one byte", async () => {
  const empty = await describeBytes(new Uint8Array(0));
  assert.deepEqual(empty.chunks, []);
  assert.equal(empty.root, expectedRoot(0, []));
  assert.equal(empty.root, "f0190a230879fe4e1ff58bdd78a0436e8526eb6ec763b5e94b249a96d75679d3");

  const one = await describeBytes(new Uint8Array([0x61]));
  assert.deepEqual(one.chunks, [
    "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb",
  ]);
  assert.equal(one.size, 1);
  assert.equal(one.root, expectedRoot(1, one.chunks));
  assert.equal(one.root, "cff06baaa2fbf7cab5851d41bc5b216011fa9d178755bdbea3e170f4c8a0bfad");

  const full = new Uint8Array(CHUNK_BYTES).fill(7);
  const exact = await describeBytes(full);
  assert.deepEqual(exact.chunks, [sha(full)]);
  assert.equal(exact.root, expectedRoot(CHUNK_BYTES, exact.chunks));

  const plus = new Uint8Array(CHUNK_BYTES + 1).fill(7);
  const over = await describeBytes(plus);
  assert.deepEqual(over.chunks, [sha(full), sha(new Uint8Array([7]))]);
  assert.equal(over.root, expectedRoot(CHUNK_BYTES + 1, over.chunks));
  assert.notEqual(over.root, exact.root);
});

Deno.test("chunk arithmetic follows the descriptor's chunk size", () => {
  const c = (size: number, chunk_size = CHUNK_BYTES) => ({ size, chunk_size });
  assert.equal(chunkCount(c(0)), 0);
  assert.equal(chunkCount(c(1)), 1);
  assert.equal(chunkCount(c(CHUNK_BYTES)), 1);
  assert.equal(chunkCount(c(CHUNK_BYTES + 1)), 2);
  assert.deepEqual(chunkSpan(c(CHUNK_BYTES + 1), 1), { offset: CHUNK_BYTES, length: 1 });
  assert.equal(chunkCount(c(10, 4)), 3);
  assert.deepEqual(chunkSpan(c(10, 4), 2), { offset: 8, length: 2 });
  assert.equal(hashChunk(new Uint8Array([0x61])), sha(new Uint8Array([0x61])));
});

Deno.test("the chunk size follows from the size alone: 1 MiB to 1 GiB, 2 MiB to 2 GiB, then 4 MiB", () => {
  const GIB = 1024 ** 3;
  assert.equal(CHUNK_BYTES * CHUNKS_TARGET, GIB);
  for (
    const [size, chunk] of [
      [0, 1],
      [1, 1],
      [GIB, 1],
      [GIB + 1, 2],
      [2 * GIB, 2],
      [2 * GIB + 1, 4],
      [1024 * GIB, 4],
    ]
  ) {
    assert.equal(chunkSizeFor(size), chunk * CHUNK_BYTES, `size ${size}`);
  }
  assert.equal(MAX_CHUNK_BYTES, 4 * CHUNK_BYTES);
});

Deno.test("descriptors are checked for consistency, and the schema applies the check", () => {
  const chunks = [sha(new Uint8Array([1]))];
  const good = { size: 1, chunk_size: CHUNK_BYTES, chunks, root: rootHash(1, chunks, CHUNK_BYTES) };
  assert.equal(descriptorProblem(good), undefined);
  assert.deepEqual(v.parse(Descriptor, { ...good, extra: "dropped" }), good);
  const bad: [object, RegExp][] = [
    [{ ...good, root: "0".repeat(64) }, /root/],
    [{ ...good, size: CHUNK_BYTES + 1 }, /number of chunks/],
    [{ ...good, chunk_size: 1024 }, /chunk size/],
    // A chunk size that exists, but not for a file of this size: the root would not be unique.
    [
      { ...good, chunk_size: 2 * CHUNK_BYTES, root: rootHash(1, chunks, 2 * CHUNK_BYTES) },
      /chunk size/,
    ],
  ];
  for (const [d, re] of bad) {
    assert.match(descriptorProblem(d as typeof good)!, re);
    const r = v.safeParse(Descriptor, d);
    assert.ok(!r.success && re.test(r.issues[0].message), JSON.stringify(r));
  }
  // A negative size is refused by its type before the root is computed (which would throw).
  assert.equal(v.safeParse(Descriptor, { ...good, size: -1 }).success, false);
});
