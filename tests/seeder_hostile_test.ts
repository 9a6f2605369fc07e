/**
 * A seeder against hostile clients, each built here by hand from a raw socket and the frame
 * encoder: idle connections, refusals in a row, clients that ask for chunks and never read, and
 * a full upload queue. Then the downloader's side of a busy seeder: queued is not stalled, and a
 * source that answers BUSY is tried again. Other addresses of this machine (127.0.0.N) stand for
 * other machines, through node:net's `localAddress`. Real sockets and files throughout; every
 * wait is on a reply, a closure or an event, with a guard. Two waits let time pass on purpose,
 * to show that the time itself does no harm; they are marked.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import { join } from "node:path";
import { chunkCount, chunkSpan, type Descriptor, hashChunk, rootHash } from "../core/content.ts";
import { RedeError } from "../core/errors.ts";
import {
  CHUNK_BYTES,
  PEER_MAX_CONNECTIONS,
  PEER_MAX_CONNECTIONS_PER_IP,
  PEER_MAX_REFUSALS,
  type Timings,
  UPLOAD_QUEUE_PER_IP,
  UPLOAD_SLOTS_PER_IP,
} from "../core/limits.ts";
import type { Address } from "../net/address.ts";
import { Channel } from "../net/channel.ts";
import { encodeFrame } from "../net/framing.ts";
import { encodeHaveMap } from "../core/have_map.ts";
import type { Trust } from "../net/membership.ts";
import { PeerSource } from "../net/peer_client.ts";
import { PeerServer, type SharedContent } from "../net/peer_server.ts";
import { encodeMessage, hello, type Message, type MessageOf } from "../net/protocol.ts";
import { type OpenedTls, openTls, TlsLink } from "../net/secure.ts";
import { connect, Server } from "../net/transport.ts";
import { downloadContent, type Source, type TransferEvent } from "../storage/download.ts";
import { ShareIndex } from "../storage/share_index.ts";
import { guard, TestNetwork } from "../testing/harness.ts";

const HOST = "127.0.0.1";
/** Longest any single wait may take before the test fails (a guard, not a sync point). */
const GUARD_MS = 10_000;
/** A root nobody shares but the held content below, whose chunks wait until released. */
const HELD = "d".repeat(64);

/**
 * One network for every test here (no tracker process: its signer stands for the tracker). The
 * seeders, honest or hostile, and the clients, honest or hostile, are all members: every attack
 * is played past the membership check, as a peer of the network could play it.
 */
const NET = await TestNetwork.make();
const SEEDER = await NET.trust("seeder");
const CLIENT = await NET.trust("client");

// --- Helpers -------------------------------------------------------------------------------

const frame = (m: Message) => encodeFrame(encodeMessage(m));

/**
 * A hand-built seeder, a member of {@link NET}: after the hello, `answer` gets the first `chunk`
 * request (and its channel).
 */
function chunkAnswerer(
  answer: (ch: Channel, m: MessageOf<"chunk">) => Promise<void>,
): Promise<Server> {
  return Server.open({
    host: HOST,
    port: 0,
    maxConnections: 4,
    writeMs: GUARD_MS,
    creds: SEEDER.creds,
    helloMs: GUARD_MS,
    onError: () => {},
    handle: async (ch) => {
      await ch.accept("peer", ["client"], GUARD_MS, () => ({ member: SEEDER.network!.mine }));
      const m = await ch.recv(GUARD_MS);
      if (m?.t === "chunk") await answer(ch, m);
    },
  });
}

