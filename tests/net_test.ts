/**
 * The network layer in process, over real sockets on 127.0.0.1 (port 0): the channel (framing,
 * requests and replies, deadlines, errors across the wire), the tracker and its client with
 * shortened timings, and the peer server over a real share index. Nothing is mocked; a
 * misbehaving peer is played by writing hand-built frames on a raw connection. Timers here are
 * only guards: every wait is on an event, a reply or a closure.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { type Descriptor, type FileSummary, rootHash } from "../core/content.ts";
import { hasCode, RedeError } from "../core/errors.ts";
import { CHUNK_BYTES, MAX_REMOTE_TEXT_CHARS, type Timings } from "../core/limits.ts";
import { type Address, sourceKey } from "../net/address.ts";
import { Channel } from "../net/channel.ts";
import { encodeFrame, FrameReader } from "../net/framing.ts";
import { describe, listFiles, PeerSource } from "../net/peer_client.ts";
import { PeerServer } from "../net/peer_server.ts";
import type { Trust } from "../net/membership.ts";
import { startPake } from "../net/pake.ts";
import { hello, type Message, type MessageOf } from "../net/protocol.ts";
import type { Credentials } from "../net/secure.ts";
import { Tracker, type TrackerEvent } from "../net/tracker.ts";
import { TrackerClient } from "../net/tracker_client.ts";
import { proofOf } from "../net/peer_tls.ts";
import { connect, Server } from "../net/transport.ts";
import { ShareIndex } from "../storage/share_index.ts";
import { credentials, guard as guardFor, memoryPins, TestNetwork } from "../testing/harness.ts";

const HOST = "127.0.0.1";
/** Longest any single wait may take before the test fails (a guard, not a sync point). */
const GUARD_MS = 3_000;
const ROOT_A = "a".repeat(64);
const ROOT_B = "b".repeat(64);
const ID_A = "e".repeat(64);
const ID_B = "f".repeat(64);

// --- Helpers -------------------------------------------------------------------------------

/** Closes something that may be closed already. */
function closeQuietly(c: { close(): void } | undefined): void {
  try {
    c?.close();
  } catch {
    // Already closed.
  }
}

/** Runs `fn` with both ends of a fresh loopback TCP connection; both are closed afterwards. */
async function withLoopback(fn: (x: Deno.Conn, y: Deno.Conn) => Promise<void>): Promise<void> {
  const listener = Deno.listen({ hostname: HOST, port: 0 });
  let x: Deno.Conn | undefined;
  let y: Deno.Conn | undefined;
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    [x, y] = await Promise.all([listener.accept(), Deno.connect({ hostname: HOST, port })]);
  } finally {
    listener.close();
  }
  try {
    await fn(x, y);
  } finally {
    closeQuietly(x);
    closeQuietly(y);
  }
}

/**
 * Runs `fn` with both ends of a fresh TLS connection through the product's transport: `a` the
 * connecting side, `b` the side the server accepted. Both are closed afterwards.
 */
async function withTls(fn: (a: Channel, b: Channel) => Promise<void>): Promise<void> {
  const creds = await credentials("net-channel");
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let give!: (ch: Channel) => void;
  const accepted = new Promise<Channel>((resolve) => (give = resolve));
  const server = await Server.open({
    host: HOST,
    port: 0,
    maxConnections: 1,
    writeMs: GUARD_MS,
    creds,
    helloMs: GUARD_MS,
    handle: (ch) => {
      give(ch);
      return held;
    },
    onError: () => {},
  });
  let a: Channel | undefined;
  try {
    a = await connect(server.address, "tracker", { creds, timeoutMs: GUARD_MS });
    const b = await guard(accepted, "the server to accept");
    assert.equal(a.peerId, creds.fingerprint);
    assert.equal(b.peerId, creds.fingerprint);
    await fn(a, b);
  } finally {
    closeQuietly(a);
    release();
    server.close();
    await server.done;
  }
}

/** A hand-built frame around some JSON (or any text), as a misbehaving peer would write it. */
function frame(json: unknown): Uint8Array {
  const text = typeof json === "string" ? json : JSON.stringify(json);
  return encodeFrame(new TextEncoder().encode(text));
}

/** Asserts that `p` rejects with a RedeError of `code`; resolves with that error. */
async function rejectsWith(p: Promise<unknown>, code: string): Promise<RedeError> {
  let caught: RedeError | undefined;
  await assert.rejects(p, (err) => {
    assert.ok(err instanceof RedeError, `expected a RedeError, got ${err}`);
    assert.equal(err.code, code, err.message);
    caught = err;
    return true;
  });
  return caught!;
}

/** `p`, or a failure naming `what` if it has not settled within `ms` (this file's guard). */
const guard = <T>(p: Promise<T>, what: string, ms = GUARD_MS) => guardFor(p, what, ms);

/** Things that happen (tracker events, log lines), and waits on them. */
class Watch<E> {
  readonly seen: E[] = [];
  #waiters = new Set<(e: E) => void>();

