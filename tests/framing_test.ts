import assert from "node:assert/strict";
import fc from "fast-check";
import { RedeError } from "../core/errors.ts";
import type { ByteReader } from "../core/io.ts";
import { encodeFrame, FrameReader } from "../net/framing.ts";
import { MAX_FRAME_BYTES } from "../core/limits.ts";
import { decodeMessage, encodeMessage, hello, type Message } from "../net/protocol.ts";

/** A source that hands out the given chunks one `read` at a time, then ends. */
function chunked(chunks: Uint8Array[]): ByteReader {
  const queue = chunks.map((c) => c.slice());
  return {
    read(p) {
      const c = queue.shift();
      if (!c) return Promise.resolve(null);
      const n = Math.min(c.length, p.length);
      p.set(c.subarray(0, n));
      if (n < c.length) queue.unshift(c.subarray(n));
      return Promise.resolve(n);
    },
  };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err) => err instanceof RedeError && err.code === code);
}

const sample: Message[] = [
  hello("peer"),
  {
    t: "register",
    port: 4000,
    name: "ana's laptop",
    files: [{ name: "a", size: 1, root: "b".repeat(64) }],
  },
  {
    t: "peer_list",
    peers: [{ ip: "127.0.0.1", port: 4000, id: "e".repeat(64), name: "x", files: 1 }],
    total: 1,
  },
  { t: "describe", name: "meu arquivo.txt" },
  { t: "describe", root: "c".repeat(64) },
  { t: "chunk", root: "a".repeat(64), index: 3 },
  { t: "chunk_data", root: "a".repeat(64), index: 3, size: 10 },
  {
    t: "found",
    results: [{
      name: "a",
      size: 1,
      root: "d".repeat(64),
      peers: [{ ip: "::1", port: 9, id: "f".repeat(64) }],
    }],
  },
  { t: "error", code: "NOT_FOUND", message: "No shared file named 'x'" },
  // Version 4: a private tracker's hello, the join code's PAKE, the membership it signs.
  { ...hello("tracker"), access: "code", sid: "0".repeat(32) },
  { t: "pake", share: "1".repeat(64) },
  { t: "pake_reply", share: "2".repeat(64), confirm: "3".repeat(64) },
  { t: "pake_confirm", confirm: "4".repeat(64) },
  { t: "admitted", member: { net: "5".repeat(32), sig: "c2lnbmF0dXJl" } },
  { ...hello("peer"), member: { net: "5".repeat(32), sig: "c2lnbmF0dXJl" } },
];

Deno.test("frames round-trip however the bytes are split", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
      async (payloads, cuts) => {
        const stream = concat(...payloads.map((p) => encodeFrame(p)));
        const chunks: Uint8Array[] = [];
        let off = 0;
        for (let i = 0; off < stream.length; i++) {
          const n = cuts[i % cuts.length];
          chunks.push(stream.subarray(off, off + n));
          off += n;
        }
        const reader = new FrameReader(chunked(chunks));
        for (const p of payloads) assert.deepEqual(await reader.readFrame(), p);
        assert.equal(await reader.readFrame(), null);
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("raw bytes after a frame are read through the frame buffer", async () => {
  const raw = new Uint8Array([9, 8, 7, 6, 5]);
  const reader = new FrameReader(chunked([concat(encodeFrame(new Uint8Array([1])), raw)]));
  assert.deepEqual(await reader.readFrame(), new Uint8Array([1]));
  const got = new Uint8Array(16);
  let n = 0;
  while (n < raw.length) n += (await reader.readRaw(got.subarray(n)))!;
  assert.deepEqual(got.subarray(0, n), raw);
  assert.equal(await reader.readRaw(got), null);
});

Deno.test("a stream that ends inside a header or payload is BAD_FRAME", async () => {
  const frame = encodeFrame(new Uint8Array([1, 2, 3, 4]));
  for (let cut = 1; cut < frame.length; cut++) {
    const reader = new FrameReader(chunked([frame.subarray(0, cut)]));
    await rejectsWith(reader.readFrame(), "BAD_FRAME");
  }
});

Deno.test("an oversized length is refused before its payload is read", async () => {
  const header = new Uint8Array([0x52, 0x50, 0, 0, 0, 0]);
  new DataView(header.buffer).setUint32(2, MAX_FRAME_BYTES + 1);
  let reads = 0;
  const src: ByteReader = {
    read(p) {
      reads++;
      if (reads > 1) throw new Error("read past the header");
      p.set(header);
      return Promise.resolve(header.length);
    },
  };
  await rejectsWith(new FrameReader(src).readFrame(), "FRAME_TOO_LARGE");
  assert.throws(
    () => encodeFrame(new Uint8Array(17), 16),
    (err) => err instanceof RedeError && err.code === "FRAME_TOO_LARGE",
  );
});

Deno.test("garbage is refused as BAD_FRAME, never a crash", async () => {
  await rejectsWith(
    new FrameReader(chunked([new TextEncoder().encode("GET / HTTP/1.1\r\n")])).readFrame(),
    "BAD_FRAME",
  );
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (bytes) => {
      const reader = new FrameReader(chunked([bytes]), 1024);
      try {
        while ((await reader.readFrame()) !== null) { /* keep reading */ }
      } catch (err) {
        assert.ok(err instanceof RedeError, String(err));
      }
    }),
  );
});

Deno.test("messages round-trip and malformed ones are BAD_FRAME", () => {
  for (const m of sample) assert.deepEqual(decodeMessage(encodeMessage(m)), m);
  const bad = [
    "not json",
    "[1,2]",
    "null",
    '{"t":"nope"}',
    '{"t":"describe","name":5}',
    '{"t":"chunk","root":"x","index":1}',
    '{"t":"chunk","root":"' + "a".repeat(64) + '","index":-1}',
    '{"t":"register","port":0,"name":"x","files":1}',
    '{"t":"register","port":70000,"name":"x","files":1}',
    '{"t":"register","port":1,"name":"x","files":3}',
    '{"t":"peer_list","peers":[{"ip":"1.2.3.4"}]}',
    '{"t":"registered","ip":"1.2.3.4\\u001b[2J","port":1,"heartbeat_ms":5000}',
    // Every field valid but one: an address that is not an IP, an ID that is not one, no ID.
    '{"t":"holders","root":"' + "a".repeat(64) + '","peers":[{"ip":"a b","port":1,"id":"' +
    "e".repeat(64) + '"}]}',
    '{"t":"holders","root":"' + "a".repeat(64) + '","peers":[{"ip":"::1","port":1,"id":"' +
    "E".repeat(64) + '"}]}',
    '{"t":"holders","root":"' + "a".repeat(64) + '","peers":[{"ip":"::1","port":1}]}',
    '{"t":"__proto__"}',
  ];
  for (const text of bad) {
    assert.throws(
      () => decodeMessage(new TextEncoder().encode(text)),
      (err) => err instanceof RedeError && err.code === "BAD_FRAME",
      text,
    );
  }
  assert.throws(() => decodeMessage(new Uint8Array([0xff, 0xfe])), RedeError);
});
