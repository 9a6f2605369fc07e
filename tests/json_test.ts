/**
 * Issue 11, `--json`: one document on standard output with the fields docs/JSON.md gives, raw
 * values (bytes as numbers, whole roots and IDs), failures as `{"error": {code, message}}` on
 * standard error, and nothing else on either stream when they are not terminals. Real processes
 * on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { jsonText } from "../commands/_json.ts";
import { run, type Scene, sceneTest, SOURCE } from "../testing/harness.ts";
import { oneShot, type Ran, runOnce } from "./_oneshot.ts";

const test = (name: string, fn: (s: Scene) => Promise<void>) => sceneTest(SOURCE, name, fn);
const HEX64 = /^[0-9a-f]{64}$/;

/** The one document a run printed: the whole of standard output, and nothing on standard error. */
// deno-lint-ignore no-explicit-any
function doc(r: Ran): any {
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "", "nothing but the document when no stream is a terminal");
  assert.ok(!r.stdout.includes("\x1b"), "no escape sequence");
  return JSON.parse(r.stdout);
}

/** The error document of a failed run: standard output empty, one document on standard error. */
function errorOf(r: Ran, status: number): { code: string; message: string } {
  assert.equal(r.code, status, r.stderr);
  assert.equal(r.stdout, "");
  const e = JSON.parse(r.stderr);
  assert.deepEqual(Object.keys(e), ["error"]);
  assert.deepEqual(Object.keys(e.error).sort(), ["code", "message"]);
  return e.error;
}

test("peers, find, ls --json: the documented fields, raw values", async (s) => {
  const t = await s.tracker();
  const anaHome = await s.home({ "a.txt": "alpha\n", "b.txt": "beta beta\n" });
  await s.peer(t.port, anaHome, ["--name", "ana"]);
  const anaId = doc(await runOnce(SOURCE, ["id", "--json", "--dir", anaHome.dir])).peer.id;
  assert.match(anaId, HEX64);

  const peers = doc(await oneShot(s, t.port, ["peers", "--json"]));
  assert.equal(peers.total, 1);
  assert.equal(peers.peers.length, 1);
  const [p] = peers.peers;
  assert.deepEqual(
    { row: p.row, ip: p.ip, name: p.name, files: p.files, id: p.id, self: p.self },
    { row: 1, ip: "127.0.0.1", name: "ana", files: 2, id: anaId, self: false },
  );
  assert.equal(typeof p.port, "number");

  const found = doc(await oneShot(s, t.port, ["find", "txt", "--json"]));
  assert.equal(found.text, "txt");
  assert.deepEqual(found.files.map((f: { name: string }) => f.name).sort(), ["a.txt", "b.txt"]);
  const a = found.files.find((f: { name: string }) => f.name === "a.txt");
  assert.equal(a.size, 6);
  assert.match(a.root, HEX64);
  assert.deepEqual(a.peers, [{ ip: "127.0.0.1", port: p.port, id: anaId }]);

  const ls = doc(await oneShot(s, t.port, ["ls", "ana", "--json"]));
  assert.deepEqual(ls.peer, { ip: "127.0.0.1", port: p.port, id: anaId, name: "ana" });
  assert.equal(ls.count, 2);
  assert.equal(ls.size, 16);
  assert.deepEqual(ls.files.find((f: { name: string }) => f.name === "a.txt"), {
    name: "a.txt",
    size: 6,
    root: a.root,
  });
});

test("get --json: each file saved, skipped or failed, with its bytes and sources", async (s) => {
  const t = await s.tracker();
  const data = new TextEncoder().encode("x".repeat(100_000));
  await s.peer(t.port, await s.home({ "d.bin": data }), ["--name", "ana"]);
  const here = await s.home();
  const args = ["get", "d.bin", "--json", "--dir", here.dir, "--manifest", here.manifest];
  const got = doc(await oneShot(s, t.port, args));
  assert.equal(got.dir, here.dir);
  assert.equal(got.files.length, 1);
  const [f] = got.files;
  assert.equal(f.status, "saved");
  assert.equal(f.name, "d.bin");
  assert.equal(f.saved_as, "d.bin");
  assert.equal(f.size, 100_000);
  assert.match(f.root, HEX64);
  assert.equal(f.resumed, 0);
  assert.equal(typeof f.ms, "number");
  assert.deepEqual(f.sources.map((x: { bytes: number }) => x.bytes), [100_000]);
  assert.match(f.sources[0].source, /^ana \(127\.0\.0\.1:\d+\)$/);
  assert.deepEqual(await Deno.readFile(join(here.dir, "d.bin")), data);

  const again = doc(await oneShot(s, t.port, args));
  assert.deepEqual(again.files, [{
    name: "d.bin",
    status: "skipped",
    root: f.root,
    here: "d.bin",
  }]);

  const missing = errorOf(
    await oneShot(s, t.port, ["get", "nope.txt", "--json", "--dir", here.dir]),
    1,
  );
  assert.equal(missing.code, "NOT_FOUND");
  assert.equal(missing.message, "No file or folder named 'nope.txt' on the network");
});