  readonly push = (e: E): void => {
    this.seen.push(e);
    for (const w of [...this.#waiters]) w(e);
  };

  /**
   * Resolves with the first event, seen or to come, for which `check` returns true; rejects
   * when `check` throws, or after `ms`.
   */
  until(check: (e: E) => boolean, what: string, ms = GUARD_MS): Promise<E> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`Timed out after ${ms} ms waiting for ${what}`)),
        ms,
      );
      const finish = (err: unknown, e?: E) => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        if (err) reject(err);
        else resolve(e!);
      };
      const waiter = (e: E) => {
        try {
          if (check(e)) finish(undefined, e);
        } catch (err) {
          finish(err);
        }
      };
      this.#waiters.add(waiter);
      for (const e of this.seen) {
        if (!this.#waiters.has(waiter)) break;
        waiter(e);
      }
    });
  }
}

/** A file's descriptor, computed here from its bytes (not by the product's own code path). */
function expectedDescriptor(data: Uint8Array): Descriptor {
  const chunks: string[] = [];
  for (let off = 0; off < data.length; off += CHUNK_BYTES) {
    chunks.push(createHash("sha256").update(data.subarray(off, off + CHUNK_BYTES)).digest("hex"));
  }
  return {
    size: data.length,
    chunk_size: CHUNK_BYTES,
    chunks,
    root: rootHash(data.length, chunks, CHUNK_BYTES),
  };
}

/** The descriptor of the empty file: whole and consistent, so only a name can spoil it. */
const EMPTY: Descriptor = expectedDescriptor(new Uint8Array(0));

// --- Channel -------------------------------------------------------------------------------

Deno.test("per-address limits count an IPv4 address alone and an IPv6 address by its /64", () => {
  assert.equal(sourceKey("192.0.2.7"), "192.0.2.7");
  assert.equal(sourceKey("::ffff:192.0.2.7"), "192.0.2.7");
  // One IPv6 host can take any address of its /64: all of them are one source.
  const one = ["2001:db8::1", "2001:db8:0:0:ffff::2", "2001:0db8:0000:0000:1:2:3:4", "2001:DB8::9"];
  assert.deepEqual(new Set(one.map(sourceKey)), new Set(["2001:db8:0:0::/64"]));
  assert.equal(sourceKey("2001:db8:0:1::1"), "2001:db8:0:1::/64", "another /64, another source");
  assert.equal(sourceKey("fe80::1%eth0"), sourceKey("fe80::2%eth1"), "a zone is not a host");
});

Deno.test("channel: messages round-trip, unknown fields are dropped, a clean end is null", async () => {
  await withLoopback(async (x, y) => {
    const a = Channel.fromConn(x);
    const b = Channel.fromConn(y);
    assert.equal(b.remote.host, HOST);
    assert.equal(b.remote.port, (x.localAddr as Deno.NetAddr).port);
    const sent: Message[] = [
      hello("peer"),
      { t: "chunk", root: ROOT_A, index: 3 },
      { t: "describe", name: "fotos/meu arquivo.jpg" },
      {
        t: "peer_list",
        peers: [{ ip: "::1", port: 9, id: ID_A, name: "ana", files: 2 }],
        total: 1,
      },
    ];
    for (const m of sent) await a.send(m);
    for (const m of sent) assert.deepEqual(await b.recv(GUARD_MS), m);

    await a.writeRaw(
      frame({ t: "describe", name: "a.txt", extra: "kept?", nested: { evil: true }, t2: 1 }),
    );
    const got = await b.recv(GUARD_MS);
    assert.deepEqual(got, { t: "describe", name: "a.txt" });
    assert.deepEqual(Object.keys(got!).sort(), ["name", "t"]);

    a.close();
    assert.equal(await b.recv(GUARD_MS), null);
  });
});

Deno.test("channel: two requests issued at once each get their own reply, in order", async () => {
  await withLoopback(async (x, y) => {
    const client = Channel.fromConn(x);
    const server = Channel.fromConn(y);
    const p1 = client.request({ t: "who_has", root: ROOT_A }, "holders", GUARD_MS);
    const p2 = client.request({ t: "who_has", root: ROOT_B }, "holders", GUARD_MS);
    // The server reads both requests before it answers either: they were both sent at once.
    const q1 = await server.expect("who_has", GUARD_MS);
    const q2 = await server.expect("who_has", GUARD_MS);
    assert.deepEqual([q1.root, q2.root], [ROOT_A, ROOT_B]);
    const h1 = [{ ip: "10.0.0.1", port: 1, id: ID_A }];
    const h2 = [{ ip: "10.0.0.2", port: 2, id: ID_B }];
    await server.send({ t: "holders", root: q1.root, peers: h1 });
    await server.send({ t: "holders", root: q2.root, peers: h2 });
    const [r1, r2] = await Promise.all([p1, p2]);
    assert.deepEqual(r1, { t: "holders", root: ROOT_A, peers: h1 });
    assert.deepEqual(r2, { t: "holders", root: ROOT_B, peers: h2 });
    assert.equal(client.closed, false);
  });
});

Deno.test("channel: a reply that does not come in time fails with TIMEOUT, closes, and fails the others", async () => {
  await withLoopback(async (x, y) => {
    const client = Channel.fromConn(x);
    const server = Channel.fromConn(y);
    const t0 = performance.now();
    const slow = rejectsWith(
      client.request({ t: "who_has", root: ROOT_A }, "holders", 50),
      "TIMEOUT",
    );
    // Its own deadline is far away: only the first request's timeout can end it early.
    let otherErr: unknown;
    const other = client.request({ t: "who_has", root: ROOT_B }, "holders", 10_000).catch(
      (err) => (otherErr = err),
    );
    await slow;
    await other;
    const elapsed = performance.now() - t0;
    assert.ok(elapsed >= 49, `timed out after ${elapsed} ms, before its 50 ms`);
    assert.ok(elapsed < 1_000, `took ${elapsed} ms`);
    assert.ok(hasCode(otherErr, "TIMEOUT", "CLOSED"), `the other request got ${otherErr}`);
    assert.equal(client.closed, true);
    await guard(client.done, "client.done");
    // The other side got both requests, then the end of the connection.
    assert.equal((await server.expect("who_has", GUARD_MS)).root, ROOT_A);
    assert.equal((await server.expect("who_has", GUARD_MS)).root, ROOT_B);
    assert.equal(await server.recv(GUARD_MS), null);
  });
});

