import assert from "node:assert/strict";
import { RedeError } from "../core/errors.ts";
import {
  PEER_MAX_CONNECTIONS,
  PEER_MAX_CONNECTIONS_PER_IP,
  UPLOAD_QUEUE,
  UPLOAD_QUEUE_PER_IP,
  UPLOAD_SLOTS,
  UPLOAD_SLOTS_PER_IP,
} from "../core/limits.ts";
import { UploadGate } from "../net/upload_gate.ts";

const isCode = (code: string) => (e: unknown) => e instanceof RedeError && e.code === code;

Deno.test("upload slots: the rest wait in order, and a full queue answers BUSY", async () => {
  const gate = new UploadGate(2, undefined, { perIp: 2, queue: 5, queuePerIp: 5 });
  const a = await gate.acquire("10.0.0.1");
  const b = await gate.acquire("10.0.0.1");
  const order: number[] = [];
  const waiting = Array.from({ length: 5 }, (_, i) =>
    gate.acquire("10.0.0.1").then((release) => {
      order.push(i);
      release();
    }));
  await assert.rejects(gate.acquire("10.0.0.2"), isCode("BUSY"));
  assert.equal(gate.queued, 5);
  assert.deepEqual(order, [], "nobody passes while both slots are taken");
  a();
  a(); // Releasing twice frees one slot only.
  b();
  await Promise.all(waiting);
  assert.deepEqual(order, [0, 1, 2, 3, 4], "first come, first served");
  const again = await gate.acquire("10.0.0.1");
  again();
});

Deno.test("upload slots: one address holds a few slots; another is served at once", async () => {
  const gate = new UploadGate(4, undefined, { perIp: 2 });
  const mine = [await gate.acquire("10.0.0.1"), await gate.acquire("10.0.0.1")];
  const positions: number[] = [];
  let third = false;
  const waiting = gate.acquire("10.0.0.1", { onQueued: (p) => positions.push(p) }).then((r) => {
    third = true;
    return r;
  });
  assert.deepEqual(positions, [1], "the third request of one address waits, told its place");
  const other = await gate.acquire("10.0.0.2"); // two slots still free: no wait
  assert.equal(third, false);
  mine[0]();
  (await waiting)();
  assert.equal(third, true);
  mine[1]();
  other();
});

Deno.test("upload slots: freed slots go round robin by address, not first come first served", async () => {
  const gate = new UploadGate(1, undefined, { perIp: 1, queue: 10, queuePerIp: 10 });
  const first = await gate.acquire("a");
  const order: string[] = [];
  const ask = (ip: string, tag: string) =>
    gate.acquire(ip).then((release) => {
      order.push(tag);
      release();
    });
  // Three from a, then one from b and one from c, all waiting for the one slot.
  const waiting = [ask("a", "a1"), ask("a", "a2"), ask("a", "a3"), ask("b", "b1"), ask("c", "c1")];
  first();
  await Promise.all(waiting);
  assert.deepEqual(order, ["a1", "b1", "c1", "a2", "a3"]);
});

Deno.test("upload slots: one address's part of the queue overflows into BUSY, others still queue", async () => {
  const gate = new UploadGate(1, undefined, { perIp: 1, queue: 3, queuePerIp: 2 });
  const held = await gate.acquire("a");
  const positions = new Map<string, number[]>();
  const ask = (ip: string, tag: string) =>
    gate.acquire(ip, {
      onQueued: (p) => positions.set(tag, [...(positions.get(tag) ?? []), p]),
    });
  const a1 = ask("a", "a1");
  const a2 = ask("a", "a2");
  await assert.rejects(ask("a", "a3"), isCode("BUSY"), "a's part of the queue is full");
  const b1 = ask("b", "b1");
  await assert.rejects(ask("c", "c1"), isCode("BUSY"), "the whole queue is full");
  assert.equal(gate.queued, 3);
  held();
  (await a1)();
  (await b1)();
  (await a2)();
  // a1 was first; a2 second, then first; b1 third, then second, then served before a2, whose
  // address had just had its turn: the place counts who came first, the turn goes by address.
  assert.deepEqual(Object.fromEntries(positions), { a1: [1], a2: [2, 1], b1: [3, 2] });
});

Deno.test("upload slots: a request whose connection closes leaves the queue", async () => {
  const gate = new UploadGate(1, undefined, { perIp: 1 });
  const held = await gate.acquire("a");
  const gone = new AbortController();
  const positions: number[] = [];
  const leaving = gate.acquire("b", { signal: gone.signal });
  const staying = gate.acquire("c", { onQueued: (p) => positions.push(p) });
  gone.abort();
  await assert.rejects(leaving, isCode("CLOSED"));
  assert.equal(gate.queued, 1);
  assert.deepEqual(positions, [2, 1], "the one behind moves up");
  held();
  (await staying)();
  await assert.rejects(gate.acquire("d", { signal: gone.signal }), isCode("CLOSED"));
});

Deno.test("upload limits: the queue can overflow (each connection has one request in service)", () => {
  // From one address and from all: more connections than slots plus places, so BUSY happens.
  assert.ok(UPLOAD_SLOTS_PER_IP + UPLOAD_QUEUE_PER_IP < PEER_MAX_CONNECTIONS_PER_IP);
  assert.ok(UPLOAD_SLOTS + UPLOAD_QUEUE < PEER_MAX_CONNECTIONS);
  assert.ok(UPLOAD_SLOTS_PER_IP < UPLOAD_SLOTS, "one address cannot take every slot");
});

Deno.test("upload slots: an address cut off for not reading is served after every other", async () => {
  const gate = new UploadGate(1, undefined, { perIp: 1, queue: 10, queuePerIp: 10 });
  const first = await gate.acquire("x");
  gate.penalize("bad", 60_000);
  gate.penalize("gone", -1); // already over
  const order: string[] = [];
  const ask = (ip: string, tag: string) =>
    gate.acquire(ip).then((release) => {
      order.push(tag);
      release();
    });
  const waiting = [ask("bad", "bad1"), ask("bad", "bad2"), ask("a", "a1"), ask("gone", "g1")];
  waiting.push(ask("a", "a2"));
  first();
  await Promise.all(waiting);
  assert.deepEqual(order, ["a1", "g1", "a2", "bad1", "bad2"]);
  // Alone, it is served at once.
  (await gate.acquire("bad"))();
});

Deno.test("upload slots: addresses cut off for not reading hold one slot at most, all together", async () => {
  const gate = new UploadGate(4, undefined, { perIp: 2 });
  gate.penalize("bad1", 60_000);
  gate.penalize("bad2", 60_000);
  const first = await gate.acquire("bad1");
  let second = false;
  const waiting = gate.acquire("bad2").then((r) => (second = true, r));
  const honest = [await gate.acquire("a"), await gate.acquire("a"), await gate.acquire("b")];
  assert.equal(second, false, "three slots were free, yet the second penalized address waits");
  first();
  (await waiting)();
  assert.equal(second, true);
  for (const release of honest) release();
});
