/**
 * Swarming (issue 9), end to end with real processes on 127.0.0.1: a peer serves the verified
 * chunks of a download still under way, and a holder in part that lies is dropped; and, in
 * process, have-maps, the tracker's partial holdings and a whole holder's suggestions.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CHUNK_BYTES } from "../core/limits.ts";
import { decodeHaveMap, encodeHaveMap } from "../core/have_map.ts";
import { RedeError } from "../core/errors.ts";
import { PartialHoldings } from "../net/tracker_partials.ts";
import { Suggestions } from "../app/suggest.ts";
import { contributions, type Scene, sceneTest, sha256File, SOURCE } from "../testing/harness.ts";
import { startInProcessPeer } from "./_hostile.ts";

const MIB = 1024 * 1024;
const SAVED = /^(Saved '|error: )/;

function swarm(name: string, fn: (s: Scene) => Promise<void>): void {
  sceneTest(SOURCE, `swarm: ${name}`, fn);
}

swarm("a peer serves verified chunks of a download it has not finished", async (s) => {
  const t = await s.tracker();
  const data = await s.file(16 * CHUNK_BYTES, 21);
  // The one whole source is slow: the first downloader is still at it when the second starts.
  const seed = await s.peer(t.port, await s.seedHome(data, "f.bin"), ["--max-upload-rate", "2MB"]);
  const aHome = await s.home();
  const a = await s.peer(t.port, aHome, ["--verbose"]);
  const bHome = await s.home();
  const b = await s.peer(t.port, bHome, ["--verbose"]);
  const aMark = a.mark();
  await a.send("get f.bin");
  await a.waitFor(/^ {2}chunk \d+ in \(2 of 16\)/, aMark, 30_000);
  const bMark = b.mark();
  await b.send("get f.bin");
  // The second gets a chunk from the first while the first still downloads.
  const fromA = new RegExp(
    `^ {2}chunk \\d+ in \\(\\d+ of 16\\) from \\S+ \\(127\\.0\\.0\\.1:${a.port}\\)$`,
  );
  await b.waitFor(fromA, bMark, 60_000);
  assert.ok(!a.since(aMark).some((l) => SAVED.test(l)), "the first had not finished yet");
  const bDone = await b.waitFor(SAVED, bMark, 120_000);
  assert.match(bDone.input!, /^Saved 'f\.bin'/);
  const aDone = await a.waitFor(SAVED, aMark, 120_000);
  assert.match(aDone.input!, /^Saved 'f\.bin'/);
  await b.waitFor(/^ {2}sources: /, bMark);
  const bySource = contributions(b.since(bMark));
  assert.ok((bySource.get(`127.0.0.1:${a.port}`) ?? 0) >= CHUNK_BYTES, [...bySource].join());
  assert.equal(await sha256File(join(bHome.dir, "f.bin")), await sha256File(data));
  assert.equal(await sha256File(join(aHome.dir, "f.bin")), await sha256File(data));
  void seed;
});

swarm("a holder in part that sends chunks that do not match is dropped", async (s) => {
  const t = await s.tracker();
  const data = await s.file(16 * MIB, 22);
  const liarHome = await s.seedHome(data, "f.bin");
  const liar = await startInProcessPeer(
    s,
    t.port,
    liarHome,
    "partial-liar",
    async (read, r, i, b) => {
      const n = await read(r, i, b);
      b[0] ^= 0xff;
      return n;
    },
    true,
  );
  const seed = await s.peer(t.port, await s.seedHome(data, "f.bin"), ["--max-upload-rate", "8MB"]);
  const downHome = await s.home();
  const down = await s.peer(t.port, downHome, ["--verbose"]);
  const mark = down.mark();
  await down.send("get f.bin");
  const done = await down.waitFor(SAVED, mark, 60_000);
  assert.match(done.input!, /^Saved 'f\.bin'/);
  const dropped = down.since(mark).find((l) =>
    l.startsWith(`Dropped source partial-liar (127.0.0.1:${liar})`)
  );
  assert.ok(dropped, down.since(mark).join("\n"));
  assert.match(dropped, /does not match its hash/);
  assert.equal(await sha256File(join(downHome.dir, "f.bin")), await sha256File(data));
  void seed;
});

Deno.test("have-maps: round trip, and a map of the wrong length or with spare bits is refused", () => {
  const map = encodeHaveMap([0, 3, 9], 10);
  assert.deepEqual([...decodeHaveMap(map, 10)], [0, 3, 9]);
  const bad = (m: string, n: number) =>
    assert.throws(
      () => decodeHaveMap(m, n),
      (e) => e instanceof RedeError && e.code === "BAD_PEER",
    );
  bad(map, 20); // Too short for 20 chunks.
  bad(map, 4); // Too long for 4.
  bad(encodeHaveMap(Array.from({ length: 16 }, (_, i) => i), 16), 10); // Bits past chunk 9.
});

Deno.test("the tracker keeps a few partial holdings a peer, counts no impossible one", () => {
  const held = new PartialHoldings<{ ip: string; port: number; id: string }>();
  const peer = { ip: "127.0.0.1", port: 1, id: "a".repeat(64) };
  const root = (n: number) => n.toString(16).padStart(64, "0");
  const list = Array.from(
    { length: 10 },
    (_, n) => ({ root: root(n), size: 8 * CHUNK_BYTES, have: 3 }),
  );
  held.set(peer, [{ root: root(99), size: CHUNK_BYTES, have: 2 }, ...list]);
  assert.deepEqual(held.holders(root(99), [], 10), []); // 2 chunks of a 1-chunk content.
  assert.equal(held.holders(root(0), [], 10)[0].have, 3);
  assert.deepEqual(held.holders(root(4), [], 10), []); // Past the four kept.
  held.drop(peer);
  assert.deepEqual(held.holders(root(0), [], 10), []);
});

const ROOT = "e".repeat(64);
const disjoint = (a: number[], b: number[]) => a.every((i) => !b.includes(i));

Deno.test("a whole holder suggests different chunks to peers that ask together", () => {
  const s = new Suggestions(() => 0);
  const a = s.pick(ROOT, 32, "10.0.0.1");
  assert.equal(a.length, 8, "alone: at most SUGGEST_MAX");
  const b = s.pick(ROOT, 32, "10.0.0.2");
  assert.ok(disjoint(a, b), `${a} / ${b}`);
  for (let n = 3; n <= 6; n++) s.pick(ROOT, 32, `10.0.0.${n}`);
  assert.equal(s.pick(ROOT, 32, "10.0.0.7").length, 5, "32 chunks among 7 askers");
  const few = new Suggestions(() => 0);
  for (let n = 1; n < 8; n++) few.pick(ROOT, 4, `10.0.1.${n}`);
  assert.equal(few.pick(ROOT, 4, "10.0.1.8").length, 2, "4 among 8, but never under SUGGEST_MIN");
  // What was sent most is suggested last.
  const t = new Suggestions(() => 0);
  assert.deepEqual(t.pick(ROOT, 4, "x").sort(), [0, 1, 2, 3]);
  for (const i of [0, 1, 2]) t.sent(ROOT, i);
  assert.ok(t.pick(ROOT, 4, "y").includes(3));
});

Deno.test("a whole holder's suggestions keep bounded state: askers, contents, a window", () => {
  let now = 0;
  const s = new Suggestions(() => now);
  // A hundred addresses asking at once count as SUGGEST_ASKERS (64): 640 / 64 = 10, so 8.
  for (let n = 0; n < 100; n++) s.pick(ROOT, 640, `10.0.${n}.1`);
  assert.equal(s.pick(ROOT, 640, "10.1.0.1").length, 8);
  // Askers older than the window no longer count.
  s.pick(ROOT, 8, "x");
  assert.equal(s.pick(ROOT, 8, "y").length, 4);
  now += 20_000;
  assert.equal(s.pick(ROOT, 8, "z").length, 8);
  // At most SUGGEST_CONTENTS (16) contents are kept: the oldest is forgotten.
  const kept = (others: number) => {
    const u = new Suggestions(() => 0);
    u.pick(ROOT, 8, "x");
    u.pick(ROOT, 8, "y");
    for (let r = 0; r < others; r++) u.pick(r.toString(16).padStart(64, "0"), 8, "x");
    return u.pick(ROOT, 8, "z").length;
  };
  assert.equal(kept(15), 3, "three askers of 8 chunks");
  assert.equal(kept(16), 8, "forgotten: z asks alone");
});
