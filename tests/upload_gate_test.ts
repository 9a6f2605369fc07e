import assert from "node:assert/strict";
import { RedeError } from "../core/errors.ts";
import { UPLOAD_QUEUE } from "../core/limits.ts";
import { UploadGate } from "../net/upload_gate.ts";

Deno.test("upload slots: the rest wait in order, and a full queue answers BUSY", async () => {
  const gate = new UploadGate(2);
  const a = await gate.acquire();
  const b = await gate.acquire();
  const order: number[] = [];
  const waiting = Array.from({ length: UPLOAD_QUEUE }, (_, i) =>
    gate.acquire().then((release) => {
      order.push(i);
      release();
    }));
  await assert.rejects(gate.acquire(), (e) => e instanceof RedeError && e.code === "BUSY");
  assert.deepEqual(order, [], "nobody passes while both slots are taken");
  a();
  a(); // Releasing twice frees one slot only.
  b();
  await Promise.all(waiting);
  assert.deepEqual(order, [...Array(UPLOAD_QUEUE).keys()], "first come, first served");
  const again = await gate.acquire();
  again();
});
