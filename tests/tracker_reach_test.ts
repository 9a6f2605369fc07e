/**
 * The tracker's connect-back check (issue 11, for `doctor`): a member's `reach` gets the tracker
 * to connect to that port at the member's own address, and say what it saw. Played by a
 * hand-built client against a real tracker process: an open port is `open` and the listener sees
 * the tracker's connection; a closed one is `refused`; a host named in the request is ignored;
 * before admission, and too often, it is refused.
 */
import assert from "node:assert/strict";
import { RawClient } from "../testing/raw_client.ts";
import { codeOf, type Scene, sceneTest, SOURCE } from "../testing/harness.ts";
import { connectBack, REACH_AT_ONCE, ReachBack } from "../net/tracker_reach.ts";
import { PROTOCOL_VERSION } from "../core/limits.ts";
import { closedPort } from "../testing/ports.ts";

async function member(s: Scene): Promise<RawClient> {
  const t = await s.tracker();
  const c = await RawClient.hello(t.port, undefined, { code: codeOf(t.port) });
  s.defer(() => c.close());
  return c;
}

sceneTest(
  SOURCE,
  "reach: an open port is open, and the tracker's connection arrives",
  async (s) => {
    const c = await member(s);
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const port = (listener.addr as Deno.NetAddr).port;
      const arrived = listener.accept();
      // A host in the request is not the protocol's, and never where the tracker connects.
      const reply = await c.ask({ t: "reach", port, host: "192.0.2.1" });
      assert.equal(reply?.t, "reached", JSON.stringify(reply));
      const before = Date.now();
      assert.deepEqual(
        { ...reply, ms: 0, time: 0 },
        { t: "reached", ip: "127.0.0.1", port, result: "open", ms: 0, time: 0 },
      );
      // The tracker's clock, here the same machine's.
      assert.ok(
        reply.t === "reached" && Math.abs(reply.time - before) < 60_000,
        JSON.stringify(reply),
      );
      const conn = await arrived;
      assert.equal((conn.remoteAddr as Deno.NetAddr).hostname, "127.0.0.1");
      conn.close();
    } finally {
      listener.close();
    }
  },
);

sceneTest(SOURCE, "reach: a closed port is refused; asking again at once is BUSY", async (s) => {
  const c = await member(s);
  const reply = await c.ask({ t: "reach", port: closedPort() });
  assert.equal(reply?.t === "reached" && reply.result, "refused", JSON.stringify(reply));
  const again = await c.ask({ t: "reach", port: closedPort() });
  assert.equal(again?.t === "error" && again.code, "BUSY", JSON.stringify(again));
});

sceneTest(SOURCE, "reach: before admission it is refused and the connection closed", async (s) => {
  const t = await s.tracker();
  const c = await RawClient.open(t.port);
  s.defer(() => c.close());
  c.send({ t: "hello", app: "rede-p2p", v: PROTOCOL_VERSION, role: "peer" });
  assert.equal((await c.next())?.t, "hello");
  const reply = await c.ask({ t: "reach", port: closedPort() });
  assert.equal(reply?.t === "error" && reply.code, "BAD_REQUEST", JSON.stringify(reply));
  assert.equal(await c.next(), null, "closed after the refusal");
});

Deno.test("reach: one source at a time, spaced; at most a bounded number at once", async () => {
  let now = 0;
  const reach = new ReachBack({ now: () => now });
  const port = closedPort();
  assert.equal((await reach.check("a", "127.0.0.1", port)).result, "refused");
  await assert.rejects(reach.check("a", "127.0.0.1", port), { code: "BUSY" });
  now += 1_000;
  assert.equal((await reach.check("a", "127.0.0.1", port)).result, "refused");
  // Many sources at once: the ones past the bound are refused, the others run.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const open = (listener.addr as Deno.NetAddr).port;
    const all = await Promise.allSettled(
      Array.from({ length: REACH_AT_ONCE + 4 }, (_, i) => reach.check(`s${i}`, "127.0.0.1", open)),
    );
    assert.equal(all.filter((r) => r.status === "fulfilled").length, REACH_AT_ONCE);
    assert.equal(all.filter((r) => r.status === "rejected").length, 4);
  } finally {
    listener.close();
  }
});

Deno.test("reach: connectBack tells refused from open", async () => {
  assert.equal((await connectBack("127.0.0.1", closedPort())).result, "refused");
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const seen = await connectBack("127.0.0.1", (listener.addr as Deno.NetAddr).port);
    assert.equal(seen.result, "open");
  } finally {
    listener.close();
  }
});
