/**
 * `rede-p2p doctor` (issue 11): against a reachable tracker every network check passes (the
 * tracker admits, connects back to the port this machine listens on, and its clock agrees);
 * against an unreachable one the tracker check fails with its fix and exit status 1; a wrong
 * join code and a private network without a code each say what to do; discovery on loopback
 * finds the tracker by itself; `--json` gives the same checks as data; the local checks read the
 * share, the disk, the identity and the firewall rule of each system. Real processes on
 * 127.0.0.1; discovery on a UDP port of the test's own, asked on loopback only.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pattern } from "../core/i18n.ts";
import { type Scene, sceneTest, SOURCE } from "../testing/harness.ts";
import { checkDisk, checkShare, firewallAdvice, LOW_DISK_BYTES } from "../app/doctor.ts";
import { runOnce } from "./_oneshot.ts";
import { closedPort, freeUdpPort } from "../testing/ports.ts";

const test = (name: string, fn: (s: Scene) => Promise<void>) => sceneTest(SOURCE, name, fn);

/** The verdict of each check of a `--json` report, by id. */
function verdicts(stdout: string): Record<string, string> {
  const doc = JSON.parse(stdout);
  return Object.fromEntries(
    doc.checks.map((c: { id: string; verdict: string }) => [c.id, c.verdict]),
  );
}

/** `doctor` for the share of `s.home`, without discovery unless `extra` asks for it. */
async function doctor(s: Scene, extra: string[], lang = s.lang) {
  const h = await s.home({ "a.txt": "alpha\n" });
  return runOnce(SOURCE, ["doctor", "--dir", h.dir, "--manifest", h.manifest, ...extra], {
    cwd: h.home,
    lang,
  });
}

