/**
 * Issue 11, one-shot verbs: `rede-p2p peers|ls|find|get|push|hand-in --tracker HOST` run the
 * shell's code once and exit 0, 1 or 2. Real `serve` and `join` processes on 127.0.0.1, the
 * one-shot runs as processes of their own; every wait is on a printed line or a process's end.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pattern } from "../core/i18n.ts";
import { Proc, run, type Scene, sceneTest, SOURCE } from "../testing/harness.ts";
import { at, cells, oneShot, prose, runOnce } from "./_oneshot.ts";
import { freeUdpPort } from "../testing/ports.ts";

const test = (name: string, fn: (s: Scene) => Promise<void>) => sceneTest(SOURCE, name, fn);
const enc = new TextEncoder();

/** The lines of the tracker's log that say a peer joined. */
function joins(tracker: Proc): string[] {
  return tracker.lines.filter((l) => / join {2}127\.0\.0\.1:/.test(l));
}

test("one-shot peers, find and ls print the shell's tables and lines, exit 0, and are never listed", async (s) => {
  const t = await s.tracker();
  await s.peer(t.port, await s.home({ "a.txt": "alpha\n", "b.txt": "beta beta\n" }), [
    "--name",
    "ana",
  ]);
  const bruno = await s.peer(t.port, await s.home({ "c.txt": "gamma\n" }), ["--name", "bruno"]);
  const listed = joins(t).length;

  for (const verb of [["peers"], ["find", "txt"], ["ls", "ana"]]) {
    const shell = await run(bruno, verb.join(" "), /connected|match|files?, /);
    const once = await oneShot(s, t.port, verb);
    assert.equal(once.code, 0, once.stderr);
    assert.ok(cells(shell).length > 2, shell.join("\n"));
    assert.deepEqual(cells(once.out), cells(shell), verb.join(" "));
    // The same lines, but for the shell's "* marks you": a one-shot run marks no row.
    const lines = prose(shell).map((l) => l.replace("; * marks you", ""));
    assert.deepEqual(prose(once.out), lines, verb.join(" "));
    if (verb[0] === "peers") assert.deepEqual(prose(once.out), ["2 peers connected"]);
  }
  // Admission alone: the tracker logged no join, and lists the two peers it had.
  assert.equal(joins(t).length, listed);
  const peers = await oneShot(s, t.port, ["peers", "--json"]);
  const names = JSON.parse(peers.stdout).peers.map((p: { name: string }) => p.name);
  assert.deepEqual(names.sort(), ["ana", "bruno"]);
});

test("one-shot without --tracker finds the tracker on the LAN, as join does", async (s) => {
  const port = await freeUdpPort();
  const t = await s.tracker(0, ["--discovery-port", String(port), "--network", "sala-3"]);
  await t.waitFor(pattern("discover.announcing", "en", { params: { network: "sala-3", port } }));
  await s.peer(t.port, await s.home({ "a.txt": "alpha\n" }), ["--name", "ana"]);
  // Asked on loopback only (--discovery-via), on this test's own discovery port.
  const where = ["--discovery-port", String(port), "--discovery-via", "127.0.0.1"];
  const r = await runOnce(SOURCE, ["find", "a", ...where, "--code", t.code!]);
  assert.equal(r.code, 0, r.stderr);
  const found = pattern("discover.found", "en", { params: { network: "sala-3" } });
  assert.ok(r.err.some((l) => found.test(l)), r.stderr);
  assert.ok(r.err.some((l) => l.includes(`127.0.0.1:${t.port}`)), r.stderr);
  assert.ok(cells(r.out).some((row) => row.includes("a.txt")), r.stdout);
  // --json: the result alone on stdout, whichever way the tracker was found.
  const j = await runOnce(SOURCE, ["peers", "--json", ...where, "--code", t.code!]);
  assert.equal(j.code, 0, j.stderr);
  assert.deepEqual(JSON.parse(j.stdout).peers.map((p: { name: string }) => p.name), ["ana"]);
  const bad = await runOnce(SOURCE, ["peers", "--discovery-via", "eth0", "--code", t.code!]);
  assert.equal(bad.code, 2, bad.stderr);
});

test("an address and --network together are one usage error, for join and the one-shot verbs", async () => {
  for (
    const args of [
      ["peers", "--tracker", "127.0.0.1:9", "--network", "sala-1"],
      ["join", "127.0.0.1:9", "--network", "sala-1"],
      ["doctor", "--tracker", "127.0.0.1:9", "--network", "sala-1"],
    ]
  ) {
    const r = await runOnce(SOURCE, args);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.err.length, 1, r.stderr);
    assert.match(r.err[0], /^error: Give the tracker's address or --network NAME, not both/);
  }
});

