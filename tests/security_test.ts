/**
 * Issue 8, end to end: who may come in, what a sniffer sees, and what a man in the middle gets.
 * Real `serve` and `join` processes on 127.0.0.x, hand-built clients (testing/raw_client.ts) and
 * a relay and a TLS-terminating man in the middle of this file's own, on loopback addresses.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import * as net from "node:net";
import * as tls from "node:tls";
import { join } from "node:path";
import {
  credentials,
  homeCertOf,
  joinArgs,
  Proc,
  run,
  sceneTest,
  setCode,
  SOURCE,
  TestNetwork,
  WAIT_MS,
} from "../testing/harness.ts";
import { memberChannel, memberOf, RawClient } from "../testing/raw_client.ts";
import { connect } from "../net/transport.ts";
import { proofOf } from "../net/peer_tls.ts";
import { Tracker } from "../net/tracker.ts";
import type { Trust } from "../net/membership.ts";
import { PROTOCOL_VERSION } from "../core/limits.ts";

const ERROR = /^error: /;
const GET_DONE = /^(Saved '|error: )/;
const LS_DONE = /^(\d+ files?, .* at |error: )/;
const PEERS_DONE = /^(\d+ peers? connected|error: )/;
const test = (name: string, fn: Parameters<typeof sceneTest>[2]) => sceneTest(SOURCE, name, fn);

/** Relays `a` and `b` both ways, telling `seen` of every chunk; each ends the other. */
function splice(a: net.Socket, b: net.Socket, sockets: Set<net.Socket>, seen: (d: Buffer) => void) {
  for (const [x, y] of [[a, b], [b, a]]) {
    sockets.add(x);
    x.on("data", (d: Buffer) => {
      seen(d);
      y.write(d);
    });
    x.on("error", () => y.destroy());
    x.on("close", () => {
      sockets.delete(x);
      y.destroy();
    });
  }
}