Deno.test("channel: an error reply becomes a RedeError, its text printable and cut; unknown codes are INTERNAL", async () => {
  await withLoopback(async (x, y) => {
    const client = Channel.fromConn(x);
    const server = Channel.fromConn(y);

    const nasty = "bad\u0000\u001b[2J\u007f\u009bname " + "x".repeat(500);
    const first = rejectsWith(client.request({ t: "list" }, "file_list", GUARD_MS), "NOT_FOUND");
    await server.expect("list", GUARD_MS);
    await server.writeRaw(frame({ t: "error", code: "NOT_FOUND", message: nasty }));
    const err = await first;
    assert.equal(
      err.message,
      ("bad\\x00\\x1b[2J\\x7f\\x9bname " + "x".repeat(500)).slice(0, MAX_REMOTE_TEXT_CHARS),
    );
    assert.equal(err.message.length, MAX_REMOTE_TEXT_CHARS);
    // deno-lint-ignore no-control-regex
    assert.doesNotMatch(err.message, /[\u0000-\u001f\u007f-\u009f]/);

    const second = rejectsWith(client.request({ t: "list" }, "file_list", GUARD_MS), "INTERNAL");
    await server.expect("list", GUARD_MS);
    await server.writeRaw(frame({ t: "error", code: "SHINY_NEW_CODE", message: "later" }));
    assert.equal((await second).message, "later");

    // Error replies fail their request only: the channel goes on.
    const third = client.request({ t: "list" }, "file_list", GUARD_MS);
    await server.expect("list", GUARD_MS);
    await server.send({ t: "file_list", files: [] });
    assert.deepEqual(await third, { t: "file_list", files: [] });
    assert.equal(client.closed, false);
  });
});

Deno.test("channel: sendError never sends a local code or local details", async () => {
  await withLoopback(async (x, y) => {
    const a = Channel.fromConn(x);
    const reader = new FrameReader(y);
    const cases: [unknown, MessageOf<"error">][] = [
      [
        new RedeError("UNREACHABLE", "secret /home/x"),
        { t: "error", code: "INTERNAL", message: "Internal error" },
      ],
      [
        new RedeError("BAD_PEER", "10.0.0.9:4000 sent a bad 'descriptor'"),
        { t: "error", code: "BAD_REQUEST", message: "10.0.0.9:4000 sent a bad 'descriptor'" },
      ],
      [
        new RedeError("NOT_FOUND", "No shared file named 'x'"),
        { t: "error", code: "NOT_FOUND", message: "No shared file named 'x'" },
      ],
      [
        new RedeError("CLOSED", "Connection lost: /home/x/secret"),
        { t: "error", code: "INTERNAL", message: "Internal error" },
      ],
      [
        new Error("EACCES: /home/x/secret"),
        { t: "error", code: "INTERNAL", message: "Internal error" },
      ],
    ];
    for (const [err, want] of cases) {
      await a.sendError(err);
      const payload = await reader.readFrame();
      assert.ok(payload);
      // The whole frame, every field of it: nothing else rides along.
      assert.deepEqual(JSON.parse(new TextDecoder().decode(payload)), want, String(err));
    }
    a.close();
    await a.sendError(new Error("nobody listens")); // resolves: a gone connection is ignored
  });
});

/** `b` waits for a message that `a` never sends. */
async function recvTimesOut(a: Channel, b: Channel): Promise<void> {
  {
    const t0 = performance.now();
    await rejectsWith(b.recv(60), "TIMEOUT");
    const elapsed = performance.now() - t0;
    assert.ok(elapsed >= 59, `timed out after ${elapsed} ms, before its 60 ms`);
    assert.ok(elapsed < 1_000, `took ${elapsed} ms`);
    assert.equal(b.closed, true);
    await guard(b.done, "b.done");
    assert.equal(await a.recv(GUARD_MS), null); // the other side sees the connection end
    await rejectsWith(b.recv(GUARD_MS), "CLOSED");
  }
}

Deno.test("channel: recv with nothing coming fails with TIMEOUT after its time and closes", () =>
  withLoopback((x, y) => recvTimesOut(Channel.fromConn(x), Channel.fromConn(y))));

Deno.test({
  name: "channel over TLS: recv with nothing coming fails with TIMEOUT after its time and closes",
  // The deadline closes the link; a TlsLink closed here fails its read, so recv says TIMEOUT.
  fn: () => withTls(recvTimesOut),
});

