/**
 * Issue 9, hand-in: drop boxes, receipts, and their checks. Real `serve`, `join` and
 * `verify-receipt` processes on 127.0.0.1 (waiting on the lines they print), hand-built clients
 * for what a hostile member or an outsider sends, and unit tests of receipts.
 */
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import {
  credentials,
  guard,
  run,
  type Scene,
  sceneTest,
  SOURCE,
  TestNetwork,
  WAIT_MS,
} from "../testing/harness.ts";
import { memberChannel, memberOf } from "../testing/raw_client.ts";
import { hostileServer, registerByHand } from "./_hostile.ts";
import { RedeError } from "../core/errors.ts";
import { MAX_HAND_IN_FILES } from "../core/limits.ts";
import {
  boxNameProblem,
  parseReceipt,
  type Receipt,
  receiptProblem,
  signReceipt,
} from "../core/receipt.ts";
import { certDer } from "../storage/identity.ts";
import { decodeMessage, encodeMessage } from "../net/protocol.ts";

const test = (name: string, fn: (s: Scene) => Promise<void>) => sceneTest(SOURCE, name, fn);
const HANDED = /files? handed in to box /;
const ERROR = /^error: /;
const enc = new TextEncoder();

/** Runs the real program with `args` to its end: its status and every line it printed. */

/** The full ID of the peer that shares `dir`, as `rede-p2p id` prints it. */
async function peerId(s: Scene, dir: string): Promise<string> {
  const { lines } = await s.cli(["id", "--dir", dir]);
  return /^Peer ID \(.*\): (\S+)$/.exec(lines.find((l) => l.startsWith("Peer ID")) ?? "")![1];
}

