/**
 * Push, end to end: real `serve` and `join` processes on 127.0.0.1, a pusher whose shell is fed
 * through its input, targets that accept on their own (`--accept-push`) or are asked at their
 * prompt, and a hand-built client that sends hostile offers. No sleeps: every wait is on a line
 * printed or a message received.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { memberChannel, memberOf } from "../testing/raw_client.ts";
import {
  codeOf,
  credentials,
  guard,
  IDENTITY_HOME,
  type PeerSetup,
  run,
  type Scene,
  sceneTest,
  sha256File,
  SOURCE,
  writeRandomFile,
} from "../testing/harness.ts";
import type { Message } from "../net/protocol.ts";
import { open } from "../net/peer_client.ts";
import { PUSH_MAX_FILES, type Timings } from "../core/limits.ts";
import { Fetcher } from "../app/fetch.ts";
import { Node } from "../app/node.ts";
import { offerOf, pushOffer, type Target } from "../app/push.ts";
import { type AcceptPolicy, type PushEvent, PushReceiver } from "../app/push_receiver.ts";
import { Session } from "../commands/_session.ts";
import { isYes } from "../commands/_push_view.ts";

const SUMMARY = /^Pushed .* to \d+ peers?: /;
const ROOT = "a".repeat(64);

async function listing(dir: string): Promise<string[]> {
  const out = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

/** A home sharing `prova.pdf` (6 MiB: two chunks) and a folder `fotos` of two files. */
async function pusherHome(s: Scene): Promise<PeerSetup> {
  const h = await s.home({ "notes.txt": "only for one" });
  await writeRandomFile(join(h.dir, "prova.pdf"), 6 * 1024 * 1024, 9);
  await Deno.mkdir(join(h.dir, "fotos"));
  await Deno.writeTextFile(join(h.dir, "fotos", "a.jpg"), "first photo");
  await Deno.writeTextFile(join(h.dir, "fotos", "b.jpg"), "second photo");
  await Deno.writeTextFile(
    h.manifest,
    "notes.txt share/notes.txt\nprova.pdf share/prova.pdf\nfotos share/fotos\n",
  );
  return h;
}

/** The row of `name` in the pusher's final table: its state and rate cells. */
function row(lines: string[], name: string): string | undefined {
  return lines.findLast((l) => new RegExp(`^│ ${name} +│`).test(l));
}