/** `a` sends frames and raw bytes mixed, `b` reads them back. */
async function rawAfterFrames(a: Channel, b: Channel): Promise<void> {
  {
    const big = new Uint8Array(randomBytes(100_000));
    big.set(frame({ t: "bye" }), 10); // bytes that look like a frame are still raw bytes
    const small = new Uint8Array([0x52, 0x50, 0, 0, 0, 1]);
    // Sent while the other side reads: 100 kB may not fit the socket buffers.
    const sending = (async () => {
      await a.send({ t: "chunk_data", root: ROOT_A, index: 0, size: big.length });
      await a.writeRaw(big);
      await a.send({ t: "chunk_data", root: ROOT_A, index: 1, size: small.length });
      await a.writeRaw(small);
      await a.send({ t: "bye" });
    })();
    const h0 = await b.expect("chunk_data", GUARD_MS);
    assert.deepEqual(h0, { t: "chunk_data", root: ROOT_A, index: 0, size: big.length });
    const got0 = new Uint8Array(h0.size);
    await b.readRaw(got0, GUARD_MS);
    assert.deepEqual(got0, big);
    const h1 = await b.expect("chunk_data", GUARD_MS);
    const got1 = new Uint8Array(h1.size);
    await b.readRaw(got1, GUARD_MS);
    assert.deepEqual(got1, small);
    assert.deepEqual(await b.recv(GUARD_MS), { t: "bye" });
    await sending;
  }
}

Deno.test("channel: raw bytes after a frame arrive exactly, and frames go on after them", () =>
  withLoopback((x, y) => rawAfterFrames(Channel.fromConn(x), Channel.fromConn(y))));

Deno.test("channel over TLS: raw bytes after a frame arrive exactly, and frames go on after them", () =>
  withTls(rawAfterFrames));

Deno.test("channel: while replies are read, the other side closing ends `done` and fails the pending request with CLOSED", async () => {
  await withLoopback(async (x, y) => {
    const client = Channel.fromConn(x);
    const server = Channel.fromConn(y);
    const first = client.request({ t: "peers" }, "peer_list", GUARD_MS);
    await server.expect("peers", GUARD_MS);
    await server.send({ t: "peer_list", peers: [], total: 0 });
    assert.deepEqual(await first, { t: "peer_list", peers: [], total: 0 });

    const second = rejectsWith(client.request({ t: "peers" }, "peer_list", GUARD_MS), "CLOSED");
    await server.expect("peers", GUARD_MS);
    server.close();
    await second;
    await guard(client.done, "client.done");
    assert.equal(client.closed, true);
    await rejectsWith(client.request({ t: "peers" }, "peer_list", GUARD_MS), "CLOSED");
  });
});

Deno.test("channel: a reply with an unsafe name fails its request with BAD_PEER, the next one works", async () => {
  await withLoopback(async (x, y) => {
    const client = Channel.fromConn(x);
    const server = Channel.fromConn(y);

    const bad = rejectsWith(
      client.request({ t: "describe", name: "x" }, "descriptor", GUARD_MS),
      "BAD_PEER",
    );
    await server.expect("describe", GUARD_MS);
    await server.writeRaw(frame({ t: "descriptor", name: "../x", ...EMPTY }));
    const err = await bad;
    assert.ok(hasCode(err.cause, "BAD_NAME"), `cause: ${err.cause}`);
    assert.equal(client.closed, false);

    const good = client.request({ t: "describe", name: "x" }, "descriptor", GUARD_MS);
    await server.expect("describe", GUARD_MS);
    await server.send({ t: "descriptor", name: "x", ...EMPTY });
    assert.deepEqual(await good, { t: "descriptor", name: "x", ...EMPTY });
    assert.equal(client.closed, false);
  });
});

Deno.test("channel: a reply the gate refuses (not for a name) fails its request and the channel", async () => {
  await withLoopback(async (x, y) => {
    const client = Channel.fromConn(x);
    const server = Channel.fromConn(y);
    const broken = client.request({ t: "describe", name: "x" }, "descriptor", GUARD_MS);
    const pending = client.request({ t: "describe", name: "y" }, "descriptor", GUARD_MS);
    await server.expect("describe", GUARD_MS);
    // Well framed, but not a consistent descriptor: the root does not match its chunks.
    await server.writeRaw(frame({ t: "descriptor", name: "x", ...EMPTY, root: ROOT_A }));
    await assert.rejects(
      broken,
      (e) =>
        hasCode(e, "BAD_PEER") && /sent a bad 'descriptor'.*root does not match/.test(e.message),
    );
    // The stream is given up: the request behind it fails too, and the channel closes.
    await assert.rejects(pending, (e) => hasCode(e, "BAD_PEER", "CLOSED"));
    await guard(client.done, "the channel to close");
  });
});

// --- Tracker and TrackerClient -------------------------------------------------------------

/** Short timings: heartbeats every 50 ms, three may be missed (150 ms of slack). */
const TRACKER_T: Partial<Timings> = {
  heartbeatMs: 50,
  heartbeatMisses: 3,
  reconnectDelaysMs: [20],
  connectMs: 1_000,
  helloMs: 1_000,
  replyMs: 1_000,
};

/** The join code of this file's trackers: every tracker here runs a private network. */
const TRACKER_CODE = "net-test-code";

/** The tracker's identity: the same for every tracker of this file (a restart keeps its ID). */
const trackerCreds = (): Promise<Credentials> => credentials("net-tracker");

async function startTracker(events: Watch<TrackerEvent>, port = 0): Promise<Tracker> {
  return await Tracker.start({
    host: HOST,
    port,
    creds: await trackerCreds(),
    code: TRACKER_CODE,
    onEvent: events.push,
    timings: TRACKER_T,
  });
}