test("errors as one JSON document on stderr: USAGE (exit 2), the RedeError's code (exit 1), in the user's language", async () => {
  let e = errorOf(await runOnce(SOURCE, ["peers", "--json", "--no-discovery"]), 2);
  assert.deepEqual(e, {
    code: "USAGE",
    message: "No tracker given, and --no-discovery: name it with --tracker HOST[:PORT]",
  });
  e = errorOf(await runOnce(SOURCE, ["find", "--json", "--tracker", "127.0.0.1:9"]), 2);
  assert.deepEqual(e, { code: "USAGE", message: "Missing argument <text>" });
  e = errorOf(await runOnce(SOURCE, ["ls", "x", "--json", "--bogus"]), 2);
  assert.equal(e.code, "USAGE");

  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const gone = (closed.addr as Deno.NetAddr).port;
  closed.close();
  const where = ["--tracker", `127.0.0.1:${gone}`];
  e = errorOf(await runOnce(SOURCE, ["peers", "--json", ...where]), 1);
  assert.deepEqual(e, {
    code: "UNREACHABLE",
    message: `Cannot reach tracker at 127.0.0.1:${gone}: connection refused`,
  });
  const pt = errorOf(await runOnce(SOURCE, ["peers", "--json", ...where], { lang: "pt" }), 1);
  assert.equal(pt.code, "UNREACHABLE");
  assert.notEqual(pt.message, e.message);

  e = errorOf(await runOnce(SOURCE, ["verify-receipt", "/nonexistent/r.json", "--json"]), 1);
  assert.equal(e.code, "BAD_INPUT");
});

test("push, hand-in, verify-receipt, receipts --json: targets, receipts, and the receipt checked", async (s) => {
  const t = await s.tracker();
  await s.peer(t.port, await s.home(), ["--name", "bia", "--accept-push"]);
  const prof = await s.peer(t.port, await s.home(), ["--name", "prof"]);
  await run(prof, "collect prova1", /^Box 'prova1' open/);
  const mine = await s.home({ "p.txt": "para todos\n", "t.txt": "minha prova\n" });
  const share = ["--name", "ana", "--dir", mine.dir, "--manifest", mine.manifest];

  const pushed = doc(await oneShot(s, t.port, ["push", "p.txt", "bia", "--json", ...share]));
  assert.deepEqual(
    { name: pushed.name, folder: pushed.folder, files: pushed.files, size: pushed.size },
    { name: "p.txt", folder: false, files: 1, size: 11 },
  );
  assert.equal(pushed.peers.length, 1);
  assert.equal(pushed.peers[0].name, "bia");
  assert.equal(pushed.peers[0].state, "done");
  assert.equal(pushed.peers[0].received, 11);
  assert.match(pushed.peers[0].id, HEX64);

  const handed = doc(
    await oneShot(s, t.port, ["hand-in", "prof", "prova1", "t.txt", "--json", ...share]),
  );
  assert.equal(handed.box, "prova1");
  assert.equal(handed.peer.name, "prof");
  assert.equal(handed.received, 1);
  assert.equal(handed.count, 1);
  const [r] = handed.files;
  assert.deepEqual({ name: r.name, status: r.status, size: r.size }, {
    name: "t.txt",
    status: "received",
    size: 12,
  });

  const checked = doc(
    await runOnce(SOURCE, ["verify-receipt", r.receipt, "--collector", handed.peer.id, "--json"]),
  );
  assert.equal(checked.valid, true);
  assert.equal(checked.receipt.root, r.root);
  assert.equal(checked.receipt.collector_id, handed.peer.id);
  assert.equal(checked.receipt.sender_name, "ana");

  const listed = doc(await runOnce(SOURCE, ["receipts", "--json"]));
  const mineListed = listed.receipts.find((x: { file: string }) => x.file === r.receipt);
  assert.equal(mineListed?.valid, true);
});

Deno.test("jsonText: names kept whole, and no character a terminal acts on left raw", () => {
  const name = "a\u001b[31mb\u009bc\u007fd\u202ee\u2028f\u00e9g";
  const text = jsonText({ name });
  assert.equal(JSON.parse(text).name, name);
  // deno-lint-ignore no-control-regex -- the characters the test looks for
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2028]/);
  assert.match(text, /\\u001b\[31mb\\u009bc\\u007fd\\u202ee\\u2028f\u00e9g/);
});