sceneTest(SOURCE, "push: two peers accept on their own, one declines at its prompt", async (s) => {
  const t = await s.tracker();
  const anaHome = await pusherHome(s);
  const ana = await s.peer(t.port, anaHome, ["--name", "ana"]);
  const bHome = await s.home();
  await s.peer(t.port, bHome, ["--name", "bruno", "--accept-push"]);
  const cHome = await s.home();
  const carla = await s.peer(t.port, cHome, ["--name", "carla", "--no-shell", "--accept-push"]);
  const dHome = await s.home();
  const dani = await s.peer(t.port, dHome, ["--name", "dani"]);

  const mark = ana.mark();
  const daniMark = dani.mark();
  await ana.send("push prova.pdf");
  // Dani is asked at its prompt, with the pusher's name as the tracker lists it.
  await dani.waitFor(/^ana offers 'prova\.pdf' \(6 MiB\)\. Accept\? \[y\/N\]$/, daniMark);
  await dani.send("n");
  await dani.waitFor(/^Declined ana's offer of 'prova\.pdf'$/, daniMark);
  await ana.waitFor(SUMMARY, mark, 30_000);
  const out = ana.since(mark);
  assert.ok(
    out.includes("Pushed 'prova.pdf' (6 MiB) to 3 peers: 2 got it intact, 1 declined, 0 failed"),
    out.join("\n"),
  );
  assert.ok(out.some((l) => /^Declined: dani \(127\.0\.0\.1:\d+\)$/.test(l)), out.join("\n"));
  assert.match(row(out, "bruno")!, /│ done +│ .*\/s/);
  assert.match(row(out, "carla")!, /│ done +│/);
  assert.match(row(out, "dani")!, /│ declined +│/);
  // Plain lines (not a terminal): one per change of state.
  assert.ok(out.some((l) => /^dani \(127\.0\.0\.1:\d+\): declined$/.test(l)), out.join("\n"));

  const want = await sha256File(join(anaHome.dir, "prova.pdf"));
  for (const h of [bHome, cHome]) {
    assert.equal(await sha256File(join(h.dir, "prova.pdf")), want);
  }
  assert.deepEqual(await listing(dHome.dir), [], "nothing at the peer that declined");
  // The answer was not run as a command, and the shells go on.
  assert.ok(!dani.since(daniMark).some((l) => /Unknown verb/.test(l)));
  await carla.waitFor(/^Received 'prova\.pdf' \(6 MiB\) pushed by ana in [\d.]+ s; verified$/);
  await run(dani, "peers", /^\d+ peers? connected/);
});

sceneTest(SOURCE, "push: to the peers named only, a folder included", async (s) => {
  const t = await s.tracker();
  const ana = await s.peer(t.port, await pusherHome(s), ["--name", "ana"]);
  const bHome = await s.home();
  const bruno = await s.peer(t.port, bHome, ["--name", "bruno", "--accept-push"]);
  const cHome = await s.home();
  await s.peer(t.port, cHome, ["--name", "carla", "--accept-push"]);

  // By name.
  let out = await run(ana, "push notes.txt bruno", SUMMARY, 30_000);
  assert.equal(
    out.at(-1),
    "Pushed 'notes.txt' (12 B) to 1 peer: 1 got it intact, 0 declined, 0 failed",
  );
  assert.equal(await Deno.readTextFile(join(bHome.dir, "notes.txt")), "only for one");
  // Again: the same content is already there, so it is done at once and nothing is copied.
  const bMark = bruno.mark();
  out = await run(ana, "push notes.txt bruno", SUMMARY, 30_000);
  assert.match(out.at(-1)!, /: 1 got it intact, 0 declined, 0 failed$/);
  assert.match(row(out, "bruno")!, /│ done \(it had it already\) +│ +│$/);
  await bruno.waitFor(
    /^'notes\.txt' \(12 B\) pushed by ana is already here \(same content\)/,
    bMark,
  );
  assert.deepEqual(await listing(bHome.dir), [".rede-p2p", "notes.txt"]);
  // By address: a folder, its files in a folder of the same name.
  out = await run(ana, `push fotos 127.0.0.1:${bruno.port}`, SUMMARY, 30_000);
  assert.match(
    out.at(-1)!,
    /^Pushed the folder 'fotos' \(2 files, 23 B\) to 1 peer: 1 got/,
  );
  assert.equal(await Deno.readTextFile(join(bHome.dir, "fotos", "b.jpg")), "second photo");
  assert.deepEqual(await listing(cHome.dir), [], "nothing at the peer not named");

  // A peer with no shell and no --accept-push declines, and says why.
  const eva = await s.peer(t.port, await s.home(), ["--name", "eva", "--no-shell"]);
  out = await run(ana, "push notes.txt eva", SUMMARY, 30_000);
  assert.ok(
    out.includes(
      `Declined: eva (127.0.0.1:${eva.port}) (It takes pushes only when started with --accept-push)`,
    ),
    out.join("\n"),
  );
  await eva.waitFor(/^Declined ana's offer of 'notes\.txt': without a shell, pushes are taken/);

  // A name this peer does not share, and a peer that is not there: one line each.
  out = await run(ana, "push nada.txt", /^error: /);
  assert.equal(out.at(-1), "error: This peer shares no file or folder named 'nada.txt'");
  out = await run(ana, "push notes.txt nobody", /^error: /);
  assert.equal(out.at(-1), "error: No peer named 'nobody' is on the network; see 'peers'");
});

sceneTest(SOURCE, "push: Ctrl-C or the pusher leaving withdraws the question", async (s) => {
  const t = await s.tracker();
  const ana = await s.peer(t.port, await pusherHome(s), ["--name", "ana"]);
  const dHome = await s.home();
  const dani = await s.peer(t.port, dHome, ["--name", "dani"]);

  let mark = ana.mark();
  let daniMark = dani.mark();
  await ana.send("push prova.pdf");
  await dani.waitFor(/^ana offers 'prova\.pdf' .* Accept\? \[y\/N\]$/, daniMark);
  await ana.waitFor(/^dani \(127\.0\.0\.1:\d+\): asked$/, mark);
  ana.kill("SIGINT"); // Ctrl-C in the piped shell: ends the push, not the shell.
  await dani.waitFor(/^ana withdrew the offer of 'prova\.pdf'$/, daniMark);
  await ana.waitFor(SUMMARY, mark);
  const out = ana.since(mark);
  assert.ok(out.some((l) => /^Withdrawn from: dani \(127\.0\.0\.1:\d+\)$/.test(l)), out.join("\n"));
  assert.equal(
    out.at(-1),
    "Pushed 'prova.pdf' (6 MiB) to 1 peer: 0 got it intact, 0 declined, 0 failed",
  );
  // The question is gone: the next line is a command again.
  await run(dani, "y", /^error: Unknown verb 'y'/);

  // The pusher's process ends while the question waits: withdrawn too.
  mark = ana.mark();
  daniMark = dani.mark();
  await ana.send("push notes.txt");
  await dani.waitFor(/^ana offers 'notes\.txt' \(12 B\)\. Accept\? \[y\/N\]$/, daniMark);
  await ana.stop();
  await dani.waitFor(/^ana withdrew the offer of 'notes\.txt'$/, daniMark);
  await run(dani, "y", /^error: Unknown verb 'y'/);
  assert.deepEqual(await listing(dHome.dir), []);
});

sceneTest(
  SOURCE,
  "push: hostile offers are refused in one line and nothing is written",
  async (s) => {
    const t = await s.tracker();
    const home = await s.home();
    // Even a peer that accepts every push takes nothing from these.
    const target = await s.peer(t.port, home, ["--name", "lab", "--accept-push"]);
    const mark = target.mark();
    const ch = await memberChannel(target.port, await memberOf(t.port));
    const send = (m: unknown) => ch.send(m as Message);
    const refusal = async (m: unknown) => {
      await send(m);
      const reply = await ch.recv(10_000);
      assert.equal(reply?.t, "error", JSON.stringify(reply));
      return reply as Extract<Message, { t: "error" }>;
    };
    try {
      // An unsafe name, in the offer's name or in a file's: BAD_NAME, the connection goes on.
      for (const name of ["../escape.txt", "/etc/passwd", "a\u001b[2J"]) {
        const e = await refusal({ t: "offer", name, files: [{ name, size: 1, root: ROOT }] });
        assert.equal(e.code, "BAD_NAME", e.message);
        assert.doesNotMatch(e.message, /\n/);
      }
      let e = await refusal({
        t: "offer",
        name: "fotos",
        files: [{ name: "fotos/../../x", size: 1, root: ROOT }],
      });
      assert.equal(e.code, "BAD_NAME");
      // Files outside the name offered, or one name twice: BAD_REQUEST.
      e = await refusal({
        t: "offer",
        name: "fotos",
        files: [{ name: "a.txt", size: 1, root: ROOT }],
      });
      assert.equal(e.code, "BAD_REQUEST");
      assert.match(e.message, /files outside it/);
      const twice = { name: "fotos/a.jpg", size: 1, root: ROOT };
      e = await refusal({ t: "offer", name: "fotos", files: [twice, twice] });
      assert.match(e.message, /names a file twice/);
      // A well-formed offer from a member the tracker does not list: refused, not asked.
      e = await refusal({
        t: "offer",
        name: "x.txt",
        files: [{ name: "x.txt", size: 1, root: ROOT }],
      });
      assert.equal(e.code, "BAD_REQUEST");
      assert.match(e.message, /tracker does not list you/);
      // Too many files: the frame itself is refused and the connection closed.
      const files = Array.from({ length: PUSH_MAX_FILES + 1 }, (_, i) => ({
        name: `d/f${i}`,
        size: 1,
        root: ROOT,
      }));
      e = await refusal({ t: "offer", name: "d", files });
      assert.equal(e.code, "BAD_FRAME");
      assert.match(e.message, /at most 1000 files/);
      assert.equal(await ch.recv(10_000).catch(() => null), null, "closed after a bad frame");
    } finally {
      ch.close();
    }
    assert.deepEqual(await listing(home.dir), [], "nothing written");
    assert.ok(
      !target.since(mark).some((l) => /offer|Accepted/.test(l)),
      "no question, no download",
    );
  },
);

/** A peer in this process, joined to the tracker on `trackerPort`. */
async function nodeIn(
  s: Scene,
  trackerPort: number,
  home: PeerSetup,
  timings: Partial<Timings> = {},
): Promise<Node> {
  const node = await Node.start({
    tracker: { host: "127.0.0.1", port: trackerPort },
    dir: home.dir,
    manifest: home.manifest,
    listenHost: "127.0.0.1",
    listenPort: 0,
    log: () => {},
    code: () => Promise.resolve(codeOf(trackerPort)!),
    home: IDENTITY_HOME,
    timings,
  });
  s.defer(() => node.close());
  await node.tracker.start();
  return node;
}

/** A target in this process that takes offers by `accept`, its events kept. */
async function targetIn(
  s: Scene,
  trackerPort: number,
  accept: AcceptPolicy,
  timings: Partial<Timings> = {},
): Promise<{ node: Node; home: PeerSetup; events: PushEvent[]; target: Target }> {
  const home = await s.home();
  const node = await nodeIn(s, trackerPort, home, timings);
  const events: PushEvent[] = [];
  const receiver = PushReceiver.attach(node, new Fetcher(node), {
    accept,
    onEvent: (e) => events.push(e),
  });
  s.defer(() => Promise.resolve(receiver.close()));
  const address = {
    host: "127.0.0.1",
    port: node.server.address.port,
    id: node.trust.creds.fingerprint,
  };
  return {
    node,
    home,
    events,
    target: { name: "target", address, state: "connecting", received: 0, rate: 0 },
  };
}

sceneTest(
  SOURCE,
  "push: no answer in time declines, and a late yes downloads nothing",
  async (s) => {
    const t = await s.tracker();
    const ana = await nodeIn(s, t.port, await s.home({ "a.txt": "from ana" }));
    let dismissed = false;
    // Asked, never answered in time; the question is taken back; its late yes changes nothing.
    const never: AcceptPolicy = (_, signal) =>
      new Promise((resolve) =>
        signal.addEventListener("abort", () => {
          dismissed = true;
          resolve(true);
        })
      );
    const target = await targetIn(s, t.port, never, { pushAnswerMs: 300 });
    const [r] = await guard(
      pushOffer(ana, offerOf(ana.index.list(), "a.txt"), [target.target], {
        signal: new AbortController().signal,
      }),
      "the push",
    );
    assert.equal(r.state, "declined");
    assert.equal(r.note, "No answer in time");
    assert.ok(dismissed, "the question was taken back");
    assert.deepEqual(target.events.map((e) => e.kind === "declined" && e.why), ["timeout"]);
    assert.deepEqual(await listing(target.home.dir), []);
  },
);

sceneTest(
  SOURCE,
  "push: a pusher cannot swap other content in under the name offered",
  async (s) => {
    const t = await s.tracker();
    // Ana shares a.txt, and offers a.txt with another root: the target asks Ana for that root
    // (never for the name), nobody has it, and nothing is written.
    const ana = await nodeIn(s, t.port, await s.home({ "a.txt": "not what was offered" }));
    const target = await targetIn(s, t.port, "always");
    const ch = await open(target.target.address, ana.trust, ana.timings);
    try {
      await ch.send({ t: "offer", name: "a.txt", files: [{ name: "a.txt", size: 5, root: ROOT }] });
      const states = [];
      while (true) {
        const m = await ch.recv(10_000);
        assert.equal(m?.t, "push_status", JSON.stringify(m));
        if (m?.t !== "push_status") break;
        states.push(m.state);
        if (m.state === "failed") assert.equal(m.message, "no source shares it any more");
        if (m.state === "failed" || m.state === "done" || m.state === "declined") break;
      }
      assert.deepEqual(states.filter((x) => x !== "downloading"), ["asked", "accepted", "failed"]);
    } finally {
      ch.close();
    }
    assert.deepEqual(target.events.map((e) => e.kind), ["accepted", "failed"]);
    assert.ok(!(await listing(target.home.dir)).includes("a.txt"), "nothing under the name");
  },
);

Deno.test("push: questions are asked one at a time, and one taken back goes away", async () => {
  // Only what a session's collector touches of a node: its certificate, its listener.
  const creds = await credentials("question-asker");
  const node = { trust: { creds }, server: { extend: () => {} } } as unknown as Node;
  const session = new Session(node, false);
  const said: string[] = [];
  session.say = (line) => said.push(line);
  const [a, b, c] = [new AbortController(), new AbortController(), new AbortController()];
  const qa = session.ask("A?", a.signal);
  const qb = session.ask("B?", b.signal);
  const qc = session.ask("C?", c.signal);
  assert.deepEqual(said, ["A?"], "one question shown; the others wait");
  b.abort(); // A waiting question taken back is never shown.
  assert.equal(await qb, null);
  assert.equal(session.answer("sim"), true);
  assert.equal(await qa, "sim");
  assert.deepEqual(said, ["A?", "C?"], "the next one is shown once the first is answered");
  c.abort();
  assert.equal(await qc, null);
  assert.equal(session.answer("y"), false, "with no question, a line is a command again");
  assert.deepEqual(
    ["y", "Yes", " s ", "SIM", "n", "", "yes please", "no"].map(isYes),
    [true, true, true, true, false, false, false, false],
  );
});