async function stopTracker(t: Tracker | undefined): Promise<void> {
  if (!t) return;
  t.close();
  await t.done;
}

/** The ID (certificate fingerprint) of the client that listens on `port`. */
async function clientId(port: number): Promise<string> {
  return (await credentials(`net-peer-${port}`)).fingerprint;
}

/** A tracker client with an identity of its own, the right code, and pins in memory. */
async function startClient(
  tracker: Address,
  port: number,
  files: () => FileSummary[],
  log: (line: string) => void = () => {},
): Promise<{ client: TrackerClient; trust: Trust }> {
  const trust: Trust = { creds: await credentials(`net-peer-${port}`) };
  const client = new TrackerClient({
    tracker,
    port,
    name: `peer-${port}`,
    files,
    log,
    timings: TRACKER_T,
    trust,
    code: () => Promise.resolve(TRACKER_CODE),
    pins: memoryPins(),
  });
  return { client, trust };
}

/**
 * The tracker's admission played by hand on `ch` (no TrackerClient): hello, the join code's
 * PAKE, the tracker's key confirmation checked, ours sent, and the membership it signs.
 */
async function admitByHand(ch: Channel, creds: Credentials): Promise<MessageOf<"admitted">> {
  const theirs = await ch.greet("peer", "tracker", GUARD_MS);
  assert.equal(theirs.access, "code");
  assert.ok(theirs.sid, "a private tracker's hello carries a PAKE sid");
  const pake = startPake({
    role: "initiator",
    code: TRACKER_CODE,
    sid: Buffer.from(theirs.sid, "hex"),
    initiatorId: Buffer.from(creds.fingerprint, "hex"),
    responderId: Buffer.from(ch.peerId!, "hex"),
  });
  const share = Buffer.from(pake.share).toString("hex");
  const reply = await ch.request({ t: "pake", share }, "pake_reply", GUARD_MS);
  const done = pake.finish(Buffer.from(reply.share, "hex"));
  assert.ok(done.verify(Buffer.from(reply.confirm, "hex")), "the tracker knows the code");
  const confirm = Buffer.from(done.confirm).toString("hex");
  return await ch.request({ t: "pake_confirm", confirm }, "admitted", GUARD_MS);
}

/** A peer built by hand: it is admitted and registers, then says nothing more unless told. */
async function handBuiltPeer(
  tracker: Address,
  port: number,
): Promise<{ ch: Channel; reg: MessageOf<"registered">; at: number }> {
  const creds = await credentials(`hand-built-${port}`);
  const ch = await connect(tracker, "tracker", { creds, timeoutMs: GUARD_MS });
  try {
    assert.equal(ch.peerId, (await trackerCreds()).fingerprint);
    await admitByHand(ch, creds);
    const reg = await ch.request(
      { t: "register", port, name: "hand-built", files: [] },
      "registered",
      GUARD_MS,
    );
    return { ch, reg, at: performance.now() };
  } catch (err) {
    ch.close();
    throw err;
  }
}

const isLeave = (key: string) => (e: TrackerEvent) => e.kind === "leave" && e.key === key;

Deno.test("tracker: a client registers, is listed, and peers/find/who_has answer; an announce changes find", async () => {
  const events = new Watch<TrackerEvent>();
  const tracker = await startTracker(events);
  const alpha = { name: "alpha.txt", size: 5, root: ROOT_A };
  const beta = { name: "docs/Beta.md", size: 7, root: ROOT_B };
  let files: FileSummary[] = [alpha];
  const { client, trust } = await startClient(tracker.address, 4001, () => files);
  try {
    await client.start();
    assert.equal(client.registered, true);
    assert.deepEqual(client.self, { ip: HOST, port: 4001 });
    // Admitted with the code: the tracker signed its membership of this run's network.
    assert.equal(trust.network?.net, tracker.net);
    assert.equal(trust.network?.trackerId, (await trackerCreds()).fingerprint);
    assert.ok(trust.network?.check(trust.network.mine, trust.creds.fingerprint));
    assert.equal(tracker.codeFailures, 0);
    const id = await clientId(4001);
    const me = { ip: HOST, port: 4001, id, name: "peer-4001", files: 1 };
    const at = { ip: HOST, port: 4001, id };
    assert.deepEqual(tracker.peers(), [me]);
    assert.deepEqual(await client.peers(), [me]);
    assert.deepEqual(events.seen[0], {
      kind: "join",
      key: `${HOST}:4001`,
      name: "peer-4001",
      files: 1,
    });

    assert.deepEqual(await client.find("ALPHA"), [{ ...alpha, peers: [at] }]);
    assert.deepEqual(await client.find("nothing"), []);
    assert.deepEqual(await client.whoHas(ROOT_A), [{ ...at, name: "peer-4001" }]);
    assert.deepEqual(await client.whoHas(ROOT_B), []);

    files = [beta];
    client.notifyFiles();
    // The announce went first on the same connection, so this reply already reflects it.
    assert.deepEqual(await client.find("alpha"), []);
    assert.deepEqual(await client.find("beta"), [{ ...beta, peers: [at] }]);
    assert.deepEqual(await client.whoHas(ROOT_B), [{ ...at, name: "peer-4001" }]);
    assert.deepEqual(tracker.peers(), [me]);
  } finally {
    await client.close();
    await stopTracker(tracker);
  }
});

