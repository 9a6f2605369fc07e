/**
 * Finding the tracker on the LAN (issue 11; docs/PROTOCOL.md, Discovery).
 *
 * - Loopback: real trackers (`serve --host 127.0.0.1`, which answers on `lo` only) and real
 *   peers (`join --listen-host 127.0.0.1`, which asks on `lo` only), each test on a UDP port of
 *   its own (`--discovery-port`), so that no other tracker of the machine answers.
 * - Hostile datagrams: a hand-built `node:dgram` sender and a fake tracker, against the
 *   responder and the listener in this process.
 * - Across machines: two network namespaces joined by a bridge, with 192.0.2.0/24 addresses that
 *   exist only inside them (root only; skipped with a note otherwise).
 */
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { Buffer } from "node:buffer";
import { cleanPeerName } from "../core/peer_name.ts";
import { hasUnsafeChars } from "../core/terminal.ts";
import { CATALOGUES, pattern } from "../core/i18n.ts";
import {
  DISCOVERY_ANSWERS_PER_SOURCE,
  DISCOVERY_GROUP,
  MAX_DISCOVERED_TRACKERS,
  MAX_DISCOVERY_BYTES,
} from "../core/limits_discovery.ts";
import {
  discover,
  DiscoveryResponder,
  encodeAd,
  encodeQuery,
  isQuery,
  parseAd,
} from "../net/discovery.ts";
import { locateTracker } from "../app/discover.ts";
import { TrackerPins } from "../storage/identity.ts";
import { IDENTITY_HOME, Proc, type Scene, sceneTest, SOURCE } from "../testing/harness.ts";
import { HAVE_SCRIPT, ptyProc } from "../testing/tty.ts";
import { NetnsLan, netnsProblem } from "../testing/netns.ts";
import { freeUdpPort } from "../testing/ports.ts";

const ID = "ab".repeat(32);