/** Things to close at the end of a test, and the promises that settle once they are closed. */
class Closer {
  #items: { close(): void; closed?: Promise<void> }[] = [];
  add<T extends { close(): void; closed?: Promise<void> }>(item: T): T {
    this.#items.push(item);
    return item;
  }
  async closeAll(): Promise<void> {
    for (const i of this.#items) i.close();
    await Promise.all(this.#items.map((i) => i.closed));
  }
}

/**
 * TLS to `addr` from the local address `from` (127.0.0.N), showing `trust`'s identity: what
 * `connect` does, but from any address of this machine, standing for another machine.
 */
function tlsFrom(addr: Address, from: string, trust: Trust = CLIENT): Promise<OpenedTls> {
  return openTls(addr.host, addr.port, trust.creds, GUARD_MS, { localAddress: from });
}

/** The hello of a member of {@link NET}. */
const memberHello = (trust: Trust = CLIENT) => hello("client", { member: trust.network?.mine });

/**
 * A client channel from `from`, a member of {@link NET}, past the handshake when `greet` (the
 * default).
 */
async function clientFrom(
  c: Closer,
  addr: Address,
  from: string,
  greet = true,
): Promise<Channel> {
  let ch: Channel;
  if (from === HOST) {
    ch = await connect(addr, "peer", { creds: CLIENT.creds, timeoutMs: GUARD_MS });
  } else {
    const { socket, tcp, peerId } = await tlsFrom(addr, from);
    ch = new Channel(new TlsLink(socket, tcp), { host: from, port: 0 }, { peerId });
  }
  c.add({ close: () => ch.close(), closed: ch.done });
  if (greet) await ch.greet("client", "peer", GUARD_MS, { member: CLIENT.network!.mine });
  return ch;
}

/**
 * A client, a member, that says hello, asks for chunks `indexes` of `root` and never reads a
 * byte: a paused TLS socket from `from`.
 */
async function nonReader(c: Closer, addr: Address, root: string, indexes: number[], from = HOST) {
  const bytes = [memberHello(), ...indexes.map((index) => ({ t: "chunk", root, index }))]
    .map((m) => frame(m as Message));
  const { socket: sock, tcp } = await tlsFrom(addr, from);
  // Paused below TLS: under Deno, a paused TLS socket still reads its TCP socket (and pausing
  // both does too), so it is the TCP socket that stops reading.
  tcp.pause();
  sock.on("error", () => {});
  const closed = new Promise<void>((resolve) => sock.once("close", () => resolve()));
  c.add({ close: () => sock.destroy(), closed });
  for (const b of bytes) sock.write(b);
}

/**
 * Non-reading clients from `count` addresses (127.0.0.2 on), one connection each, that say hello,
 * ask for chunks and, once cut off, connect again at once, until closed.
 */
function flood(c: Closer, addr: Address, root: string, count: number): void {
  let stopped = false;
  const live = new Set<net.Socket>();
  const frames = [memberHello(), ...[0, 1, 2, 3].map((index) => ({ t: "chunk", root, index }))]
    .map((m) => frame(m as Message));
  let drained!: () => void;
  const closed = new Promise<void>((resolve) => (drained = resolve));
  const open = (from: string) => {
    // TLS as the product's own connect does it, from another address.
    const raw = net.connect({ host: addr.host, port: addr.port, localAddress: from });
    raw.on("error", () => {});
    const sock = tls.connect({
      socket: raw,
      key: CLIENT.creds.keyPem,
      cert: CLIENT.creds.certPem,
      servername: "rede-p2p",
      rejectUnauthorized: false,
      minVersion: "TLSv1.3",
    });
    live.add(sock);
    sock.on("error", () => {});
    sock.once("secureConnect", () => {
      raw.pause(); // Below TLS, as in nonReader.
      frames.forEach((f) => sock.write(f));
    });
    // It never reads, so it learns it was cut off by writing now and then: pacing, on purpose.
    const poke = setInterval(() => sock.write(frames[1]), 100);
    sock.once("close", () => {
      clearInterval(poke);
      live.delete(sock);
      if (!stopped) open(from);
      else if (live.size === 0) drained();
    });
  };
  for (let i = 0; i < count; i++) open(`127.0.0.${i + 2}`);
  c.add({
    close: () => {
      stopped = true;
      for (const sock of live) sock.destroy();
    },
    closed,
  });
}

/** A content: one real file in memory, and the root {@link HELD}, whose chunks wait. */
function heldContent(data: Uint8Array): {
  content: SharedContent;
  desc: Descriptor;
  release: () => void;
} {
  const chunks: string[] = [];
  for (let off = 0; off < data.length; off += CHUNK_BYTES) {
    chunks.push(hashChunk(data.subarray(off, off + CHUNK_BYTES)));
  }
  const desc = {
    size: data.length,
    chunk_size: CHUNK_BYTES,
    chunks,
    root: rootHash(data.length, chunks, CHUNK_BYTES),
  };
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const notFound = () => Promise.reject(new RedeError("NOT_FOUND", "No such file"));
  const content: SharedContent = {
    refresh: () => Promise.resolve(),
    list: () => [{ name: "f.bin", size: data.length, root: desc.root }],
    describe: notFound,
    describeRoot: notFound,
    checkChunk: (root, index) => {
      if (root !== HELD && root !== desc.root) throw new RedeError("NOT_FOUND", "No such content");
      if (root === desc.root && index >= chunkCount(desc)) throw new RedeError("BAD_REQUEST", "?");
    },
    readChunk: async (root, index, buf) => {
      if (root === HELD) {
        await held;
        buf.fill(7, 0, 10);
        return 10;
      }
      if (root !== desc.root || index >= chunkCount(desc)) throw new RedeError("NOT_FOUND", "?");
      const { offset, length } = chunkSpan(desc, index);
      buf.set(data.subarray(offset, offset + length));
      return length;
    },
  };
  return { content, desc, release };
}

/** A real peer server, a member of {@link NET}, serving `content`. */
function startPeer(
  content: SharedContent,
  t: Partial<Timings> = {},
  log?: (line: string) => void,
): Promise<PeerServer> {
  return PeerServer.start({ host: HOST, port: 0, content, timings: t, log, trust: SEEDER });
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-seeder-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs `fn` with a peer server over `content`, closing everything it opened afterwards. */
async function withPeer(
  content: SharedContent,
  t: Partial<Timings>,
  fn: (server: PeerServer, c: Closer) => Promise<void>,
  log?: (line: string) => void,
): Promise<void> {
  const server = await startPeer(content, t, log);
  const c = new Closer();
  try {
    await fn(server, c);
  } finally {
    await c.closeAll();
    server.close();
    await server.done;
  }
}

const isCode = (code: string) => (e: unknown) => {
  assert.ok(e instanceof RedeError, String(e));
  assert.equal(e.code, code, e.message);
  return true;
};

// --- Idle connections ----------------------------------------------------------------------

Deno.test("seeder: one address holds at most PEER_MAX_CONNECTIONS_PER_IP young connections; another is served", async () => {
  const { content } = heldContent(new Uint8Array(10));
  await withPeer(content, {}, async (server, c) => {
    for (let i = 0; i < PEER_MAX_CONNECTIONS_PER_IP; i++) await clientFrom(c, server.address, HOST);
    const extra = await clientFrom(c, server.address, HOST, false);
    await assert.rejects(extra.greet("client", "peer", GUARD_MS), isCode("BUSY"));
    const other = await clientFrom(c, server.address, "127.0.0.2");
    await other.send({ t: "list" });
    assert.equal((await other.expect("file_list", GUARD_MS)).files.length, 1);
  });
});

Deno.test("seeder: past graceMs, a newcomer from a full address closes that address's idlest", async () => {
  const { content } = heldContent(new Uint8Array(10));
  await withPeer(content, { graceMs: 0 }, async (server, c) => {
    const other = await clientFrom(c, server.address, "127.0.0.2");
    const mine: Channel[] = [];
    for (let i = 0; i < PEER_MAX_CONNECTIONS_PER_IP; i++) {
      mine.push(await clientFrom(c, server.address, HOST));
    }
    const newcomer = await clientFrom(c, server.address, HOST);
    await newcomer.send({ t: "list" });
    assert.equal((await newcomer.expect("file_list", GUARD_MS)).t, "file_list");
    assert.equal(await guard(mine[0].recv(GUARD_MS), "the idlest of the address to close"), null);
    await other.send({ t: "list" });
    assert.equal((await other.expect("file_list", GUARD_MS)).t, "file_list", "older, elsewhere");
  });
});

/** Fills every connection of a server with idle clients, a quarter from each of 127.0.0.2-5. */
async function fillHouse(c: Closer, addr: Address): Promise<Channel[]> {
  const idle: Channel[] = [];
  const addresses = PEER_MAX_CONNECTIONS / PEER_MAX_CONNECTIONS_PER_IP;
  for (let a = 0; a < addresses; a++) {
    for (let i = 0; i < PEER_MAX_CONNECTIONS_PER_IP; i++) {
      idle.push(await clientFrom(c, addr, `127.0.0.${a + 2}`));
    }
  }
  return idle;
}

Deno.test("seeder: a full house of idle connections from many addresses cannot lock it out", async () => {
  const { content } = heldContent(new Uint8Array(10));
  await withPeer(content, { graceMs: 0 }, async (server, c) => {
    const idle = await fillHouse(c, server.address);
    // Every connection is taken; a newcomer is served, and the one idle longest made room.
    const newcomer = await clientFrom(c, server.address, HOST);
    await newcomer.send({ t: "list" });
    assert.equal((await newcomer.expect("file_list", GUARD_MS)).files.length, 1);
    assert.equal(await guard(idle[0].recv(GUARD_MS), "the idlest to close"), null);
    // One with a request answered since is idle for less time than the others: it stays when
    // the next newcomer comes, and the next idlest goes.
    await idle[1].send({ t: "list" });
    await idle[1].expect("file_list", GUARD_MS);
    await clientFrom(c, server.address, HOST);
    assert.equal(await guard(idle[2].recv(GUARD_MS), "the next idlest to close"), null);
    await idle[1].send({ t: "list" });
    assert.equal((await idle[1].expect("file_list", GUARD_MS)).t, "file_list");
  });
});

Deno.test("seeder: a connection whose request is still being answered is not closed for a newcomer", async () => {
  const { content: base, desc } = heldContent(new Uint8Array(10));
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  let asked!: () => void;
  const askedNow = new Promise<void>((resolve) => (asked = resolve));
  // A request answered slowly (as a push offer waits for its answer): its connection is busy.
  const content: SharedContent = {
    ...base,
    haveMap: async () => {
      asked();
      await answered;
      return encodeHaveMap([0], 1);
    },
  };
  await withPeer(content, { graceMs: 0 }, async (server, c) => {
    const idle = await fillHouse(c, server.address);
    await idle[0].send({ t: "have", root: desc.root }); // The oldest: it would go first.
    await askedNow;
    const newcomer = await clientFrom(c, server.address, HOST);
    await newcomer.send({ t: "list" });
    assert.equal((await newcomer.expect("file_list", GUARD_MS)).t, "file_list");
    assert.equal(await guard(idle[1].recv(GUARD_MS), "the idlest not busy to close"), null);
    answer();
    assert.equal((await idle[0].expect("have_map", GUARD_MS)).map, encodeHaveMap([0], 1));
  });
});

Deno.test("seeder: a connection younger than graceMs is not closed for a newcomer", async () => {
  const { content } = heldContent(new Uint8Array(10));
  await withPeer(content, { graceMs: 60_000 }, async (server, c) => {
    const idle = await fillHouse(c, server.address);
    const newcomer = await clientFrom(c, server.address, HOST, false);
    await assert.rejects(newcomer.greet("client", "peer", GUARD_MS), isCode("BUSY"));
    await idle[0].send({ t: "list" });
    assert.equal((await idle[0].expect("file_list", GUARD_MS)).t, "file_list", "all stay");
  });
});

Deno.test("seeder: refusals do not renew the idle deadline, and many in a row close the connection", async () => {
  const { content } = heldContent(new Uint8Array(10));
  const idleMs = 1_000;
  await withPeer(content, { idleMs }, async (server, c) => {
    // Served requests keep a connection open past idleMs.
    const served = await clientFrom(c, server.address, HOST);
    const t0 = performance.now();
    while (performance.now() - t0 < 1.5 * idleMs) {
      await served.send({ t: "list" });
      await served.expect("file_list", GUARD_MS);
      await new Promise((r) => setTimeout(r, idleMs / 10)); // pacing, on purpose
    }
    assert.equal(served.closed, false, "answered requests keep it open");

    // Refused requests, paced, do not: it closes about idleMs after the hello.
    const refused = await clientFrom(c, server.address, HOST);
    const t1 = performance.now();
    let refusals = 0;
    let open = true;
    while (open && performance.now() - t1 < 4 * idleMs) {
      await refused.send({ t: "describe", name: "missing.txt" }).catch(() => {});
      const m = await refused.recv(GUARD_MS).catch(() => null);
      if (m?.t === "error" && m.code === "NOT_FOUND") refusals++;
      else open = false;
      if (open) await new Promise((r) => setTimeout(r, idleMs / 10)); // pacing, on purpose
    }
    const after = performance.now() - t1;
    assert.equal(open, false, `still open after ${refusals} refusals in ${after} ms`);
    assert.ok(after >= idleMs - 50 && after < 3 * idleMs, `closed after ${after} ms`);
    assert.ok(refusals >= 3, `${refusals} refusals before the close`);
    assert.ok(refusals < PEER_MAX_REFUSALS, "closed by the idle deadline, not by the count");

    // Refusals back to back: closed after PEER_MAX_REFUSALS of them.
    const rapid = await clientFrom(c, server.address, HOST);
    const codes: string[] = [];
    for (let i = 0; i < 4 * PEER_MAX_REFUSALS && !rapid.closed; i++) {
      await rapid.send({ t: "describe", name: "missing.txt" }).catch(() => {});
      const m = await rapid.recv(GUARD_MS).catch(() => null);
      if (m === null) break;
      codes.push(m.t === "error" ? m.code : m.t);
    }
    assert.deepEqual(codes.slice(0, PEER_MAX_REFUSALS), Array(PEER_MAX_REFUSALS).fill("NOT_FOUND"));
    assert.deepEqual(codes.slice(PEER_MAX_REFUSALS), ["BAD_REQUEST"], "then one last word");
    assert.equal(await rapid.recv(GUARD_MS).catch(() => null), null, "and closed");
  });
});

// --- The upload queue ----------------------------------------------------------------------

Deno.test("seeder: waiting requests are told their place, and a full queue answers BUSY", async () => {
  const { content, release } = heldContent(new Uint8Array(10));
  await withPeer(content, {}, async (server, c) => {
    const n = PEER_MAX_CONNECTIONS_PER_IP;
    c.add({ close: release }); // whatever happens below
    const chs: Channel[] = [];
    for (let i = 0; i < n; i++) chs.push(await clientFrom(c, server.address, HOST));
    let answered = 0;
    let allAnswered!: () => void;
    const waitAnswered = new Promise<void>((resolve) => (allAnswered = resolve));
    const silent = n - UPLOAD_SLOTS_PER_IP;
    const first = chs.map(async (ch, i) => {
      await ch.send({ t: "chunk", root: HELD, index: i });
      const m = await ch.recv(GUARD_MS);
      if (++answered === silent) allAnswered();
      return m;
    });
    for (const p of first) p.catch(() => {}); // Awaited below; a failure above must not leak.
    // All but the requests in a slot get an answer at once.
    await guard(waitAnswered, `${silent} first answers`);
    release();
    const replies = await Promise.all(first);
    const busy = replies.filter((m) => m?.t === "error" && m.code === "BUSY");
    const queued = replies.flatMap((m) => (m?.t === "queued" ? [m.position] : []));
    assert.equal(busy.length, n - UPLOAD_SLOTS_PER_IP - UPLOAD_QUEUE_PER_IP);
    assert.deepEqual(
      queued.sort((a, b) => a - b),
      [...Array(UPLOAD_QUEUE_PER_IP).keys()].map((i) => i + 1),
    );
    // Everyone not refused gets the chunk, after places that only ever move up.
    for (const [i, ch] of chs.entries()) {
      const m = replies[i];
      if (m?.t === "error") continue;
      let places = m?.t === "queued" ? [m.position] : [];
      let head: Message | null = m;
      while (head?.t === "queued") {
        head = await ch.recv(GUARD_MS);
        if (head?.t === "queued") places = [...places, head.position];
      }
      assert.equal(head?.t, "chunk_data", JSON.stringify(head));
      assert.deepEqual(places, [...places].sort((a, b) => b - a), "places only move up");
      const buf = new Uint8Array(10);
      await ch.readRaw(buf, GUARD_MS);
      assert.deepEqual(buf, new Uint8Array(10).fill(7));
    }
    // A refused connection goes on.
    const refused = chs[replies.findIndex((m) => m?.t === "error")];
    await refused.send({ t: "list" });
    assert.equal((await refused.expect("file_list", GUARD_MS)).t, "file_list");
  });
});

Deno.test("seeder: a queued client that hangs up gives its place back, and its request is never served", async () => {
  const { content, release } = heldContent(new Uint8Array(10));
  let reads = 0;
  const counting: SharedContent = {
    ...content,
    readChunk: (root, i, buf) => (reads++, content.readChunk(root, i, buf)),
  };
  let hungUp!: () => void;
  const heard = new Promise<void>((resolve) => (hungUp = resolve));
  const log = (line: string) => line.includes("hung up while queued") && hungUp();
  await withPeer(counting, {}, async (server, c) => {
    c.add({ close: release });
    // Four requests from two addresses take the four slots and hold them.
    const holders: Channel[] = [];
    for (const from of ["127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3"]) {
      const ch = await clientFrom(c, server.address, from);
      await ch.send({ t: "chunk", root: HELD, index: 0 });
      holders.push(ch);
    }
    const ghost = await clientFrom(c, server.address, "127.0.0.4");
    await ghost.send({ t: "chunk", root: HELD, index: 0 });
    const place = await ghost.expect("queued", GUARD_MS);
    assert.equal(place.position, 1);
    ghost.close();
    await guard(heard, "the seeder noticing the hang-up");
    const honest = await clientFrom(c, server.address, "127.0.0.5");
    await honest.send({ t: "chunk", root: HELD, index: 0 });
    assert.equal(
      (await honest.expect("queued", GUARD_MS)).position,
      1,
      "the ghost's place is free",
    );
    release();
    assert.equal((await honest.expect("chunk_data", GUARD_MS)).size, 10);
    await honest.readRaw(new Uint8Array(10), GUARD_MS);
    for (const ch of holders) await ch.expect("chunk_data", GUARD_MS);
    assert.equal(reads, 5, "four holders and the honest client; the ghost's request was withdrawn");
  }, log);
});

Deno.test("seeder: a chunk the peer cannot have is refused at once, never queued", async () => {
  const { content, desc, release } = heldContent(new Uint8Array(10));
  await withPeer(content, {}, async (server, c) => {
    c.add({ close: release });
    for (const from of ["127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3"]) {
      const ch = await clientFrom(c, server.address, from);
      await ch.send({ t: "chunk", root: HELD, index: 0 });
    }
    const asker = await clientFrom(c, server.address, "127.0.0.4");
    await asker.send({ t: "chunk", root: "e".repeat(64), index: 0 });
    await assert.rejects(asker.expect("chunk_data", GUARD_MS), isCode("NOT_FOUND"));
    await asker.send({ t: "chunk", root: desc.root, index: 99 });
    await assert.rejects(asker.expect("chunk_data", GUARD_MS), isCode("BAD_REQUEST"));
  });
});

Deno.test("downloader: a queue place no honest seeder could send drops the source at once", async () => {
  const server = await chunkAnswerer(async (ch, m) => {
    // A countdown from far away: each notice is "better", each would buy queueMs more.
    await ch.send({ t: "queued", root: m.root, index: m.index, position: 2 ** 40 });
    await ch.recv(GUARD_MS); // Until the downloader hangs up.
  });
  try {
    const source = await PeerSource.open(server.address, HELD, CLIENT, { queueMs: 60 * 60_000 });
    try {
      await source.request(0);
      await assert.rejects(
        guard(source.ready(), "the source refusing the place"),
        isCode("BAD_PEER"),
      );
    } finally {
      source.close();
    }
  } finally {
    server.close();
    await server.done;
  }
});

// --- Clients that do not read ----------------------------------------------------------------

const WHERE = [
  "the same address",
  "sixteen other addresses",
  "sixteen other addresses, connecting again when cut off,",
];
for (const where of WHERE) {
  Deno.test(`seeder: 16 clients from ${where} that never read cannot starve an honest 64 MiB download`, async () => {
    await withTempDir(async (home) => {
      const share = join(home, "share");
      const down = join(home, "down");
      await Deno.mkdir(share);
      await Deno.mkdir(down);
      const data = new Uint8Array(randomBytes(16 * CHUNK_BYTES));
      await Deno.writeFile(join(share, "big.bin"), data);
      const index = new ShareIndex(share, join(share, "meus_arquivos.txt"));
      await index.refresh();
      const desc = await index.describe("big.bin");
      const log: string[] = [];
      await withPeer(index, { sendMs: 300, idleMs: 1_500 }, async (server, c) => {
        if (where === WHERE[2]) flood(c, server.address, desc.root, 16);
        else {
          for (let i = 0; i < 16; i++) {
            const from = where === WHERE[0] ? HOST : `127.0.0.${i + 2}`;
            await nonReader(c, server.address, desc.root, [0, 1, 2, 3, 4, 5, 6, 7], from);
          }
        }
        const t: Partial<Timings> = { connectMs: 2_000, helloMs: 2_000, chunkMs: 2_000 };
        const events: TransferEvent[] = [];
        const result = await guard(
          downloadContent({
            dir: down,
            name: "big.bin",
            desc,
            sources: [() => PeerSource.open(server.address, desc.root, CLIENT, t)],
            busyDelaysMs: Array(40).fill(250),
            onEvent: (e) => events.push(e),
          }),
          "the honest download",
          30_000,
        );
        assert.deepEqual(await Deno.readFile(result.path), data, "the file is whole");
        assert.equal(events.filter((e) => e.kind === "dropped").length, 0);
        const cut = log.filter((l) => / does not read what it asked for$/.test(l));
        assert.ok(cut.length > 0, "clients that do not read were cut off");
      }, (line) => log.push(line));
    });
  });
}

// --- The downloader at a busy seeder -------------------------------------------------------------

Deno.test("downloader: time queued at a busy seeder is not a stall", async () => {
  const data = new Uint8Array(randomBytes(2 * CHUNK_BYTES + 99));
  const { content, desc, release } = heldContent(data);
  const chunkMs = 500;
  await withTempDir((dir) =>
    withPeer(content, {}, async (server, c) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      c.add({ close: () => (clearTimeout(timer), release()) }); // whatever happens below
      // Four requests that wait on the disk fill this address's slots and the head of its queue.
      for (let i = 0; i < 4; i++) await nonReader(c, server.address, HELD, [i]);
      const events: TransferEvent[] = [];
      let released = false;
      const result = await guard(
        downloadContent({
          dir,
          name: "f.bin",
          desc,
          sources: [() => PeerSource.open(server.address, desc.root, CLIENT, { chunkMs })],
          onEvent: (e) => {
            events.push(e);
            if (e.kind === "queued" && !released) {
              released = true;
              timer = setTimeout(release, 4 * chunkMs); // queued well over chunkMs, on purpose
            }
          },
        }),
        "the download",
      );
      assert.deepEqual(await Deno.readFile(result.path), data);
      const places = events.flatMap((e) => (e.kind === "queued" ? [e.position] : []));
      assert.ok(places.length > 0 && places[0] >= 3, `places ${places}`);
      assert.deepEqual(events.filter((e) => e.kind === "dropped"), [], "not dropped");
    })
  );
});

Deno.test("downloader: a seeder that answers BUSY is tried again, and the download finishes", async () => {
  const data = new Uint8Array(randomBytes(CHUNK_BYTES + 5));
  const { content, desc } = heldContent(data);
  await withTempDir((dir) =>
    withPeer(content, { graceMs: 60_000 }, async (server, c) => {
      const idle: Channel[] = [];
      for (let i = 0; i < PEER_MAX_CONNECTIONS_PER_IP; i++) {
        idle.push(await clientFrom(c, server.address, HOST));
      }
      const events: TransferEvent[] = [];
      const result = await guard(
        downloadContent({
          dir,
          name: "f.bin",
          desc,
          sources: [() => PeerSource.open(server.address, desc.root, CLIENT)],
          busyDelaysMs: [50, 50, 50, 50],
          onEvent: (e) => {
            events.push(e);
            if (e.kind === "busy") idle.pop()?.close(); // one leaves each time
          },
        }),
        "the download",
      );
      assert.deepEqual(await Deno.readFile(result.path), data);
      const busy = events.filter((e) => e.kind === "busy");
      assert.ok(busy.length >= 1, "refused, then served");
      assert.match(String((busy[0] as { error: Error }).error.message), /is busy: Too many/);
    })
  );
});

Deno.test({
  name: "downloader: a seeder whose queue never moves is a stall, however often it says so",
  fn: async () => {
    const data = new Uint8Array(randomBytes(100));
    const { desc } = heldContent(data);
    const chunkMs = 300;
    // A hostile seeder: it answers every chunk with the same place in its queue, again and again.
    let notices = 0;
    const server = await chunkAnswerer(async (ch, m) => {
      while (!ch.closed) {
        await ch.send({ t: "queued", root: m.root, index: m.index, position: 5 });
        notices++;
        await new Promise((r) => setTimeout(r, chunkMs / 6)); // pacing, on purpose
      }
    });
    try {
      await withTempDir(async (dir) => {
        const events: TransferEvent[] = [];
        const t0 = performance.now();
        await assert.rejects(
          guard(
            downloadContent({
              dir,
              name: "f.bin",
              desc,
              sources: [
                () =>
                  PeerSource.open(server.address, desc.root, CLIENT, { chunkMs, queueMs: chunkMs }),
              ],
              onEvent: (e) => events.push(e),
            }),
            "the download to give up",
          ),
          (e) => isCode("UNREACHABLE")(e) && /stopped answering/.test((e as Error).message),
        );
        const took = performance.now() - t0;
        assert.ok(took < 8 * chunkMs, `gave up after ${took} ms, though told again and again`);
        assert.ok(notices >= 3, `${notices} notices`);
        const places = events.flatMap((e) => (e.kind === "queued" ? [e.position] : []));
        assert.deepEqual(places, [5], "the same place is not news");
      });
    } finally {
      server.close();
      await server.done;
    }
  },
});

/** A source serving chunks of `data` from memory. */
class MemorySource implements Source {
  readonly label = "memory";
  #queue: number[] = [];
  constructor(private data: Uint8Array) {}
  request(index: number): Promise<void> {
    this.#queue.push(index);
    return Promise.resolve();
  }
  receive(buf: Uint8Array): Promise<{ index: number; size: number }> {
    const index = this.#queue.shift()!;
    const { offset, length } = chunkSpan(
      { size: this.data.length, chunk_size: CHUNK_BYTES },
      index,
    );
    buf.set(this.data.subarray(offset, offset + length));
    return Promise.resolve({ index, size: length });
  }
  close(): void {}
}

Deno.test("downloader: BUSY is retried a bounded number of times, then the source is given up", async () => {
  const data = new Uint8Array(randomBytes(100));
  const { desc } = heldContent(data);
  await withTempDir(async (dir) => {
    let opened = 0;
    const busyTwice = () =>
      ++opened <= 2
        ? Promise.reject(new RedeError("BUSY", "x is busy"))
        : Promise.resolve(new MemorySource(data));
    const events: TransferEvent[] = [];
    const ok = await downloadContent({
      dir,
      name: "a.bin",
      desc,
      sources: [busyTwice],
      busyDelaysMs: [10, 10, 10],
      onEvent: (e) => events.push(e),
    });
    assert.deepEqual(await Deno.readFile(ok.path), data);
    assert.deepEqual(events.filter((e) => e.kind === "busy").map((e) => e.kind), ["busy", "busy"]);

    let tries = 0;
    const alwaysBusy = () => (tries++, Promise.reject(new RedeError("BUSY", "x is busy")));
    await assert.rejects(
      downloadContent({ dir, name: "b.bin", desc, sources: [alwaysBusy], busyDelaysMs: [5, 5] }),
      (e) => isCode("UNREACHABLE")(e) && /x is busy/.test((e as Error).message),
    );
    assert.equal(tries, 3, "the first try and one per delay");
  });
});