Deno.test("tracker: a healthy idle client stays listed across twelve heartbeat periods", async () => {
  const events = new Watch<TrackerEvent>();
  const tracker = await startTracker(events);
  const { client } = await startClient(tracker.address, 4002, () => []);
  const key = `${HOST}:4002`;
  try {
    await client.start();
    let beats = 0;
    await events.until((e) => {
      if (isLeave(key)(e)) throw new Error(`left after ${beats} heartbeats: ${JSON.stringify(e)}`);
      return e.kind === "heartbeat" && e.key === key && ++beats === 12;
    }, "12 heartbeats");
    assert.deepEqual(tracker.peers().map((p) => p.port), [4002]);
    assert.equal(client.registered, true);
    assert.ok(!events.seen.some(isLeave(key)));
  } finally {
    await client.close();
    await stopTracker(tracker);
  }
});

/**
 * A registered peer that never sends a heartbeat: dropped after misses × interval, not before;
 * with `why`, the leave must say "missed heartbeats".
 */
async function silentPeerIsDropped(why: boolean): Promise<void> {
  const events = new Watch<TrackerEvent>();
  const tracker = await startTracker(events);
  let peer: Awaited<ReturnType<typeof handBuiltPeer>> | undefined;
  try {
    peer = await handBuiltPeer(tracker.address, 4003);
    assert.equal(peer.reg.heartbeat_ms, 50);
    assert.deepEqual({ ip: peer.reg.ip, port: peer.reg.port }, { ip: HOST, port: 4003 });
    assert.deepEqual(tracker.peers().map((p) => p.port), [4003]);
    const leave = await events.until(isLeave(`${HOST}:4003`), "the silent peer's leave");
    const after = performance.now() - peer.at;
    assert.deepEqual({ ...leave, reason: undefined }, {
      kind: "leave",
      key: `${HOST}:4003`,
      name: "hand-built",
      reason: undefined,
    });
    if (why) assert.equal(leave.kind === "leave" && leave.reason, "missed heartbeats");
    assert.ok(after >= 3 * 50 - 20, `dropped ${after} ms after registering`);
    assert.deepEqual(tracker.peers(), []);
    await guard(peer.ch.done, "the tracker to close the silent peer's connection");
  } finally {
    closeQuietly(peer?.ch);
    await stopTracker(tracker);
  }
}

Deno.test("tracker: a peer that never sends a heartbeat is dropped after misses × interval, not before", () =>
  silentPeerIsDropped(false));

Deno.test({
  name: "tracker: a peer that never sends a heartbeat leaves with 'missed heartbeats'",
  fn: () => silentPeerIsDropped(true),
});

Deno.test("tracker: bye leaves with 'quit', a dropped connection with 'connection lost'", async () => {
  const events = new Watch<TrackerEvent>();
  const tracker = await startTracker(events);
  const { client } = await startClient(tracker.address, 4004, () => []);
  let peer: Awaited<ReturnType<typeof handBuiltPeer>> | undefined;
  try {
    await client.start();
    peer = await handBuiltPeer(tracker.address, 4005);
    assert.deepEqual(tracker.peers().map((p) => p.port), [4004, 4005]);

    await client.close();
    const quit = await events.until(isLeave(`${HOST}:4004`), "the client's leave");
    assert.equal(quit.kind === "leave" && quit.reason, "quit");

    peer.ch.close();
    const lost = await events.until(isLeave(`${HOST}:4005`), "the dropped peer's leave");
    assert.equal(lost.kind === "leave" && lost.reason, "connection lost");
    assert.deepEqual(tracker.peers(), []);
  } finally {
    await client.close();
    closeQuietly(peer?.ch);
    await stopTracker(tracker);
  }
});

Deno.test("tracker client: registers again by itself when the tracker comes back on the same port", async () => {
  const events = new Watch<TrackerEvent>();
  const logs = new Watch<string>();
  let first: Tracker | undefined = await startTracker(events);
  let second: Tracker | undefined;
  const port = first.address.port;
  const firstNet = first.net;
  const { client, trust } = await startClient(first.address, 4006, () => [], logs.push);
  try {
    await client.start();
    await logs.until((l) => l.startsWith("Registered with tracker"), "the first registration");
    assert.equal(trust.network?.net, firstNet);

    await stopTracker(first);
    first = undefined;
    await logs.until((l) => l.startsWith("Lost the tracker"), "the client to notice");
    assert.equal(client.registered, false);
    await rejectsWith(client.peers(), "UNREACHABLE");

    // The same port and identity (its pin holds): a listener binds it again at once.
    second = await startTracker(events, port);
    await logs.until((l) => l.includes("registered again"), "'registered again'");
    assert.equal(client.registered, true);
    // Admitted again (the code asked once, kept): a membership of the new run's network.
    assert.notEqual(second.net, firstNet);
    assert.equal(trust.network?.net, second.net);
    assert.deepEqual(second.peers().map((p) => p.port), [4006]);
    assert.deepEqual((await client.peers()).map((p) => p.port), [4006]);
  } finally {
    await client.close();
    await stopTracker(first);
    await stopTracker(second);
  }
});

// --- PeerServer ----------------------------------------------------------------------------

interface Share {
  index: ShareIndex;
  /** Every shared file's bytes, by shared name. */
  data: Map<string, Uint8Array>;
}

