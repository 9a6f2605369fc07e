/**
 * Identities (issue 8, first step): made on first use in the per-user folder (`REDE_P2P_HOME`
 * here), kept across runs, one per shared folder, the key private, the ID the SHA-256 of the
 * certificate; a damaged identity is one line and is never overwritten. Real processes of
 * `rede-p2p id`, real files in temporary folders.
 */
import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import { join } from "node:path";
import { formatId, makeIdentity } from "../storage/identity.ts";
import { Proc, SOURCE } from "../testing/harness.ts";

/** Runs `rede-p2p id ARGS` with `home` as REDE_P2P_HOME; its exit code and lines. */
async function id(home: string, ...args: string[]): Promise<{ code: number; lines: string[] }> {
  const p = new Proc(SOURCE, ["id", ...args], { env: { REDE_P2P_HOME: home } });
  const { code } = await p.done;
  return { code, lines: p.lines };
}

const idOf = (lines: string[], label: RegExp) =>
  lines.find((l) => label.test(l))?.split(": ").at(-1)?.trim();

Deno.test("id: made on first use, the same on the next run, one per shared folder", async () => {
  const home = await Deno.makeTempDir({ prefix: "rede-id-" });
  try {
    const first = await id(home, "--dir", join(home, "a"));
    assert.equal(first.code, 0, first.lines.join("\n"));
    const again = await id(home, "--dir", join(home, "a"));
    const other = await id(home, "--dir", join(home, "b"));
    const peerA = idOf(first.lines, /^Peer ID/);
    assert.match(peerA ?? "", /^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/);
    assert.equal(idOf(again.lines, /^Peer ID/), peerA, "kept across runs");
    assert.notEqual(idOf(other.lines, /^Peer ID/), peerA, "another folder, another peer");
    assert.equal(idOf(other.lines, /^Tracker ID/), idOf(first.lines, /^Tracker ID/));
    // The ID is the SHA-256 of the certificate; the key is readable by its owner alone.
    const dirs = [...Deno.readDirSync(join(home, "identities"))].map((e) => e.name);
    const ids = dirs.map((d) => {
      const pem = Deno.readTextFileSync(join(home, "identities", d, "cert.pem"));
      const der = new X509Certificate(pem).raw;
      return formatId(createHash("sha256").update(der).digest("hex"));
    });
    assert.ok(ids.includes(peerA!), `${peerA} among ${ids}`);
    if (Deno.build.os !== "windows") {
      for (const d of dirs) {
        const mode = Deno.statSync(join(home, "identities", d, "key.pem")).mode! & 0o777;
        assert.equal(mode, 0o600, `${d}/key.pem is ${mode.toString(8)}`);
      }
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("id: a damaged identity is one line, and is left as it is", async () => {
  const home = await Deno.makeTempDir({ prefix: "rede-id-" });
  try {
    assert.equal((await id(home, "--dir", join(home, "a"))).code, 0);
    const cert = join(home, "identities", "tracker", "cert.pem");
    Deno.writeTextFileSync(cert, "-----BEGIN CERTIFICATE-----\nnot a certificate\n");
    const run = await id(home, "--dir", join(home, "a"));
    assert.equal(run.code, 1);
    assert.equal(run.lines.length, 1, run.lines.join("\n"));
    assert.match(run.lines[0], /identit/i);
    assert.doesNotMatch(run.lines[0], /\n| {4}at /);
    assert.match(Deno.readTextFileSync(cert), /not a certificate/, "never overwritten");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("identity: a new key and certificate each time, the ID in base32 groups", async () => {
  const [a, b] = await Promise.all([makeIdentity(), makeIdentity()]);
  assert.notEqual(a.fingerprint, b.fingerprint);
  assert.match(a.fingerprint, /^[0-9a-f]{64}$/);
  assert.equal(formatId("00".repeat(32)), Array(13).fill("AAAA").join("-"));
  assert.equal(formatId("ff".repeat(32), true), "7777-7777-7777");
});
