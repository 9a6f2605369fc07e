/**
 * Peer names (issue 10, fault 8): `ls carla` said no such peer, two peers could both be called
 * `bruno`, and messages said `IP:PORT`. Names are now unique on a network (the tracker numbers a
 * name that is taken: `bruno-2`), usable wherever a peer is named, and shown in messages. The
 * rule and the clash settling on their own, then a real tracker against hand-built clients, then
 * real peers at their shell.
 */
import assert from "node:assert/strict";
import { MAX_PEER_NAME_CHARS } from "../core/limits.ts";
import { cleanPeerName, peerNameKey, peerNameProblem } from "../core/peer_name.ts";
import { hasUnsafeChars } from "../core/terminal.ts";
import { PeerNames } from "../net/peer_names.ts";
import type { Message } from "../net/protocol.ts";
import { codeOf, run, type Scene, sceneTest, SOURCE } from "../testing/harness.ts";
import { RawClient } from "../testing/raw_client.ts";

const test = (name: string, fn: (s: Scene) => Promise<void>) => sceneTest(SOURCE, name, fn);

const ERROR = /^error: /;
const LS_DONE = /^\d+ files?, .* at |^error: /;
const GET_DONE = /^(Saved '|error: )/;
const PEERS_DONE = /peers? connected/;

// --- The rule and the settling, on their own ---------------------------------------------------

Deno.test("peer name rule: what a name may be, and any text made one", () => {
  for (const good of ["bruno", "bruno-2", "Ana_Maria", "José", "lab07", "日本語", "é1"]) {
    assert.equal(peerNameProblem(good), undefined, good);
    assert.equal(cleanPeerName(good), good, "a good name is kept as it is");
  }
  const bad: [string, RegExp][] = [
    ["", /empty/],
    ["Ana Maria", /not a space/],
    ["notas.pdf", /not '\.'/],
    ["10.0.0.7", /not '\.'/],
    ["[::1]:9", /not '\['/],
    ["#2", /not '#'/],
    ["42", /must hold a letter/],
    ["-x", /start and end/],
    ["mal\u001b[31mlory", /not U\+001B/],
    ["\u202eyrollam", /not U\+202E/],
    ["b".repeat(MAX_PEER_NAME_CHARS + 1), /longer than 64/],
  ];
  for (const [name, why] of bad) assert.match(peerNameProblem(name) ?? "accepted", why, name);
  // Whatever the text, what comes out keeps the rule.
  for (
    const raw of [
      "Ana Maria",
      "mal\u001b[31mlory\u0007\u009b2J\u202eyrollam",
      "42",
      "",
      "...",
      "x".repeat(5000),
      `${"1".repeat(70)}a`,
      "e\u0301tienne",
      "\u0301x",
      "lab-07.escola.local",
    ]
  ) {
    const clean = cleanPeerName(raw);
    assert.equal(peerNameProblem(clean), undefined, `${JSON.stringify(raw)} -> ${clean}`);
  }
  assert.equal(cleanPeerName("Ana Maria"), "Ana-Maria");
  assert.equal(cleanPeerName("42"), "peer-42");
  assert.equal(cleanPeerName("e\u0301tienne"), "\u00e9tienne"); // NFC
  // One name in any case, accents or compatibility form.
  for (const same of ["Bruno", "BRUNO", "brunó", "bruno\u0301", "ｂｒｕｎｏ"]) {
    assert.equal(peerNameKey(cleanPeerName(same)), peerNameKey("bruno"), same);
  }
});

Deno.test("peer names: first come keeps a name, clashes are numbered in any case or accent", () => {
  let now = 1000;
  const names = new PeerNames(16, () => now);
  const a = { id: "a" };
  assert.equal(names.claim("bruno", a), "bruno");
  assert.equal(names.claim("bruno", { id: "b" }), "bruno-2");
  assert.equal(names.claim("Brunó", { id: "c" }), "Brunó-3");
  // Asking for a numbered name that is taken numbers from its base, not `bruno-2-2`.
  assert.equal(names.claim("bruno-2", { id: "d" }), "bruno-4");
  // Not even the same identity holds one name twice.
  assert.equal(names.claim("bruno", a), "bruno-5");
  names.release("bruno-2");
  assert.equal(names.claim("bruno", { id: "e" }), "bruno-2", "a freed name is given again");
  // A lost peer's name is kept for it (its identity or its token) until the grace ends.
  names.keep("bruno", { id: "a", token: "t" }, now + 100);
  assert.equal(names.claim("bruno", { id: "f" }), "bruno-6");
  assert.equal(names.claim("bruno", { id: "g", token: "t" }), "bruno", "its token takes it back");
  names.keep("bruno", { id: "g", token: "u" }, now + 100);
  assert.equal(names.claim("bruno", { id: "g" }), "bruno", "its identity takes it back");
  names.keep("bruno", { id: "g", token: "u" }, now + 100);
  now += 100;
  assert.equal(names.claim("bruno", { id: "h" }), "bruno", "free for anyone once the grace ends");
  // Past the numbered names, a random number.
  const many = new PeerNames(16);
  for (let i = 0; i < 100; i++) many.claim("x", { id: String(i) });
  assert.match(many.claim("x", { id: "last" }), /^x-\d{3,}$/);
  assert.equal(many.size, 101);
});

// --- A real tracker, hand-built clients --------------------------------------------------------

/** A hand-built client admitted to the tracker as identity `identity`. */
async function client(s: Scene, port: number, identity: string): Promise<RawClient> {
  const c = await RawClient.hello(port, undefined, { code: codeOf(port), identity });
  s.defer(() => c.close());
  return c;
}

/** The name a `register` got, or what came instead. */
async function register(c: RawClient, port: number, name: string): Promise<string> {
  const m = await c.ask({ t: "register", port, name, files: [] });
  assert.equal(m?.t, "registered", JSON.stringify(m));
  const { name: given } = m as Extract<Message, { t: "registered" }>;
  assert.ok(given !== undefined, "the tracker says which name it gave");
  return given;
}

test("peer names: the tracker numbers a taken name, frees it on leave, keeps it for a lost peer", async (s) => {
  const t = await s.tracker();
  const a = await client(s, t.port, "names-a");
  const b = await client(s, t.port, "names-b");
  assert.equal(await register(a, 4001, "bruno"), "bruno");
  assert.equal(await register(b, 4002, "Bruno"), "Bruno-2", "case does not make another name");
  const list = await a.ask({ t: "peers" });
  assert.ok(list?.t === "peer_list");
  assert.deepEqual(list.peers.map((p) => p.name), ["bruno", "Bruno-2"]);

  // b is lost (its connection drops): its name waits for it; another peer gets the next one.
  let mark = t.mark();
  await b.close();
  await t.waitFor(/leave +127\.0\.0\.1:4002 "Bruno-2" \(connection lost\)/, mark);
  const c = await client(s, t.port, "names-c");
  assert.equal(await register(c, 4003, "bruno-2"), "bruno-3");
  const back = await client(s, t.port, "names-b");
  assert.equal(await register(back, 4002, "Bruno-2"), "Bruno-2", "its own name back");

  // a leaves: `bruno` is free for the next one who asks.
  mark = t.mark();
  a.send({ t: "bye" });
  assert.equal(await a.next(), null);
  await t.waitFor(/leave +127\.0\.0\.1:4001 "bruno" \(quit\)/, mark);
  const d = await client(s, t.port, "names-d");
  assert.equal(await register(d, 4004, "bruno"), "bruno");
});

test("peer names: a hostile client's name with controls, or overlong, is made a peer name", async (s) => {
  const t = await s.tracker();
  const honest = await client(s, t.port, "names-honest");
  assert.equal(await register(honest, 4100, "bruno"), "bruno");
  const evil = await client(s, t.port, "names-evil");
  const mark = t.mark();
  // Controls to pose as `bruno` on a terminal, then a megabyte of name.
  const asked = `bruno\u001b[2K\r\u202e${"x".repeat(1 << 20)}`;
  const given = await register(evil, 4101, asked);
  assert.equal(peerNameProblem(given), undefined, given);
  assert.ok(given.length <= MAX_PEER_NAME_CHARS);
  assert.match(given, /^bruno-2K-x+$/);
  // Nor can a control character or an accent make `bruno` twice.
  const twin = await client(s, t.port, "names-twin");
  assert.equal(await register(twin, 4102, "bru\u0000no\u0007"), "bru-no");
  assert.equal(await register(twin, 4102, "BRUNÓ\u200f"), "BRUNÓ-2");
  const list = await honest.ask({ t: "peers" });
  assert.ok(list?.t === "peer_list");
  assert.deepEqual(list.peers.map((p) => p.name), ["bruno", given, "BRUNÓ-2"]);
  await t.waitFor(/join +127\.0\.0\.1:4102 "BRUNÓ-2"/, mark);
  assert.ok(!t.lines.some(hasUnsafeChars), "nothing a terminal acts on in the log");
});

// --- Real peers at their shell -----------------------------------------------------------------

test("peer names: two peers called bruno are bruno and bruno-2; ls, get and messages use names", async (s) => {
  const t = await s.tracker();
  const first = await s.peer(t.port, await s.home({ "a.txt": "from the first\n" }), [
    "--name",
    "bruno",
  ]);
  const second = await s.peer(t.port, await s.home({ "b.txt": "from the second\n" }), [
    "--name",
    "bruno",
  ]);
  assert.ok(
    first.lines.some((l) =>
      /^Registered with tracker .* as 127\.0\.0\.1:\d+, named "bruno"$/.test(l)
    ),
    first.lines.join("\n"),
  );
  assert.ok(
    second.lines.some((l) => /, named "bruno-2" \("bruno" is taken\)$/.test(l)),
    second.lines.join("\n"),
  );
  const carla = await s.peer(t.port, await s.home({}), ["--name", "carla"]);
  const table = await run(carla, "peers", PEERS_DONE);
  for (const [name, port] of [["bruno", first.port], ["bruno-2", second.port]] as const) {
    const row = new RegExp(`│ ${port} +│ ${name} +│`);
    assert.ok(table.some((l) => row.test(l)), table.join("\n"));
  }

  const at = (name: string, p: { port: number }) => `${name} (127.0.0.1:${p.port})`;
  let out = await run(carla, "ls bruno-2", LS_DONE);
  assert.ok(out.some((l) => l.includes("b.txt")), out.join("\n"));
  assert.equal(out.at(-1), `1 file, 16 B at ${at("bruno-2", second)}`);
  out = await run(carla, "ls BRUNO", LS_DONE); // Any case.
  assert.equal(out.at(-1), `1 file, 15 B at ${at("bruno", first)}`);
  out = await run(carla, "get --from bruno-2 b.txt", GET_DONE);
  assert.match(out.at(-1)!, /^Saved 'b\.txt' \(16 B\) from (\S+ \(\S+\)) in /);
  assert.equal(/ from (.*) in /.exec(out.at(-1)!)![1], at("bruno-2", second));
  out = await run(carla, "get --from bruno b.txt", GET_DONE);
  assert.equal(out.at(-1), "error: No file or folder named 'b.txt' at bruno");
  out = await run(carla, "ls nobody", LS_DONE);
  assert.equal(out.at(-1), "error: No peer named 'nobody' is on the network; see 'peers'");
  out = await run(carla, "ls 127.0.0.1", ERROR); // Several there: each by name and address.
  assert.ok(out.at(-1)!.includes(at("bruno-2", second)), out.join("\n"));

  // The first leaves: its name is free again.
  const mark = t.mark();
  await first.send("quit");
  await t.waitFor(/leave .* "bruno" \(quit\)/, mark);
  const third = await s.peer(t.port, await s.home({}), ["--name", "bruno"]);
  assert.ok(third.lines.some((l) => /, named "bruno"$/.test(l)), third.lines.join("\n"));
});

test("peer names: a peer keeps its name when the tracker restarts", async (s) => {
  const t = await s.tracker();
  const first = await s.peer(t.port, await s.home({}), ["--name", "bruno"]);
  const second = await s.peer(t.port, await s.home({}), ["--name", "bruno"]);
  const [m1, m2] = [first.mark(), second.mark()];
  t.kill("SIGKILL");
  await first.waitFor(/Lost the tracker/, m1);
  await second.waitFor(/Lost the tracker/, m2);
  await s.tracker(t.port);
  // Each asks for the name it had, whoever comes back first.
  await first.waitFor(/registered again as 127\.0\.0\.1:\d+, named "bruno"$/, m1);
  await second.waitFor(/registered again as 127\.0\.0\.1:\d+, named "bruno-2"$/, m2);
});

test("peer names: join refuses a --name that breaks the rule, in one error line", async (s) => {
  const home = await s.home();
  const args = ["join", "127.0.0.1:9", "--dir", home.dir, "--manifest", home.manifest];
  const { code, lines } = await s.cli([...args, "--name", "Ana Maria"]);
  assert.equal(code, 2, lines.join("\n"));
  assert.equal(lines.length, 1, lines.join("\n"));
  assert.match(
    lines[0],
    /^error: Invalid name 'Ana Maria': may hold only letters, digits, '-' and '_' \(not a space\)/,
  );
});