/** A temporary shared folder (a few small files, and one of two chunks), indexed. */
async function withShare(fn: (share: Share) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-net-" });
  try {
    const enc = new TextEncoder();
    const data = new Map<string, Uint8Array>([
      ["a.txt", enc.encode("hello from a\n")],
      ["empty.txt", new Uint8Array(0)],
      ["sub/c.txt", enc.encode("nested c")],
      ["big.bin", new Uint8Array(randomBytes(CHUNK_BYTES + 1234))],
    ]);
    await Deno.mkdir(join(dir, "sub"));
    for (const [name, bytes] of data) await Deno.writeFile(join(dir, name), bytes);
    // No manifest: every visible file of the folder is shared.
    const index = new ShareIndex(dir, join(dir, "meus_arquivos.txt"));
    await index.refresh();
    await fn({ index, data });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The network of this file's peer servers and their clients (no tracker process). */
const NET = await TestNetwork.make("net-test-network");
/** The peer server's trust, and a client's: both members of {@link NET}. */
const SERVER_TRUST = await NET.trust("net-peer-server");
const CLIENT_TRUST = await NET.trust("net-client");

function startPeer(index: ShareIndex, t: Partial<Timings> = {}): Promise<PeerServer> {
  return PeerServer.start({ host: HOST, port: 0, content: index, timings: t, trust: SERVER_TRUST });
}

async function stopPeer(server: PeerServer): Promise<void> {
  server.close();
  await server.done;
}

/** A member's connection to a peer server, past the handshake (both memberships checked). */
async function openClient(addr: Address): Promise<Channel> {
  const server = SERVER_TRUST.creds;
  const ch = await connect({ ...addr, id: server.fingerprint }, "peer", {
    creds: CLIENT_TRUST.creds,
    peerCert: server.certPem,
    timeoutMs: GUARD_MS,
  });
  try {
    assert.equal(ch.peerId, server.fingerprint);
    const theirs = await ch.greet("client", "peer", GUARD_MS, {
      member: CLIENT_TRUST.network!.mine,
      ...proofOf(CLIENT_TRUST.creds, server.fingerprint),
    });
    assert.ok(CLIENT_TRUST.network!.check(theirs.member, ch.peerId), "the server is a member");
    return ch;
  } catch (err) {
    ch.close();
    throw err;
  }
}

/** Asks for chunk `index` of `root` and reads its bytes (recv mode). */
async function fetchChunk(ch: Channel, root: string, index: number): Promise<Uint8Array> {
  await ch.send({ t: "chunk", root, index });
  const head = await ch.expect("chunk_data", GUARD_MS);
  assert.deepEqual({ root: head.root, index: head.index }, { root, index });
  const buf = new Uint8Array(head.size);
  await ch.readRaw(buf, GUARD_MS);
  return buf;
}

function summaries(data: Map<string, Uint8Array>): FileSummary[] {
  return [...data]
    .map(([name, bytes]) => ({ name, size: bytes.length, root: expectedDescriptor(bytes).root }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

Deno.test("peer server: list, describe by name and root, and chunks match the files on disk", async () => {
  await withShare(async ({ index, data }) => {
    const server = await startPeer(index);
    let ch: Channel | undefined;
    try {
      ch = await openClient(server.address);
      await ch.send({ t: "list" });
      assert.deepEqual((await ch.expect("file_list", GUARD_MS)).files, summaries(data));

      const big = data.get("big.bin")!;
      const want = expectedDescriptor(big);
      assert.equal(want.chunks.length, 2);
      await ch.send({ t: "describe", name: "big.bin" });
      assert.deepEqual(await ch.expect("descriptor", GUARD_MS), {
        t: "descriptor",
        name: "big.bin",
        ...want,
      });
      await ch.send({ t: "describe", root: want.root });
      assert.deepEqual(await ch.expect("descriptor", GUARD_MS), {
        t: "descriptor",
        name: "big.bin",
        ...want,
      });
      await ch.send({ t: "describe", name: "sub/c.txt" });
      assert.deepEqual(await ch.expect("descriptor", GUARD_MS), {
        t: "descriptor",
        name: "sub/c.txt",
        ...expectedDescriptor(data.get("sub/c.txt")!),
      });

      const c0 = await fetchChunk(ch, want.root, 0);
      assert.equal(c0.length, CHUNK_BYTES);
      assert.ok(c0.every((b, i) => b === big[i]), "chunk 0 differs from the file");
      const c1 = await fetchChunk(ch, want.root, 1);
      assert.deepEqual(c1, big.subarray(CHUNK_BYTES));
      const small = await fetchChunk(ch, expectedDescriptor(data.get("a.txt")!).root, 0);
      assert.deepEqual(small, data.get("a.txt"));
    } finally {
      closeQuietly(ch);
      await stopPeer(server);
    }
  });
});

Deno.test("peer server: refused requests get an error reply and the connection goes on", async () => {
  await withShare(async ({ index, data }) => {
    const server = await startPeer(index);
    let ch: Channel | undefined;
    try {
      ch = await openClient(server.address);
      const a = data.get("a.txt")!;
      const bigRoot = expectedDescriptor(data.get("big.bin")!).root;
      const stillServes = async () => {
        await ch!.send({ t: "describe", name: "a.txt" });
        assert.equal((await ch!.expect("descriptor", GUARD_MS)).size, a.length);
      };

      await ch.send({ t: "describe", name: "missing.txt" });
      await rejectsWith(ch.expect("descriptor", GUARD_MS), "NOT_FOUND");
      await stillServes();

      await ch.writeRaw(frame({ t: "describe", name: "../x" }));
      await rejectsWith(ch.expect("descriptor", GUARD_MS), "BAD_NAME");
      await stillServes();

      await ch.send({ t: "describe", name: "sub/../../etc/passwd" }); // typed, unchecked on send
      await rejectsWith(ch.expect("descriptor", GUARD_MS), "BAD_NAME");
      await stillServes();

      await ch.send({ t: "describe" });
      await rejectsWith(ch.expect("descriptor", GUARD_MS), "BAD_REQUEST");
      await stillServes();

      await ch.send({ t: "chunk", root: bigRoot, index: 2 });
      await rejectsWith(ch.expect("chunk_data", GUARD_MS), "BAD_REQUEST");
      assert.deepEqual(
        await fetchChunk(ch, bigRoot, 1),
        data.get("big.bin")!.subarray(CHUNK_BYTES),
      );

      await ch.send({ t: "chunk", root: ROOT_B, index: 0 });
      await rejectsWith(ch.expect("chunk_data", GUARD_MS), "NOT_FOUND");
      await stillServes();

      await ch.send({ t: "peers" });
      await rejectsWith(ch.expect("peer_list", GUARD_MS), "BAD_REQUEST");
      await ch.send({ t: "list" });
      assert.deepEqual((await ch.expect("file_list", GUARD_MS)).files, summaries(data));
      assert.equal(ch.closed, false);
    } finally {
      closeQuietly(ch);
      await stopPeer(server);
    }
  });
});

Deno.test("peer server: no TLS or no hello is closed after helloMs, an idle connection after idleMs", async () => {
  await withShare(async ({ index }) => {
    const helloMs = 80;
    const idleMs = 120;
    const server = await startPeer(index, { helloMs, idleMs });
    let silent: Channel | undefined;
    let mute: Channel | undefined;
    let idle: Channel | undefined;
    try {
      // Silent before TLS: the handshake's time is helloMs too.
      const t0 = performance.now();
      silent = Channel.fromConn(await Deno.connect({ hostname: HOST, port: server.address.port }));
      assert.equal(await silent.recv(GUARD_MS), null);
      const noTls = performance.now() - t0;
      assert.ok(noTls >= helloMs - 10, `closed after ${noTls} ms, before helloMs`);

      // Through TLS, then silent: no hello within helloMs.
      mute = await connect(server.address, "peer", {
        creds: CLIENT_TRUST.creds,
        peerCert: SERVER_TRUST.creds.certPem,
        timeoutMs: GUARD_MS,
      });
      const t2 = performance.now();
      assert.equal(await mute.recv(GUARD_MS), null);
      const noHello = performance.now() - t2;
      assert.ok(noHello >= helloMs - 10, `closed after ${noHello} ms, before helloMs`);

      idle = await openClient(server.address);
      const t1 = performance.now();
      assert.equal(await idle.recv(GUARD_MS), null);
      const idleFor = performance.now() - t1;
      assert.ok(idleFor >= idleMs - 20, `closed after ${idleFor} ms idle, before idleMs`);
    } finally {
      closeQuietly(silent);
      closeQuietly(mute);
      closeQuietly(idle);
      await stopPeer(server);
    }
  });
});

Deno.test("peer client: listFiles, describe and PeerSource against a real peer server", async () => {
  await withShare(async ({ index, data }) => {
    const server = await startPeer(index);
    const t: Partial<Timings> = {
      connectMs: 1_000,
      helloMs: 1_000,
      replyMs: 1_000,
      chunkMs: 1_000,
    };
    let source: PeerSource | undefined;
    try {
      // The address as the tracker lists it: with the identity expected there.
      const addr = { ...server.address, id: SERVER_TRUST.creds.fingerprint };
      const me = CLIENT_TRUST;
      assert.deepEqual(await listFiles(addr, me, t), summaries(data));

      const big = data.get("big.bin")!;
      const want = expectedDescriptor(big);
      assert.deepEqual(await describe(addr, { name: "big.bin" }, me, t), {
        name: "big.bin",
        ...want,
      });
      assert.deepEqual(await describe(addr, { root: want.root }, me, t), {
        name: "big.bin",
        ...want,
      });
      await rejectsWith(describe(addr, { name: "missing.txt" }, me, t), "NOT_FOUND");

      // Another identity at that address, a client of another network, one of none: refused.
      await rejectsWith(listFiles({ ...addr, id: me.creds.fingerprint }, me, t), "IDENTITY");
      const stranger = await (await TestNetwork.make("net-other-network")).trust("net-stranger");
      await rejectsWith(listFiles(addr, stranger, t), "NOT_MEMBER");
      await rejectsWith(listFiles(addr, { creds: me.creds }, t), "UNREACHABLE");

      source = await PeerSource.open(addr, want.root, me, t);
      assert.equal(source.label, `${HOST}:${addr.port}`);
      await source.request(1);
      await source.request(0);
      const buf = new Uint8Array(CHUNK_BYTES);
      assert.deepEqual(await source.receive(buf), { index: 1, size: big.length - CHUNK_BYTES });
      assert.deepEqual(buf.subarray(0, big.length - CHUNK_BYTES), big.subarray(CHUNK_BYTES));
      assert.deepEqual(await source.receive(buf), { index: 0, size: CHUNK_BYTES });
      assert.ok(buf.every((b, i) => b === big[i]), "chunk 0 differs from the file");
    } finally {
      source?.close();
      await stopPeer(server);
    }
  });
});