test("one-shot exit status: 2 for a usage mistake, 1 for a failure, each one error line", async (s) => {
  const t = await s.tracker();
  await s.peer(t.port, await s.home({ "a.txt": "alpha\n" }), ["--name", "ana"]);

  // No address and discovery off (with it on, the tracker is looked for: tests/discovery_test.ts).
  let r = await runOnce(SOURCE, ["peers", "--no-discovery"]);
  assert.equal(r.code, 2);
  assert.deepEqual(r.out, []);
  assert.match(
    r.err.join("\n"),
    /^error: No tracker given, and --no-discovery: name it with --tracker HOST\[:PORT\]/,
  );
  assert.equal(r.err.length, 1);

  r = await oneShot(s, t.port, ["ls"]);
  assert.equal(r.code, 2);
  assert.match(r.err[0], /^error: Missing argument <peer> \(usage: ls <peer> \[port\] \[options\]/);

  r = await oneShot(s, t.port, ["find", "x", "--nope"]);
  assert.equal(r.code, 2);
  r = await runOnce(SOURCE, ["peers", "--tracker", "127.0.0.1:99999"]);
  assert.equal(r.code, 2, r.stderr);

  r = await oneShot(s, t.port, ["ls", "nobody"]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.err, ["error: No peer named 'nobody' is on the network; see 'peers'"]);

  r = await oneShot(s, t.port, ["get", "missing.txt"], (await s.home()).home);
  assert.equal(r.code, 1);
  assert.match(r.err.at(-1)!, /^error: No file or folder named 'missing\.txt' on the network/);

  // A tracker that is not there: one line, at once (no retrying in the background).
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const gone = (closed.addr as Deno.NetAddr).port;
  closed.close();
  r = await runOnce(SOURCE, ["peers", "--tracker", `127.0.0.1:${gone}`]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.err, [`error: Cannot reach tracker at 127.0.0.1:${gone}: connection refused`]);

  // No code with nothing to ask it on (no terminal), and a wrong code.
  r = await runOnce(SOURCE, ["peers", "--tracker", `127.0.0.1:${t.port}`]);
  assert.equal(r.code, 1);
  assert.match(r.err[0], /^error: .*--code/);
  r = await runOnce(SOURCE, ["peers", "--tracker", `127.0.0.1:${t.port}`, "--code", "0000-0000"]);
  assert.equal(r.code, 1);
  assert.match(r.err[0], /^error: Wrong join code for the network at 127\.0\.0\.1:\d+/);
});

test("one-shot get: lands in --dir byte-identical, in its manifest, and the run is never listed", async (s) => {
  const t = await s.tracker();
  const data = enc.encode("conteudo da aula\n".repeat(70_000)); // Two chunks and a bit.
  const ana = await s.peer(t.port, await s.home({ "aula.txt": data }), ["--name", "ana"]);
  const here = await s.home();
  const r = await oneShot(s, t.port, [
    "get",
    "aula.txt",
    "--dir",
    here.dir,
    "--manifest",
    here.manifest,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.out.join("\n"), /^Saved 'aula\.txt' \(1\.\d+ MiB\) from ana \(127\.0\.0\.1:\d+\)/);
  assert.deepEqual(await Deno.readFile(join(here.dir, "aula.txt")), data);
  assert.match(await Deno.readTextFile(here.manifest), /^aula\.txt .*aula\.txt$/m);
  // Admitted, never registered: no join in the tracker's log, not among its peers.
  assert.equal(joins(t).length, 1);
  const peers = await run(ana, "peers", /connected/);
  assert.equal(cells(peers).length, 2, peers.join("\n")); // The header and ana.

  // The default folder of the current one is made, as `join` makes it.
  const cwd = (await s.home()).home;
  const again = await oneShot(s, t.port, ["get", "--from", "ana", "aula.txt"], cwd);
  assert.equal(again.code, 0, again.stderr);
  const landed = join(cwd, "arquivos_compartilhaveis", "aula.txt");
  assert.deepEqual(await Deno.readFile(landed), data);
});

test("one-shot get --seed: listed while it serves, gone after SIGTERM, exit 0", async (s) => {
  const t = await s.tracker();
  await s.peer(t.port, await s.home({ "a.txt": "alpha\n" }), ["--name", "ana"]);
  const here = await s.home();
  const seed = s.track(
    new Proc(SOURCE, [
      "get",
      "a.txt",
      "--seed",
      "--name",
      "semente",
      "--dir",
      here.dir,
      ...at(t.port),
    ], {
      cwd: here.home,
    }),
  );
  await seed.waitFor(/^Seeding as "semente" at 127\.0\.0\.1:\d+/);
  const listed = JSON.parse((await oneShot(s, t.port, ["peers", "--json"])).stdout);
  const me = listed.peers.find((p: { name: string }) => p.name === "semente");
  assert.equal(me?.files, 1);
  seed.kill("SIGTERM");
  assert.equal((await seed.done).code, 0);
  await t.waitFor(/leave 127\.0\.0\.1:\d+ "semente" \(quit\)/);
  const after = JSON.parse((await oneShot(s, t.port, ["peers", "--json"])).stdout);
  assert.deepEqual(after.peers.map((p: { name: string }) => p.name), ["ana"]);
});

test("one-shot push and hand-in: registered while they run, same summary lines, then gone", async (s) => {
  const t = await s.tracker();
  const bia = await s.peer(t.port, await s.home(), ["--name", "bia", "--accept-push"]);
  const profHome = await s.home();
  const prof = await s.peer(t.port, profHome, ["--name", "prof"]);
  await run(prof, "collect prova1", /^Box 'prova1' open/);
  const mine = await s.home({ "p.txt": "para todos\n", "trabalho.txt": "minha prova\n" });

  const pushed = await oneShot(
    s,
    t.port,
    ["push", "p.txt", "bia", "--name", "ana", "--dir", mine.dir, "--manifest", mine.manifest],
    mine.home,
  );
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(pushed.out.at(-1)!, /^Pushed 'p\.txt' \(11 B\) to 1 peer: 1 got it intact/);
  await bia.waitFor(/^Received 'p\.txt' \(11 B\) pushed by ana/);

  const handed = await oneShot(
    s,
    t.port,
    ["hand-in", "prof", "prova1", "trabalho.txt", "--name", "ana", "--dir", mine.dir],
    mine.home,
  );
  assert.equal(handed.code, 0, handed.stderr);
  assert.match(handed.out.at(-1)!, /^1 of 1 file handed in to box 'prova1' at prof/);
  assert.equal(
    await Deno.readTextFile(join(profHome.dir, "prova1", "ana", "trabalho.txt")),
    "minha prova\n",
  );
  // Each left the tracker cleanly when done.
  await t.waitFor(/leave 127\.0\.0\.1:\d+ "ana" \(quit\)/);
  const after = JSON.parse((await oneShot(s, t.port, ["peers", "--json"])).stdout);
  assert.deepEqual(after.peers.map((p: { name: string }) => p.name).sort(), ["bia", "prof"]);
});

sceneTest(
  SOURCE,
  "one-shot in Portuguese: the same tables and lines as the shell, errors too",
  async (s) => {
    const t = await s.tracker();
    const ana = await s.peer(t.port, await s.home({ "a.txt": "alpha\n" }), ["--name", "ana"]);
    const shell = await run(ana, "find a", pattern("find.summary", "pt"));
    const once = await oneShot(s, t.port, ["find", "a"]);
    assert.equal(once.code, 0, once.stderr);
    assert.deepEqual(once.out, shell.filter((l) => l !== ""));
    const r = await runOnce(SOURCE, ["peers", "--no-discovery"], { lang: "pt" });
    assert.equal(r.code, 2);
    assert.match(
      r.err[0],
      /^erro: Nenhum rastreador dado, e --no-discovery: indique-o com --tracker/,
    );
    const help = await runOnce(SOURCE, ["help", "collect"], { lang: "pt" });
    assert.match(help.out[0], /^'collect' é um verbo do prompt de 'rede-p2p join'\./);
  },
  "pt",
);

test("help <verb> works for every verb in both scopes, saying where a verb of the other is used", async (s) => {
  const cli = await runOnce(SOURCE, ["help", "get"]);
  assert.equal(cli.code, 0);
  assert.match(cli.out[0], /^Usage: rede-p2p get <file>\.\.\. \[options\]$/);
  assert.ok(cli.out.some((l) => l.startsWith("  --tracker HOST[:PORT]")));
  const shellOnly = await runOnce(SOURCE, ["help", "uploads"]);
  assert.equal(shellOnly.code, 0);
  assert.equal(shellOnly.out[0], "'uploads' is a verb of the prompt of 'rede-p2p join'.");
  assert.match(shellOnly.out[1], /^Usage: uploads/);
  // At the prompt: a command-line verb is shown with its usage there; shell options only.
  const t = await s.tracker();
  const p = await s.peer(t.port, await s.home());
  const serve = await run(p, "help serve", /^Examples:/);
  assert.equal(serve[0], "'serve' is a verb of the command line: 'rede-p2p serve'.");
  assert.match(serve.join("\n"), /Usage: rede-p2p serve/);
  const get = await run(p, "help get", /^Examples:/);
  assert.match(get[0], /^Usage: get <file>\.\.\. \[options\]$/);
  assert.ok(!get.some((l) => l.includes("--tracker")), get.join("\n"));
});