/** Listens on `host` (a free port); `close` ends every relayed socket and the server. */
async function opened(server: net.Server, host: string, sockets: Set<net.Socket>) {
  await new Promise<void>((resolve) => server.listen({ host, port: 0 }, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TCP relay on `host` to `target`, from `from`, that records every byte either way. */
async function relay(host: string, target: number | (() => number), from = "127.0.0.1") {
  const seen: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((a) => {
    const port = typeof target === "number" ? target : target();
    const b = net.connect({ host: "127.0.0.1", port, localAddress: from });
    splice(a, b, sockets, (d) => seen.push(Buffer.from(d)));
  });
  return { ...(await opened(server, host, sockets)), bytes: () => Buffer.concat(seen) };
}

/**
 * A man in the middle on `host` to 127.0.0.1:`target`: it ends TLS on each side with its own
 * identity and relays what it decrypts.
 */
async function mitm(host: string, target: number) {
  const me = await credentials("mitm");
  const opts = { key: me.keyPem, cert: me.certPem, minVersion: "TLSv1.3" as const };
  const sockets = new Set<net.Socket>();
  let relayed = 0;
  const server = tls.createServer(
    { ...opts, requestCert: true, rejectUnauthorized: false },
    (a) => {
      const b = tls.connect({
        ...opts,
        host: "127.0.0.1",
        port: target,
        rejectUnauthorized: false,
      });
      splice(a, b, sockets, (d) => (relayed += d.length));
    },
  );
  return {
    ...(await opened(server, host, sockets)),
    relayed: () => relayed,
  };
}

/**
 * Connects, as `member`, to `at` as if it were the peer the tracker lists on `listedPort` (its ID
 * and certificate): a MITM there must be refused. Returns the listed peer.
 */
async function asListed(
  trackerPort: number,
  listedPort: number,
  member: Trust,
  at: number,
  code?: string,
): Promise<{ port: number; id: string }> {
  const lister = await RawClient.hello(trackerPort, undefined, { identity: "lister", code });
  const list = (await lister.ask({ t: "peers" })) as { peers: { port: number; id: string }[] };
  await lister.close();
  const listed = list.peers.find((p) => p.port === listedPort)!;
  await assert.rejects(
    connect({ host: "127.0.0.1", port: at, id: listed.id }, "peer", {
      creds: member.creds,
      peerCert: await homeCertOf(listed.id),
      timeoutMs: WAIT_MS,
    }),
    /The peer at 127\.0\.0\.1:\d+ is not the one expected: it does not show the ID \S+/,
  );
  return listed;
}

/** A folder of its own for identities: another machine, as far as IDs go. */
async function otherHome(s: { defer(f: () => Promise<void>): void }): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-other-ids-" });
  s.defer(() => Deno.remove(dir, { recursive: true }));
  return dir;
}

test("security: without the code, or with a wrong one, a peer gets one line and nothing else", async (s) => {
  const t = await s.tracker();
  assert.match(t.code!, /^\d{4}-\d{4}$/);
  const seed = await s.peer(t.port, await s.home({ "segredo.txt": "conteudo secreto\n" }));
  // `join` with piped input and no code: one clear line, exit 1.
  const home = await s.home({});
  const args = joinArgs(t.port, home);
  args.splice(args.indexOf("--code"), 2);
  const noCode = s.track(new Proc(SOURCE, args, { stdin: true, cwd: home.home }));
  await noCode.endInput();
  assert.equal((await noCode.done).code, 1);
  const noCodeErr = noCode.lines.filter((l) => /private|code/.test(l));
  assert.equal(noCodeErr.length, 1, noCode.lines.join("\n"));
  assert.match(noCodeErr[0], /private: give its join code with --code CODE/);
  // A wrong code: one line, no listing, no file.
  const wrong = s.track(
    new Proc(SOURCE, joinArgs(t.port, home, ["--code", "1234-5678"]), {
      stdin: true,
      cwd: home.home,
    }),
  );
  await wrong.send("peers");
  await wrong.send(`get 127.0.0.1:${seed.port} segredo.txt`);
  await wrong.endInput();
  assert.equal((await wrong.done).code, 1);
  const said = wrong.lines.filter((l) => !/^(No manifest|Sharing|Serving peers)/.test(l));
  assert.equal(said.length, 1, wrong.lines.join("\n"));
  assert.match(said[0], /Wrong join code for the network at 127\.0\.0\.1:\d+$/);
  assert.ok(!wrong.lines.some((l) => /segredo|peers? connected/.test(l)));
  // A hand-built client that skips the PAKE gets no list, no search, no registration.
  for (
    const m of [{ t: "peers" }, { t: "find", text: "segredo" }, {
      t: "who_has",
      root: "0".repeat(64),
    }]
  ) {
    // From an address of its own: the wrong code above slowed 127.0.0.1 down.
    const c = await RawClient.open(t.port, "127.0.0.5");
    try {
      c.send({ t: "hello", app: "rede-p2p", v: PROTOCOL_VERSION, role: "peer" });
      assert.equal((await c.next())?.t, "hello");
      const reply = await c.ask(m);
      assert.equal(reply?.t, "error", JSON.stringify(reply));
      assert.equal(await c.next(), null, "closed after the refusal");
    } finally {
      await c.close();
    }
  }
  // A hand-built client with a wrong code: WRONG_CODE, never `admitted`; the next try from the
  // same address is slowed down.
  await assert.rejects(
    RawClient.hello(t.port, "127.0.0.7", { code: "9999-9999" }),
    /not admitted: .*WRONG_CODE/,
  );
  await assert.rejects(RawClient.hello(t.port, "127.0.0.7", { code: t.code }), /BUSY.*try again/);
  // Another address with the right code is not slowed down.
  const ok = await RawClient.hello(t.port, "127.0.0.8", { code: t.code });
  assert.ok(ok.member);
  await ok.close();
  // At a peer's listener: no membership, or another network's, is refused before any request.
  const strangers = await TestNetwork.make("another-tracker");
  for (
    const trust of [await strangers.trust("stranger"), await strangers.trust("no-member", false)]
  ) {
    await assert.rejects(memberChannel(seed.port, trust), /Not a member/);
  }
  // The seeder answered nothing: its file is still only there.
  assert.ok(!(await Deno.readDir(home.dir)[Symbol.asyncIterator]().next()).value);
});

test("security: a relay between two peers sees neither the file's name nor its content", async (s) => {
  const t = await s.tracker();
  const content = new TextEncoder().encode("CONTEUDO-SECRETO-".repeat(20_000));
  const name = "relatorio-confidencial.txt";
  const seedHome = await s.home({ [name]: content });
  // The seeder reaches the tracker through r1 (so the tracker sees it at 127.0.0.3) and is
  // reached by others through r2, on 127.0.0.3 at the port it listens on at 127.0.0.1.
  const r1 = await relay("127.0.0.3", t.port, "127.0.0.3");
  s.defer(r1.close);
  const r2 = await relay("127.0.0.3", () => r2.port);
  s.defer(r2.close);
  setCode(r1.port, t.code);
  const args = joinArgs(r1.port, seedHome, ["--listen-port", String(r2.port)]);
  args[1] = `127.0.0.3:${r1.port}`;
  const seed = s.track(new Proc(SOURCE, args, { stdin: true, cwd: seedHome.home }));
  await seed.waitFor(/Registered with tracker .* as 127\.0\.0\.3:(\d+)/);
  const downHome = await s.home({});
  const down = await s.peer(t.port, downHome);
  const out = await run(down, `get 127.0.0.3:${r2.port} ${name}`, GET_DONE, 30_000);
  assert.ok(out.some((l) => l.startsWith(`Saved '${name}'`)), out.join("\n"));
  assert.deepEqual(await Deno.readFile(join(downHome.dir, name)), content);
  const wire = Buffer.concat([r1.bytes(), r2.bytes()]);
  assert.ok(r2.bytes().length > content.length, "the file crossed the relay");
  for (const secret of [name, "relatorio", "CONTEUDO-SECRETO", "segredo"]) {
    assert.equal(wire.indexOf(Buffer.from(secret)), -1, `'${secret}' seen on the wire`);
  }
  assert.equal(wire.indexOf(Buffer.from('"t":"')), -1, "no frame in clear");
});

test("security: a man in the middle is refused by the downloader, the seeder and the joiner", async (s) => {
  const t = await s.tracker();
  const seedHome = await s.home({ "a.txt": "alpha\n" });
  const seed = await s.peer(t.port, seedHome);
  // The downloader asks the tracker, which lists the seeder's ID; the MITM shows its own.
  const m = await mitm("127.0.0.1", seed.port);
  s.defer(m.close);
  const down = await s.peer(t.port, await s.home({}));
  // Typed by hand, the MITM's address has no listed ID to check: the seeder refuses instead, as
  // the member's statement it relays names the downloader, not the MITM's certificate.
  const out = await run(down, `ls 127.0.0.1:${m.port}`, LS_DONE);
  assert.match(out.find((l) => ERROR.test(l)) ?? out.join("\n"), /Not a member/);
  // Listed ID check: a listed peer at an address answering with another certificate.
  const member = await memberOf(t.port, "mitm-victim");
  const listed = await asListed(t.port, seed.port, member, m.port, t.code);
  // The seeder's side: a member's statement shown by the MITM (whose proof names itself), and a
  // member's proof made for another listener (the MITM's), relayed: both refused.
  const mitmCreds = await credentials("mitm");
  await assert.rejects(
    memberChannel(seed.port, { creds: mitmCreds, network: member.network }),
    /Not a member/,
  );
  const relayed = await connect({ host: "127.0.0.1", port: seed.port, id: listed.id }, "peer", {
    creds: member.creds,
    peerCert: await homeCertOf(listed.id),
    timeoutMs: WAIT_MS,
  });
  await assert.rejects(
    relayed.greet("client", "peer", WAIT_MS, {
      member: member.network!.mine,
      ...proofOf(member.creds, mitmCreds.fingerprint),
    }),
    /Not a member/,
  );
  relayed.close();
  // The tracker's side: a first join through a MITM fails the PAKE (both ends see other IDs).
  const tm = await mitm("127.0.0.1", t.port);
  s.defer(tm.close);
  setCode(tm.port, t.code);
  const home = await s.home({});
  const joiner = s.track(
    new Proc(SOURCE, joinArgs(tm.port, home), { stdin: true, cwd: home.home }),
  );
  await joiner.endInput();
  assert.equal((await joiner.done).code, 1);
  assert.ok(joiner.lines.some((l) => /Wrong join code/.test(l)), joiner.lines.join("\n"));
  assert.ok(tm.relayed() > 0, "the MITM relayed the PAKE");
});

test("security: a peer or a tracker whose identity changed is refused", async (s) => {
  const t = await s.tracker();
  const seedHome = await s.home({ "a.txt": "alpha\n" });
  const seed = await s.peer(t.port, seedHome);
  const down = await s.peer(t.port, await s.home({}));
  const rows = await run(down, "peers", PEERS_DONE);
  const row = rows.find((l) => l.includes(`│ ${seed.port} `))!;
  const n = /^│ (\d+)/.exec(row)![1];
  // The seeder is replaced by another identity on the same port; the downloader still has
  // the ID the tracker listed.
  await seed.stop();
  const impostor = s.track(
    new Proc(SOURCE, joinArgs(t.port, seedHome, ["--listen-port", String(seed.port)]), {
      stdin: true,
      cwd: seedHome.home,
      env: { REDE_P2P_HOME: await otherHome(s) },
    }),
  );
  // Listening is enough (the tracker keeps the old one's key for a while anyway).
  await impostor.waitFor(new RegExp(`Serving peers on 127\\.0\\.0\\.1:${seed.port} `));
  const out = await run(down, `ls ${n}`, LS_DONE);
  assert.match(out.find((l) => ERROR.test(l))!, /is not the one expected: its ID is \S+, not \S+/);
  // A tracker with another identity at an address this peer joined before. The peer keeps its
  // pins in a home of its own: the test home's pins must stay true for other tests' trackers.
  const ids = await otherHome(s);
  const env = { REDE_P2P_HOME: await otherHome(s) };
  const home = await s.home({});
  const first = s.track(
    new Proc(SOURCE, joinArgs(t.port, home), { stdin: true, cwd: home.home, env }),
  );
  await first.waitFor(/Registered with tracker/);
  await first.stop();
  const port = t.port;
  await t.stop();
  const t2 = await s.tracker(port, ["--code", "outro-codigo-42"], { env: { REDE_P2P_HOME: ids } });
  assert.equal(t2.code, "outro-codigo-42");
  const again = s.track(
    new Proc(SOURCE, joinArgs(port, home), { stdin: true, cwd: home.home, env }),
  );
  await again.endInput();
  assert.equal((await again.done).code, 1);
  const line = again.lines.find((l) => /new identity/.test(l)) ?? again.lines.join("\n");
  assert.match(line, /The tracker at 127\.0\.0\.1:\d+ has a new identity .*rede-p2p id --forget/);
  // Forgetting it on purpose lets the next join remember the new one.
  const forget = s.track(new Proc(SOURCE, ["id", "--forget", `127.0.0.1:${port}`], { env }));
  assert.equal((await forget.done).code, 0);
  const third = s.track(
    new Proc(SOURCE, joinArgs(port, home), { stdin: true, cwd: home.home, env }),
  );
  await third.waitFor(/Registered with tracker/);
});

test("security: an open network lets anyone in, still encrypted and identity-checked", async (s) => {
  const t = await s.tracker(0, ["--open"]);
  assert.equal(t.code, undefined);
  const name = "aberto.txt";
  const content = "ABERTO-MAS-CIFRADO-".repeat(1000);
  const seedHome = await s.home({ [name]: content });
  const r = await relay("127.0.0.1", t.port);
  s.defer(r.close);
  const seed = await s.peer(r.port, seedHome);
  const down = await s.peer(t.port, await s.home({}));
  const out = await run(down, `get 127.0.0.1:${seed.port} ${name}`, GET_DONE);
  assert.ok(out.some((l) => l.startsWith(`Saved '${name}'`)), out.join("\n"));
  // What crossed the relay (the seeder's registration) is not readable.
  assert.ok(r.bytes().length > 0);
  assert.equal(r.bytes().indexOf(Buffer.from(name)), -1);
  // IDs are still checked: a MITM in front of the seeder is refused.
  const m = await mitm("127.0.0.1", seed.port);
  s.defer(m.close);
  await asListed(t.port, seed.port, await memberOf(t.port, "open-member"), m.port);
});

test("security: an older, plaintext client is told which version this is", async (s) => {
  const t = await s.tracker();
  const seed = await s.peer(t.port, await s.home({}));
  for (const port of [t.port, seed.port]) {
    const c = await RawClient.open(port, undefined, { plain: true });
    try {
      const reply = await c.ask({ t: "hello", app: "rede-p2p", v: 3, role: "peer" });
      assert.equal(reply?.t, "error");
      assert.match(
        JSON.stringify(reply),
        new RegExp(`VERSION_MISMATCH.*protocol version ${PROTOCOL_VERSION}, over TLS only`),
      );
    } finally {
      await c.close();
    }
  }
});

Deno.test("security: wrong codes from one address wait longer each time, and are forgotten", async () => {
  let now = 1_000_000;
  const tracker = await Tracker.start({
    host: "127.0.0.1",
    port: 0,
    creds: await credentials("gate-tracker"),
    code: "24681357",
    gateClock: () => now,
  });
  const port = tracker.address.port;
  const wrong = () => RawClient.hello(port, "127.0.0.9", { code: "1111-1111" });
  const right = () => RawClient.hello(port, "127.0.0.9", { code: "2468-1357" });
  try {
    // Each wrong code adds a wait; a try inside it is refused without a PAKE.
    for (const waitMs of [1_000, 2_000, 4_000, 8_000]) {
      await assert.rejects(wrong(), /WRONG_CODE/);
      now += waitMs - 1;
      await assert.rejects(right(), /BUSY.*try again in 1 s/);
      now += 1;
    }
    assert.equal(tracker.codeFailures, 4);
    // Fifteen minutes after the last wrong code they are forgotten: the next one waits 1 s.
    await assert.rejects(wrong(), /WRONG_CODE/);
    now += 15 * 60_000 + 1;
    await assert.rejects(wrong(), /WRONG_CODE/);
    now += 1_000;
    const c = await right();
    assert.ok(c.member, "admitted with the right code once the wait is over");
    await c.close();
  } finally {
    tracker.close();
    await tracker.done;
  }
});