/** A socket of the test, bound on a loopback address, its datagrams kept in order. */
async function udp(address = "127.0.0.1"): Promise<{
  sock: dgram.Socket;
  got: Buffer[];
  /** Waits until a datagram passes `test`, then returns how many came before it. */
  until: (test: (b: Buffer) => boolean) => Promise<number>;
  close: () => Promise<void>;
}> {
  const sock = dgram.createSocket({ type: "udp4", reuseAddr: true });
  const got: Buffer[] = [];
  let waiters: (() => void)[] = [];
  sock.on("message", (m) => {
    got.push(m);
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve) => sock.bind(0, address, resolve));
  const until = async (test: (b: Buffer) => boolean) => {
    while (true) {
      const i = got.findIndex(test);
      if (i >= 0) return i;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const close = () => {
    waiters = [];
    return new Promise<void>((resolve) => sock.close(() => resolve()));
  };
  return { sock, got, until, close };
}

/** `p`, or a failure if it has not settled within `ms` (a guard, not a sync point). */
async function guard<T>(p: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// --- Datagrams ---------------------------------------------------------------------------------

Deno.test("datagrams: a query and an answer go and come back; anything else is dropped", () => {
  assert.ok(isQuery(encodeQuery()));
  const ad = { port: 9450, id: ID, network: "sala-12", open: false };
  assert.deepEqual(parseAd(encodeAd(ad)), ad);
  assert.ok(encodeAd({ ...ad, network: "x".repeat(10_000) }).length <= MAX_DISCOVERY_BYTES);
  const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  const good = {
    app: "rede-p2p",
    v: 1,
    t: "tracker",
    port: 9450,
    id: ID,
    network: "a",
    access: "open",
  };
  for (
    const bad of [
      new Uint8Array(0),
      new Uint8Array(MAX_DISCOVERY_BYTES + 1).fill(0x20),
      new TextEncoder().encode("{not json"),
      new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), // not UTF-8
      json([good]),
      json(null),
      json({ ...good, v: 2 }),
      json({ ...good, app: "other" }),
      json({ ...good, t: "query" }),
      json({ ...good, port: 0 }),
      json({ ...good, port: 70000 }),
      json({ ...good, port: 9450.5 }),
      json({ ...good, port: "9450" }),
      json({ ...good, id: "AB".repeat(32) }),
      json({ ...good, id: ID + "00" }),
      json({ ...good, network: "" }),
      json({ ...good, network: 7 }),
      json({ ...good, access: "maybe" }),
    ]
  ) {
    assert.equal(parseAd(bad), undefined, new TextDecoder().decode(bad));
  }
  assert.equal(isQuery(json({ app: "rede-p2p", v: 2, t: "query" })), false);
  const evil = parseAd(json({ ...good, network: "mal\u001b[31mlory\u0007\u202e" }));
  assert.ok(evil);
  assert.equal(evil.network, cleanPeerName("mal\u001b[31mlory\u0007\u202e"));
  assert.equal(hasUnsafeChars(evil.network), false);
});

// --- Hostile datagrams against the responder and the listener ----------------------------------

Deno.test("responder: malformed and oversized queries get no answer; a flood gets a few", async () => {
  const port = await freeUdpPort();
  const responder = await DiscoveryResponder.start({
    host: "127.0.0.1",
    port,
    ad: { port: 9450, id: ID, network: "sala", open: true },
  });
  const bad = await udp("127.0.0.3");
  const flood = await udp("127.0.0.1");
  const probe = await udp("127.0.0.2");
  try {
    const send = (s: dgram.Socket, data: Uint8Array) =>
      new Promise<void>((resolve) => s.send(Buffer.from(data), port, "127.0.0.1", () => resolve()));
    const isAnswer = (b: Buffer) => parseAd(b) !== undefined;
    const self = (s: dgram.Socket) => s.address().port;
    // Three bad datagrams, then a good query: only the last is answered.
    await send(bad.sock, new Uint8Array(4096).fill(0x7b));
    await send(bad.sock, new TextEncoder().encode('{"app":"rede-p2p","v":1,"t":'));
    await send(bad.sock, new TextEncoder().encode('{"app":"rede-p2p","v":9,"t":"query"}'));
    await send(bad.sock, encodeQuery());
    await guard(bad.until(isAnswer), "the answer to the good query");
    // Anything still on its way is in the queue before this datagram to itself.
    await new Promise<void>((r) => bad.sock.send("end", self(bad.sock), "127.0.0.3", () => r()));
    await guard(bad.until((b) => b.toString() === "end"), "the end marker");
    assert.equal(bad.got.filter(isAnswer).length, 1);
    // A flood from one address: a few answers; another address is still answered.
    // (100 datagrams: many more than are answered, few enough for the socket's buffer.)
    for (let i = 0; i < 100; i++) await send(flood.sock, encodeQuery());
    await send(probe.sock, encodeQuery());
    await guard(probe.until(isAnswer), "the answer to another address");
    await new Promise<void>((r) =>
      flood.sock.send("end", self(flood.sock), "127.0.0.1", () => r())
    );
    await guard(flood.until((b) => b.toString() === "end"), "the end marker");
    const answers = flood.got.filter(isAnswer).length;
    assert.ok(answers >= 1 && answers <= 2 * DISCOVERY_ANSWERS_PER_SOURCE, `${answers} answers`);
  } finally {
    await Promise.all([bad.close(), flood.close(), probe.close()]);
    await responder.close();
  }
});

Deno.test("listener: hostile answers are bounded and their names made safe", async () => {
  const port = await freeUdpPort();
  const fake = dgram.createSocket({ type: "udp4", reuseAddr: true });
  await new Promise<void>((resolve) => fake.bind(port, "0.0.0.0", resolve));
  fake.addMembership(DISCOVERY_GROUP, "127.0.0.1");
  let queries = 0;
  const json = (o: unknown) => Buffer.from(JSON.stringify(o));
  const ad = { app: "rede-p2p", v: 1, t: "tracker", id: ID, access: "code" };
  fake.on("message", (m, from) => {
    if (!isQuery(m)) return;
    if (++queries > 1) return; // One flood is enough.
    const to = (b: Buffer) => fake.send(b, from.port, from.address);
    to(Buffer.alloc(MAX_DISCOVERY_BYTES * 4, 0x20));
    to(Buffer.from("{{{"));
    to(json({ ...ad, port: 1, network: "evil\u001b]0;owned\u0007\r\nname" }));
    for (let p = 2; p < 600; p++) to(json({ ...ad, port: p, network: `n${p}` }));
  });
  try {
    const found = await guard(
      discover({ listenMs: 1_000, port, via: ["127.0.0.1"] }),
      "the listening",
    );
    assert.ok(queries >= 1);
    assert.ok(found.length >= 1 && found.length <= MAX_DISCOVERED_TRACKERS, `${found.length}`);
    for (const d of found) {
      assert.equal(d.host, "127.0.0.1");
      assert.equal(hasUnsafeChars(d.network), false, JSON.stringify(d.network));
      assert.doesNotMatch(d.network, /[\s\p{Cc}]/u);
    }
  } finally {
    await new Promise<void>((resolve) => fake.close(() => resolve()));
  }
});

Deno.test("locateTracker: an address given wins; discovery off and none found are one line", async () => {
  assert.deepEqual(
    await locateTracker({ tracker: "192.0.2.7", discovery: false, interactive: false }),
    { host: "192.0.2.7", port: 9450 },
  );
  await assert.rejects(
    locateTracker({ discovery: false, interactive: false }),
    (err: Error) => /--no-discovery/.test(err.message) && !err.message.includes("\n"),
  );
  const port = await freeUdpPort();
  await assert.rejects(
    locateTracker({ discovery: true, interactive: false, listenMs: 200, port, via: ["127.0.0.1"] }),
    (err: Error) => pattern("discover.none", "en").test(err.message) && !err.message.includes("\n"),
  );
});

// --- The real program on loopback ------------------------------------------------------------

/** A tracker on 127.0.0.1 answering discovery on `port` for `network`; its TCP port. */
async function tracker(s: Scene, port: number, network: string, extra: string[] = []) {
  const t = await s.tracker(0, ["--discovery-port", String(port), "--network", network, ...extra]);
  if (!extra.includes("--no-discovery")) {
    await t.waitFor(pattern("discover.announcing", "en", { params: { network, port } }));
  }
  return t;
}

/** The arguments of `join` with no address for `h`, asking on loopback only, on `port`. */
function noAddressArgs(h: { dir: string; manifest: string }, port: number): string[] {
  return [
    "join",
    "--listen-host",
    "127.0.0.1",
    "--dir",
    h.dir,
    "--manifest",
    h.manifest,
    "--discovery-port",
    String(port),
  ];
}

/** `join` with no address, asking on loopback only, on discovery port `port`. */
async function joinNoAddress(s: Scene, port: number, extra: string[] = []): Promise<Proc> {
  const h = await s.home({ "a.txt": "a" });
  return s.track(
    new Proc(SOURCE, [...noAddressArgs(h, port), ...extra], { stdin: true, cwd: h.home }),
  );
}

const registered = pattern("net.registered", "en");

sceneTest(
  SOURCE,
  "discovery: join with no address finds the only tracker and joins it",
  async (s) => {
    const port = await freeUdpPort();
    const t = await tracker(s, port, "sala-12");
    const p = await joinNoAddress(s, port, ["--code", t.code!]);
    const found = await p.waitFor(pattern("discover.found", "en", { line: true }));
    assert.equal(found[1], "sala-12");
    assert.equal(found[2], `127.0.0.1:${t.port}`);
    const m = await p.waitFor(registered);
    assert.equal(m[1], `127.0.0.1:${t.port}`);
    await p.endInput();
    assert.equal((await p.done).code, 0);
  },
);

sceneTest(
  SOURCE,
  "discovery: two trackers are listed in one line; --network picks one",
  async (s) => {
    const port = await freeUdpPort();
    const a = await tracker(s, port, "aula-a", ["--open"]);
    const b = await tracker(s, port, "Aula-B", ["--open"]);
    const piped = await joinNoAddress(s, port);
    await piped.endInput();
    assert.equal((await piped.done).code, 1);
    const errors = piped.lines.filter((l) => l.startsWith("error:"));
    assert.equal(errors.length, 1, piped.lines.join("\n"));
    assert.match(errors[0], pattern("discover.several", "en", { params: { count: 2 } }));
    assert.ok(errors[0].includes(`aula-a (127.0.0.1:${a.port})`), errors[0]);
    assert.ok(errors[0].includes(`Aula-B (127.0.0.1:${b.port})`), errors[0]);
    // Names compare as peer names do: case does not matter.
    const chosen = await joinNoAddress(s, port, ["--network", "aula-b"]);
    assert.equal((await chosen.waitFor(registered))[1], `127.0.0.1:${b.port}`);
    await chosen.endInput();
    assert.equal((await chosen.done).code, 0);
    // A network nobody serves: one line, naming those found.
    const none = await joinNoAddress(s, port, ["--network", "outra"]);
    await none.endInput();
    assert.equal((await none.done).code, 1);
    const line = none.lines.filter((l) => l.startsWith("error:"));
    assert.equal(line.length, 1);
    assert.match(line[0], pattern("discover.noneNamedOthers", "en"));
  },
);

sceneTest(SOURCE, "discovery: at a terminal, several trackers are chosen by number", async (s) => {
  if (!HAVE_SCRIPT) {
    console.log("skipped: `script` (util-linux) is not installed, so no pseudo-terminal");
    return;
  }
  const port = await freeUdpPort();
  await tracker(s, port, "aula-a", ["--open"]);
  const b = await tracker(s, port, "aula-b", ["--open"]);
  const h = await s.home({});
  const p = s.track(ptyProc(SOURCE, noAddressArgs(h, port), { cwd: h.home }));
  await p.waitFor(pattern("discover.choiceOpen", "en", { params: { n: 2, network: "aula-b" } }));
  // The question ends without a new line: typed now, the answer waits for it in the terminal.
  await p.send("2");
  assert.equal((await p.waitFor(registered))[1], `127.0.0.1:${b.port}`);
});

sceneTest(
  SOURCE,
  "discovery: none answers, or it is off: one line saying to give the address",
  async (s) => {
    const port = await freeUdpPort();
    await tracker(s, port, "quieta", ["--no-discovery"]);
    const p = await joinNoAddress(s, port);
    await p.endInput();
    assert.equal((await p.done).code, 1);
    const errors = p.lines.filter((l) => l.startsWith("error:"));
    assert.equal(errors.length, 1, p.lines.join("\n"));
    assert.match(errors[0], pattern("discover.none", "en"));
    assert.ok(errors[0].includes("Peers join with"), errors[0]);
    const off = await s.cli(["join", "--no-discovery"]);
    assert.equal(off.code, 2);
    assert.equal(off.lines.length, 1, off.lines.join("\n"));
    assert.ok(off.lines[0].includes(CATALOGUES.en["discover.off"] as string), off.lines[0]);
  },
);

sceneTest(SOURCE, "discovery: in Portuguese, the line when none answers", async (s) => {
  const port = await freeUdpPort();
  const h = await s.home({});
  const r = await s.cli(noAddressArgs(h, port));
  assert.equal(r.code, 1);
  assert.ok(r.lines.some((l) => pattern("discover.looking", "pt").test(l)), r.lines.join("\n"));
  const errors = r.lines.filter((l) => l.startsWith("erro:"));
  assert.equal(errors.length, 1, r.lines.join("\n"));
  assert.match(errors[0], pattern("discover.none", "pt"));
}, "pt");

sceneTest(
  SOURCE,
  "discovery: a tracker found whose ID is not the one pinned for its address is refused",
  async (s) => {
    const port = await freeUdpPort();
    const t = await tracker(s, port, "sala", ["--open"]);
    const pins = new TrackerPins(IDENTITY_HOME);
    const where = `127.0.0.1:${t.port}`;
    await pins.set(where, "00".repeat(32));
    try {
      const p = await joinNoAddress(s, port);
      await p.endInput();
      assert.equal((await p.done).code, 1);
      assert.ok(
        p.lines.some((l) => pattern("tracker.newIdentity", "en").test(l)),
        p.lines.join("\n"),
      );
      assert.ok(!p.lines.some((l) => registered.test(l)));
    } finally {
      await pins.forget(where);
    }
  },
);

// --- Across machines: network namespaces --------------------------------------------------------

Deno.test("discovery across a bridged LAN of namespaces (192.0.2.0/24)", async (t) => {
  const problem = netnsProblem();
  if (problem) {
    console.log(`skipped: ${problem}`);
    return;
  }
  const lan = new NetnsLan("rpd");
  try {
    lan.build([{ key: "t", ip: "192.0.2.1" }, { key: "p", ip: "192.0.2.2" }]);
    const serve = lan.spawn("t", SOURCE, ["serve", "0", "--open", "--network", "lab"]);
    const m = await serve.waitFor(pattern("serve.listening", "en", { line: true }));
    const tcp = Number(/:(\d+)$/.exec(m[1])![1]);
    await serve.waitFor(pattern("discover.announcing", "en"));
    await t.step("a peer on another host finds it and joins it", async () => {
      const home = await Deno.makeTempDir({ prefix: "rede-p2p-test-" });
      lan.dirs.push(home);
      const p = lan.spawn("p", SOURCE, ["join", "--dir", home], { stdin: true, cwd: home });
      assert.equal((await p.waitFor(registered))[1], `192.0.2.1:${tcp}`);
      await p.endInput();
      assert.equal((await p.done).code, 0);
    });
  } finally {
    await lan.close();
  }
});