test("hand-in: files arrive intact in <share>/<box>/<sender>/, every version kept, with receipts that verify", async (s) => {
  const t = await s.tracker();
  const profHome = await s.home({});
  const prof = await s.peer(t.port, profHome, ["--name", "prof"]);
  const v1 = enc.encode("primeira versao\n".repeat(5000));
  const v2 = enc.encode("segunda versao, corrigida\n".repeat(3000));
  const anaHome = await s.home({ "trabalho.txt": v1, "notas.txt": "notas\n" });
  const ana = await s.peer(t.port, anaHome, ["--name", "ana"]);
  await s.peer(t.port, await s.home({}), ["--name", "bruno"]);
  const at = `127.0.0.1:${prof.port}`;

  let out = await run(prof, "collect prova1", /^(Box 'prova1' open|error: )/);
  assert.match(out.at(-1)!, /^Box 'prova1' open at 127\.0\.0\.1:\d+: hand-ins land in /);
  out = await run(ana, `hand-in ${at} prova1 trabalho.txt notas.txt`, HANDED, 30_000);
  assert.equal(out.filter((l) => ERROR.test(l)).length, 0, out.join("\n"));
  assert.match(
    out.at(-1)!,
    /^2 of 2 files handed in to box 'prova1' at prof \(127\.0\.0\.1:\d+\)$/,
  );
  const receipt1 = /^Handed in 'trabalho\.txt' .*; receipt (\S+\.json)$/m.exec(out.join("\n"))![1];
  const box = join(profHome.dir, "prova1", "ana");
  assert.deepEqual(await Deno.readFile(join(box, "trabalho.txt")), v1);
  assert.equal(await Deno.readTextFile(join(box, "notas.txt")), "notas\n");

  // A second hand-in of the same name is kept beside the first, never over it.
  await Deno.writeFile(join(anaHome.dir, "trabalho.txt"), v2);
  out = await run(ana, `hand-in ${at} prova1 trabalho.txt`, HANDED, 30_000);
  assert.match(out.at(-1)!, /^1 of 1 file handed in/, out.join("\n"));
  const receipt2 = /; receipt (\S+\.json)$/m.exec(out.join("\n"))![1];
  assert.deepEqual(await Deno.readFile(join(box, "trabalho.txt")), v1);
  assert.deepEqual(await Deno.readFile(join(box, "trabalho (1).txt")), v2);

  // The collector's table, and who has not handed in yet among the peers present.
  out = await run(prof, "collect prova1", /^Box 'prova1' \((open|closed)\)/);
  const shown = out.join("\n");
  assert.match(
    shown,
    /│ ana +│ trabalho\.txt +│ 78\.1 KiB +│ [0-9a-f]{12} │ \d\d\/\d\d\/\d{4}, \d\d:\d\d:\d\d/,
  );
  assert.match(shown, /│ ana +│ trabalho \(1\)\.txt +│/);
  assert.match(shown, /│ ana +│ notas\.txt +│ 6 B +│/);
  assert.match(shown, /^Not handed in yet \(1\): bruno$/m);
  assert.match(out.at(-1)!, /^Box 'prova1' \(open\): 3 files from 1 sender$/);

  // Hand-ins are not shared: the collector still shares nothing, its manifest is untouched.
  out = await run(ana, `ls ${at}`, /^(\d+ files?|error: )/);
  assert.match(out.at(-1)!, /^0 files, 0 B at /);
  assert.equal(await Deno.readTextFile(profHome.manifest), "\n");

  // The real CLI accepts both receipts, offline, with the collector's ID full or short.
  const profId = await peerId(s, profHome.dir);
  for (const [file, id] of [[receipt1, profId], [receipt2, profId.slice(0, 14)]]) {
    const ok = await s.cli(["verify-receipt", file, "--collector", id]);
    assert.equal(ok.code, 0, ok.lines.join("\n"));
    assert.equal(ok.lines.at(-1), "valid");
    assert.ok(ok.lines.includes("File:       trabalho.txt"), ok.lines.join("\n"));
    assert.ok(ok.lines.includes(`Collector:  ${profId}`), ok.lines.join("\n"));
  }
  const r1 = JSON.parse(await Deno.readTextFile(receipt1)) as Receipt;
  assert.equal(r1.sender_name, "ana");
  assert.equal(r1.box, "prova1");
  assert.equal(r1.size, v1.length);
  assert.match(r1.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  // Another collector expected: one line, exit 1.
  const anaId = await peerId(s, anaHome.dir);
  const other = await s.cli(["verify-receipt", receipt1, "--collector", anaId]);
  assert.equal(other.code, 1);
  assert.equal(other.lines.length, 1, other.lines.join("\n"));
  assert.match(other.lines[0], /^error: Receipt '.*' was signed by the collector \S+, not /);

  // A tampered receipt (its size, its name) or a damaged one: one line, exit 1.
  const dir = (await s.home({})).home;
  const cases: [string, string, RegExp][] = [
    ["size", JSON.stringify({ ...r1, size: r1.size + 1 }), /is not valid: its signature/],
    ["name", JSON.stringify({ ...r1, name: "outro.txt" }), /is not valid: its signature/],
    ["grade", JSON.stringify({ ...r1, grade: "A" }), /a field no receipt has, 'grade'/],
    ["cut", JSON.stringify(r1).slice(0, 200), /not a rede-p2p receipt: not JSON/],
  ];
  for (const [what, text, re] of cases) {
    const path = join(dir, `${what}.json`);
    await Deno.writeTextFile(path, text);
    const bad = await s.cli(["verify-receipt", path]);
    assert.equal(bad.code, 1, `${what}: ${bad.lines.join("\n")}`);
    assert.equal(bad.lines.length, 1, `${what}: ${bad.lines.join("\n")}`);
    assert.match(bad.lines[0], /^error: Receipt '/);
    assert.match(bad.lines[0], re, what);
  }
  // Usage mistakes: exit 2.
  assert.equal((await s.cli(["verify-receipt"])).code, 2);
  assert.equal((await s.cli(["verify-receipt", receipt1, "--collector", "x"])).code, 2);

  // The sender lists its receipts.
  out = await run(ana, "receipts", /^\d+ receipts? in /);
  for (const file of [receipt1, receipt2]) assert.match(out.join("\n"), new RegExp(basename(file)));
  assert.match(out.join("\n"), /│ prova1 +│ trabalho\.txt +│ .*│ valid +│/);
});

test("hand-in: a closed or unknown box, a file not shared, an outsider and a hostile member are refused", async (s) => {
  const t = await s.tracker();
  const profHome = await s.home({});
  const prof = await s.peer(t.port, profHome, ["--name", "prof"]);
  const anaHome = await s.home({ "a.txt": "alpha\n" });
  await Deno.mkdir(join(anaHome.dir, "fotos"));
  await Deno.writeTextFile(join(anaHome.dir, "fotos", "x.txt"), "foto\n");
  await Deno.writeTextFile(anaHome.manifest, "fotos share/fotos\n", { append: true });
  const ana = await s.peer(t.port, anaHome, ["--name", "ana"]);
  const at = `127.0.0.1:${prof.port}`;
  await run(prof, "collect prova2", /^Box 'prova2' open/);

  // One clear line each, and nothing else.
  const refused = async (line: string, re: RegExp) => {
    const out = await run(ana, line, ERROR, 30_000);
    assert.deepEqual(out.length, 1, out.join("\n"));
    assert.match(out[0], re);
  };
  await refused(`hand-in ${at} nada a.txt`, /^error: No box named 'nada' at this peer$/);
  await refused(`hand-in ${at} prova2 b.txt`, /^error: 'b\.txt' is not a file this peer shares/);
  await refused(`hand-in ${at} ../x a.txt`, /^error: Invalid box name '\.\.\/x'/);

  // An outsider (no membership of this network) is refused before any request.
  const strangers = await TestNetwork.make("another-tracker");
  await assert.rejects(memberChannel(prof.port, await strangers.trust("outsider")), /Not a member/);
  // A member the tracker does not list, and malformed hand-ins: refused.
  const member = await memberOf(t.port, "unlisted-member");
  const file = { name: "x.txt", size: 1, root: "0".repeat(64) };
  const asks: [unknown, RegExp][] = [
    [{ t: "hand_in", box: "prova2", files: [file] }, /The tracker does not list you/],
    [{ t: "hand_in", box: "a/b", files: [file] }, /invalid box name/],
    [{ t: "hand_in", box: "prova2", files: [] }, /malformed 'hand_in'/],
    [
      { t: "hand_in", box: "prova2", files: Array(MAX_HAND_IN_FILES + 1).fill(file) },
      /malformed 'hand_in'/,
    ],
    [{ t: "hand_in", box: "prova2", files: [file, file] }, /named twice/],
  ];
  for (const [m, re] of asks) {
    const ch = await memberChannel(prof.port, member);
    try {
      await ch.writeRaw(frame(m)); // Sent as it is, checked by nothing on this side.
      const reply = await ch.recv(WAIT_MS);
      assert.equal(reply?.t, "error", JSON.stringify(reply));
      assert.match(reply.t === "error" ? reply.message : "", re);
    } finally {
      ch.close();
    }
  }

  // A listed member whose listener holds the collector's connections and never answers: its
  // third hand-in at once is refused, and others still hand in meanwhile.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let twoHeld!: () => void;
  const two = new Promise<void>((r) => (twoHeld = r));
  let held = 0;
  const evePort = await hostileServer(s, async (ch) => {
    if (++held === 2) twoHeld();
    await released;
    ch.close();
  }, "eve");
  s.defer(() => Promise.resolve(release()));
  const eve = await registerByHand(s, t.port, "eve", { port: evePort, name: "eve", files: [] });
  const stuck = [await memberChannel(prof.port, eve), await memberChannel(prof.port, eve)];
  for (const ch of stuck) await ch.send({ t: "hand_in", box: "prova2", files: [file] });
  await guard(two, "the collector fetching both of eve's hand-ins");
  const third = await memberChannel(prof.port, eve);
  await third.send({ t: "hand_in", box: "prova2", files: [file] });
  const busy = await third.recv(WAIT_MS);
  assert.equal(busy?.t === "error" && busy.code, "BUSY", JSON.stringify(busy));
  assert.match(JSON.stringify(busy), /You have 2 hand-ins under way here already/);
  third.close();
  let out = await run(ana, `hand-in ${at} prova2 a.txt`, HANDED, 30_000);
  assert.match(out.at(-1)!, /^1 of 1 file handed in/, out.join("\n"));
  stuck.forEach((ch) => ch.close());
  // A listed member with nothing listening where it said: that file is not received.
  const dead = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const deadPort = dead.addr.port;
  dead.close();
  const zoe = await registerByHand(s, t.port, "zoe", { port: deadPort, name: "zoe", files: [] });
  const ch = await memberChannel(prof.port, zoe);
  try {
    await ch.send({ t: "hand_in", box: "prova2", files: [file] });
    const reply = await ch.recv(WAIT_MS);
    assert.equal(reply?.t, "not_received", JSON.stringify(reply));
    assert.match(JSON.stringify(reply), /"name":"x\.txt".*Could not fetch it from you/);
    assert.equal(await ch.recv(WAIT_MS), null, "the collector ends a hand-in's connection");
  } finally {
    ch.close();
  }
  // The sender sees one line per file: its receipt, or why it was not received.
  await Deno.writeTextFile(join(profHome.dir, "prova2", "ana", "fotos"), "in the way\n");
  out = await run(ana, `hand-in ${at} prova2 fotos a.txt`, HANDED, 30_000);
  assert.match(out.join("\n"), /^error: 'fotos\/x\.txt' not received: The collector could not/m);
  assert.match(out.join("\n"), /^Handed in 'a\.txt' /m);
  assert.match(out.at(-1)!, /^1 of 2 files handed in to box 'prova2'/);

  // Closed: refused with one line.
  await run(prof, "collect --close prova2", /^Box 'prova2' closed/);
  await refused(`hand-in ${at} prova2 a.txt`, /^error: Box 'prova2' is closed$/);
  out = await run(prof, "collect", /^Box 'prova2' \(closed\)/);
  assert.match(out.at(-1)!, /^Box 'prova2' \(closed\): 2 files from 1 sender$/);
  assert.match(out.join("\n"), /^Not handed in yet \(2\): (eve and zoe|zoe and eve)$/m);
  const arrived = await Array.fromAsync(Deno.readDir(join(profHome.dir, "prova2")));
  assert.deepEqual(arrived.map((e) => e.name), ["ana"]);
});

/** A frame holding `m` as JSON, whatever it holds. */
function frame(m: unknown): Uint8Array {
  const payload = enc.encode(JSON.stringify(m));
  const out = new Uint8Array(6 + payload.length);
  out.set([0x52, 0x50]);
  new DataView(out.buffer).setUint32(2, payload.length);
  out.set(payload, 6);
  return out;
}

Deno.test("receipt: what a collector signs verifies, and a change to any field does not", async () => {
  const collector = await credentials("receipt-collector");
  const key = { keyPem: collector.keyPem, certDer: certDer(collector.certPem) };
  const claims = {
    box: "prova1",
    sender_id: "a".repeat(64),
    sender_name: "ana",
    name: "fotos/trabalho.pdf",
    size: 1234,
    root: "b".repeat(64),
    time: "2026-11-24T10:02:11.123Z",
  };
  const r = signReceipt(claims, key);
  assert.equal(r.collector_id, collector.fingerprint);
  assert.equal(receiptProblem(r), undefined);
  assert.deepEqual(parseReceipt(JSON.stringify(r)), r);
  // It travels as a message and back unchanged.
  assert.deepEqual(decodeMessage(encodeMessage({ t: "receipt", ...r })), { t: "receipt", ...r });
  const changed: Partial<Receipt>[] = [
    { box: "prova2" },
    { sender_id: "c".repeat(64) },
    { sender_name: "bruno" },
    { name: "fotos/outro.pdf" },
    { size: 1235 },
    { root: "d".repeat(64) },
    { time: "2026-11-24T10:02:12.123Z" },
  ];
  for (const c of changed) {
    assert.match(
      receiptProblem({ ...r, ...c }) ?? "",
      /signature does not match/,
      Object.keys(c)[0],
    );
  }
  // Another identity's certificate: either not the collector named, or not its signature.
  const other = await credentials("receipt-other");
  const otherCert = certDer(other.certPem).toString("base64");
  assert.match(receiptProblem({ ...r, collector_cert: otherCert }) ?? "", /not the one of the/);
  assert.match(
    receiptProblem({ ...r, collector_cert: otherCert, collector_id: other.fingerprint }) ?? "",
    /signature does not match/,
  );
  const forged = signReceipt(claims, { keyPem: other.keyPem, certDer: key.certDer });
  assert.match(receiptProblem(forged) ?? "", /signature does not match/);
  assert.match(receiptProblem({ ...r, sig: "AAAAAAAA" }) ?? "", /signature does not match/);
  // Malformed files: one line each, saying what is wrong.
  const cases: [string, RegExp][] = [
    ["{", /not JSON/],
    ["[1]", /not a JSON object/],
    [JSON.stringify({ ...r, size: "1234" }), /field 'size'/],
    [JSON.stringify({ ...r, v: 2 }), /field 'v'/],
    [JSON.stringify({ ...r, time: "yesterday" }), /field 'time'/],
    [JSON.stringify({ ...r, sender_name: "ana\u001b[2J" }), /field 'sender_name'/],
    [JSON.stringify({ ...r, name: "../x" }), /field 'name'/],
    [JSON.stringify({ ...r, pad: "x".repeat(20_000) }), /larger than/],
  ];
  for (const [text, re] of cases) {
    assert.throws(
      () => parseReceipt(text),
      (e) => e instanceof RedeError && re.test(e.message) && !e.message.includes("\n"),
      text.slice(0, 40),
    );
  }
});

Deno.test("receipt: a box name is one part of a shared name, and short", () => {
  assert.equal(boxNameProblem("prova1"), undefined);
  assert.equal(boxNameProblem("Trabalho final 2026"), undefined);
  for (const bad of ["", "a/b", "..", ".x", "a\u202eb", "con", "x".repeat(65), "a:b"]) {
    assert.notEqual(boxNameProblem(bad), undefined, bad);
  }
});