test("doctor: a reachable tracker admits, connects back and agrees on the clock; exit 0", async (s) => {
  const t = await s.tracker();
  const where = ["--tracker", `127.0.0.1:${t.port}`, "--code", t.code!, "--no-discovery"];
  const r = await doctor(s, where);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const text = r.out.join("\n");
  assert.match(
    text,
    pattern("doctor.tracker.ok", "en", { params: { address: `127.0.0.1:${t.port}` } }),
  );
  assert.match(text, pattern("doctor.back.ok", "en"));
  assert.match(
    text,
    /\[ok {2}\] This clock (agrees with|is .* behind|is .* ahead of) the tracker's/,
  );
  assert.match(text, /\[ok {2}\] 1 file listed in /);
  assert.ok(!text.includes("[FAIL]"), text);
  // Another tracker: one asker gets one connect-back a second from a tracker (PROTOCOL.md).
  const t2 = await s.tracker();
  const where2 = ["--tracker", `127.0.0.1:${t2.port}`, "--code", t2.code!, "--no-discovery"];
  const json = await doctor(s, [...where2, "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const v = verdicts(json.stdout);
  assert.deepEqual(
    [v.tracker, v.connect_back, v.clock, v.share, v.identity, v.discovery],
    ["ok", "ok", "ok", "ok", "ok", "skip"],
  );
  const back = JSON.parse(json.stdout).checks.find((c: { id: string }) => c.id === "connect_back");
  assert.equal(back.ip, "127.0.0.1");
  assert.equal(back.result, "open");
  assert.equal(back.arrived, true);
});

test("doctor: an unreachable tracker fails with its fix, exit 1; the checks after it are skipped", async (s) => {
  const port = closedPort();
  const r = await doctor(s, ["--tracker", `127.0.0.1:${port}`, "--no-discovery"]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const fail = r.out.findIndex((l) => l.startsWith("[FAIL] Cannot reach tracker at 127.0.0.1:"));
  assert.ok(fail >= 0, r.stdout);
  assert.match(r.out[fail], /connection refused/);
  assert.match(r.out[fail + 1], /^ +fix: Check the address and that 'rede-p2p serve' runs there/);
  assert.match(r.out.at(-1)!, /^1 check failed/);
  const v = verdicts(
    (await doctor(s, ["--tracker", `127.0.0.1:${port}`, "--no-discovery", "--json"])).stdout,
  );
  assert.deepEqual([v.tracker, v.connect_back, v.clock], ["fail", "skip", "skip"]);
});

test("doctor: a wrong join code fails and says to ask again; no code at all, piped, says to give it", async (s) => {
  const t = await s.tracker();
  const at = ["--tracker", `127.0.0.1:${t.port}`, "--no-discovery", "--json"];
  const wrong = await doctor(s, [...at, "--code", "0000-0000"]);
  assert.equal(wrong.code, 1, wrong.stderr);
  const w = JSON.parse(wrong.stdout).checks.find((c: { id: string }) => c.id === "tracker");
  assert.equal(w.verdict, "fail");
  assert.match(w.fix, /Ask for the join code again/);
  // Another tracker: this one slows down the address that just gave a wrong code.
  const t2 = await s.tracker();
  const none = await doctor(s, ["--tracker", `127.0.0.1:${t2.port}`, "--no-discovery", "--json"]);
  const n = JSON.parse(none.stdout).checks.find((c: { id: string }) => c.id === "tracker");
  assert.equal(n.verdict, "warn");
  assert.match(n.fix, /give its join code with --code/);
});

test("doctor: discovery on loopback finds the tracker, which is then checked; in Portuguese", async (s) => {
  const port = await freeUdpPort();
  const t = await s.tracker(0, ["--discovery-port", String(port), "--network", "sala-9"]);
  await t.waitFor(pattern("discover.announcing", "en", { params: { network: "sala-9", port } }));
  const r = await doctor(s, [
    "--discovery-port",
    String(port),
    "--discovery-via",
    "127.0.0.1",
    "--code",
    t.code!,
  ], "pt");
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const text = r.out.join("\n");
  assert.match(
    text,
    /^\[ok {3}\] A descoberta funciona: 1 rastreador respondeu: sala-9 \(127\.0\.0\.1:\d+\)$/m,
  );
  assert.match(
    text,
    /^\[ok {3}\] O rastreador 127\.0\.0\.1:\d+ está acessível e admitiu esta máquina/m,
  );
  assert.match(text, /^\[ok {3}\] O rastreador se conectou de volta a esta máquina/m);
  assert.match(r.out.at(-1)!, /^Nenhuma verificação falhou/);
});

Deno.test("doctor: the local checks read the share, the disk and each system's firewall rule", async () => {
  const home = await Deno.makeTempDir({ prefix: "rede-p2p-doctor-" });
  try {
    const dir = join(home, "share");
    assert.equal((await checkShare(dir, join(home, "m.txt"))).verdict, "fail");
    await Deno.mkdir(dir);
    await Deno.writeTextFile(join(dir, "a.txt"), "a");
    const folder = await checkShare(dir, join(home, "m.txt"));
    assert.equal(folder.verdict, "ok");
    assert.deepEqual([folder.data.mode, folder.data.files], ["folder", 1]);
    await Deno.writeTextFile(join(home, "m.txt"), "a.txt share/a.txt\n../x.txt /etc/passwd\n");
    const bad = await checkShare(dir, join(home, "m.txt"));
    assert.equal(bad.verdict, "warn");
    assert.match(bad.line, /1 file listed in .*; 1 line skipped/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
  assert.equal(checkDisk(".", LOW_DISK_BYTES - 1).verdict, "warn");
  assert.equal(checkDisk(".", LOW_DISK_BYTES * 10).verdict, "ok");
  assert.equal(checkDisk(".", null).verdict, "skip");
  const exe = "C:\\Users\\ana\\rede-p2p.exe";
  assert.match(
    firewallAdvice("windows", exe).fix!,
    /netsh advfirewall firewall add rule name="rede-p2p" dir=in action=allow program="C:\\Users\\ana\\rede-p2p\.exe"/,
  );
  assert.match(firewallAdvice("darwin", "/usr/local/bin/rede-p2p").fix!, /socketfilterfw --add/);
  assert.match(firewallAdvice("linux", "/usr/bin/deno", 9452).fix!, /sudo ufw allow 9452\/tcp/);
  assert.match(firewallAdvice("linux", "/usr/bin/deno").fix!, /--listen-port/);
});
