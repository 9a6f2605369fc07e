/**
 * Clean terminals: the sanitiser (`core/terminal.ts`) and the name rule on their own, then end to
 * end, a real `join` process facing a hostile tracker and a hostile peer built in this process,
 * and a real `serve` process facing a hostile client, each putting escape sequences, C1 controls
 * and bidirectional controls into every string it sends. Nothing of them may reach the output
 * raw; they are shown escaped (`\x1b`, `\u202e`).
 */
import assert from "node:assert/strict";
import { hostileServer } from "./_hostile.ts";
import { hashChunk, rootHash } from "../core/content.ts";
import { CHUNK_BYTES, MAX_HEARTBEAT_MS } from "../core/limits.ts";
import { sharePathProblem } from "../core/names.ts";
import { hasUnsafeChars, printable, remoteText, terminalText } from "../core/terminal.ts";
import { encodeFrame } from "../net/framing.ts";
import type { Channel } from "../net/channel.ts";
import { type Membership, MembershipSigner } from "../net/membership.ts";
import type { Credentials } from "../net/secure.ts";
import { TRACKER_IDENTITY } from "../storage/identity.ts";
import {
  codeOf,
  credentials,
  run,
  type Scene,
  sceneTest,
  SOURCE,
  WAIT_MS,
} from "../testing/harness.ts";
import { RawClient } from "../testing/raw_client.ts";

/** Every character a terminal could act on; the output of the program must hold none. */
const UNSAFE_OUT =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

// --- The sanitiser and the name rule -----------------------------------------------------------

Deno.test("sanitiser: C0, DEL, C1, bidirectional controls and separators are shown escaped", () => {
  const cases: [string, string][] = [
    ["a\u001b[2Jb", "a\\x1b[2Jb"],
    ["bell\u0007", "bell\\x07"],
    ["\u0000\n\r\t", "\\x00\\x0a\\x0d\\x09"],
    ["del\u007f", "del\\x7f"],
    ["csi\u009b31m", "csi\\x9b31m"],
    ["\u0080\u009f", "\\x80\\x9f"],
    ["\u202etxt.exe", "\\u202etxt.exe"],
    ["\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d"],
    ["\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069"],
    ["\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"],
    ["\u2028\u2029", "\\u2028\\u2029"],
    // Ordinary text, accents, box drawing and emoji stay as they are.
    ["relatório │ 日本 … 🎉 a\\b", "relatório │ 日本 … 🎉 a\\b"],
  ];
  for (const [text, shown] of cases) {
    assert.equal(printable(text), shown, JSON.stringify(text));
    assert.equal(hasUnsafeChars(text), text !== shown, JSON.stringify(text));
    assert.ok(!UNSAFE_OUT.test(printable(text)));
  }
  // A whole output keeps its own line breaks, and nothing else.
  assert.equal(terminalText("one\ntwo\r\u001b[2J\u202e"), "one\ntwo\\x0d\\x1b[2J\\u202e");
  // Remote text is cut to its limit, never in the middle of an escape.
  assert.equal(remoteText("x\u0007yz", 6), "x\\x07y");
  assert.equal(remoteText("\u001b".repeat(1000), 10), "\\x1b\\x1b");
  assert.equal(remoteText("y".repeat(1000)).length, 300);
});

Deno.test("name rule: C1 and bidirectional controls, and hidden parts, are refused", () => {
  const refused: [string, RegExp][] = [
    ["\u009b31mred.txt", /control or bidirectional/],
    ["\u202etxt.exe", /control or bidirectional/],
    ["fotos/a\u2066b.txt", /control or bidirectional/],
    ["c\u200fd.txt", /control or bidirectional/],
    ["x\u061c.txt", /control or bidirectional/],
    ["a\u2028b", /control or bidirectional/],
    ["a\u001bb", /control or bidirectional/],
    [".rede-p2p/index.json", /part '\.rede-p2p' must not start with '\.'/],
    [".rede-p2p", /must not start with '\.'/],
    ["fotos/.a.jpg.rede-part", /must not start with '\.'/],
    ["fotos/.hidden/a.jpg", /must not start with '\.'/],
    [".bashrc", /must not start with '\.'/],
  ];
  for (const [name, why] of refused) {
    assert.match(sharePathProblem(name) ?? "accepted", why, JSON.stringify(name));
  }
  for (const name of ["a.txt", "fotos/2024/a.jpg", "relatório 1.pdf", "日本/a.b.c", "a..b"]) {
    assert.equal(sharePathProblem(name), undefined, name);
  }
});

// --- End to end ---------------------------------------------------------------------------------

/** Text with every kind of control: OSC with BEL, CSI, C1 CSI, DEL, bidi overrides and marks. */
const EVIL_TEXT = "oops \u001b]0;pwned\u0007 \u001b[2J \u009b31m \u202eexe.txt\u202c " +
  "\u2067x\u2069 \u200e\u200f\u061c \u007f end";
const EVIL_PEER = "mal\u001b[31mlory\u0007\u009b2J\u202eyrollam";
const EVIL_TYPE = "\u001b[2J\u009b1m\u202eboom\u0007";
/** Names the old rule let through (C1, bidi), and one it refused already (C0). */
const C1_NAME = "\u009b31mcsi.txt";
const BIDI_NAME = "\u202etxt.exe";
const ISOLATE_NAME = "a\u2066b\u2069.txt";
const MARK_NAME = "c\u200fd\u061c.txt";
const ESC_NAME = "\u001b[2J\u001b[31mred.txt";
const GOOD = "ok.txt";

const DATA = new TextEncoder().encode("nothing to see here\n");
const ROOT = rootHash(DATA.length, [hashChunk(DATA)], CHUNK_BYTES);
const DESC = { size: DATA.length, chunk_size: CHUNK_BYTES, chunks: [hashChunk(DATA)], root: ROOT };
const summary = (name: string) => ({ name, size: DATA.length, root: ROOT });
const LISTED = [C1_NAME, BIDI_NAME, ISOLATE_NAME, MARK_NAME, ESC_NAME, "err.txt", "weird.txt", GOOD]
  .map(summary);

/** Sends a frame whose `t` is not a message type, by hand. */
function sendUnknownType(ch: Channel, t: string): Promise<void> {
  return ch.writeRaw(encodeFrame(new TextEncoder().encode(JSON.stringify({ t }))));
}

/**
 * A peer that lists names with controls in them, answers `describe` of `err.txt` with an error
 * full of controls, of `weird.txt` with a message of a type made of controls, any other
 * `describe` with a descriptor named {@link BIDI_NAME}, and serves the chunk.
 */
async function startHostilePeer(
  s: Scene,
  creds: Credentials,
  member: Membership,
): Promise<number> {
  return await hostileServer(s, async (ch) => {
    // A member of the hostile tracker's network: the downloader checks that, and goes on.
    await ch.accept("peer", ["client", "peer"], WAIT_MS, () => ({ member }));
    while (true) {
      const m = await ch.recv(WAIT_MS);
      if (m === null) return;
      if (m.t === "list") await ch.send({ t: "file_list", files: LISTED });
      else if (m.t === "describe" && m.name === "err.txt") {
        await ch.send({ t: "error", code: "NOT_FOUND", message: EVIL_TEXT });
      } else if (m.t === "describe" && m.name === "weird.txt") {
        await sendUnknownType(ch, EVIL_TYPE);
      } else if (m.t === "describe") {
        await ch.send({ t: "descriptor", name: m.name ?? BIDI_NAME, ...DESC });
      } else if (m.t === "chunk") {
        await ch.send({ t: "chunk_data", root: ROOT, index: m.index, size: DATA.length });
        await ch.writeRaw(DATA);
      } else await sendUnknownType(ch, EVIL_TYPE);
    }
  }, creds);
}

/**
 * A tracker (an open network, with the identity of the test home's trackers, and memberships
 * signed with its key) that refuses the first registration with an error full of controls, lists peers
 * with such names, finds files with such names, answers `find boom` with such an error and
 * `find weird` with a message of a type made of controls.
 */
async function startHostileTracker(
  s: Scene,
  creds: Credentials,
  signer: MembershipSigner,
  peer: { port: number; id: string },
): Promise<number> {
  const peerPort = peer.port;
  let registrations = 0;
  return await hostileServer(s, async (ch) => {
    await ch.accept("tracker", ["peer"], WAIT_MS, () => ({ access: "open" }));
    await ch.send({ t: "admitted", member: signer.sign(ch.peerId!) });
    let self = 0;
    while (true) {
      const m = await ch.recv(MAX_HEARTBEAT_MS);
      if (m === null) return;
      if (m.t === "register") {
        self = m.port;
        if (registrations++ === 0) {
          await ch.send({ t: "error", code: "BUSY", message: EVIL_TEXT });
        } else {
          await ch.send({
            t: "registered",
            ip: "127.0.0.1",
            port: m.port,
            token: "0".repeat(32),
            heartbeat_ms: MAX_HEARTBEAT_MS,
          });
        }
      } else if (m.t === "peers") {
        await ch.send({
          t: "peer_list",
          peers: [
            { ip: "127.0.0.1", port: 1, id: "e".repeat(64), name: `${EVIL_PEER} two`, files: 1 },
            { ip: "127.0.0.1", port: peerPort, id: peer.id, name: EVIL_PEER, files: LISTED.length },
            { ip: "127.0.0.1", port: self, id: ch.peerId!, name: "me", files: 0 },
          ],
          total: 3,
        });
      } else if (m.t === "cert_of") {
        // No certificate, and an error full of controls: the downloader goes on over node:tls.
        await ch.send({ t: "error", code: "NOT_FOUND", message: EVIL_TEXT });
      } else if (m.t === "find" && m.text === "boom") {
        await ch.send({ t: "error", code: "INTERNAL", message: EVIL_TEXT });
      } else if (m.t === "find" && m.text === "weird") {
        await sendUnknownType(ch, EVIL_TYPE);
      } else if (m.t === "find") {
        const peers = [{ ip: "127.0.0.1", port: peerPort, id: peer.id }];
        await ch.send({ t: "found", results: LISTED.map((f) => ({ ...f, peers })) });
      } else if (m.t === "who_has") {
        const peers = [{ ip: "127.0.0.1", port: peerPort, id: peer.id }];
        await ch.send({ t: "holders", root: m.root, peers });
      } else if (m.t === "bye") return;
    }
  }, creds);
}

/** The lines holding a raw unsafe character, shown with their escapes for the report. */
function rawLines(lines: string[]): string[] {
  return lines.filter((l) => UNSAFE_OUT.test(l)).map((l) => JSON.stringify(l));
}

const GET_DONE = /^(Saved '|error: |'.*' is already here)/;

sceneTest(
  SOURCE,
  "terminal: a hostile tracker and peer put no control character on the user's terminal",
  async (s) => {
    const trackerCreds = await credentials(TRACKER_IDENTITY);
    const signer = new MembershipSigner(trackerCreds.keyPem);
    const peerCreds = await credentials("hostile-peer");
    const peerPort = await startHostilePeer(s, peerCreds, signer.sign(peerCreds.fingerprint));
    const peer = { port: peerPort, id: peerCreds.fingerprint };
    const trackerPort = await startHostileTracker(s, trackerCreds, signer, peer);
    const home = await s.home();
    const down = await s.peer(trackerPort, home, ["--verbose"]);
    const addr = `127.0.0.1:${peerPort}`;

    await run(down, "peers", /peers? connected/);
    await run(down, "ls 127.0.0.1", /^error: /); // Several peers there: named in the error.
    const ls = await run(down, `ls ${addr}`, /files?, .* at /);
    await run(down, "find boom", /^error: /);
    await run(down, `get ${addr} "${BIDI_NAME}"`, GET_DONE);
    await run(down, `get ${addr} "${C1_NAME}"`, GET_DONE);
    await run(down, `get ${addr} err.txt`, GET_DONE);
    await run(down, `get ${addr} weird.txt`, GET_DONE);
    const found = await run(down, "find txt", /files? match(?:es)?/);
    await run(down, "get #1", GET_DONE);
    const mark = down.mark();
    await run(down, "find weird", /^error: /);
    await down.waitFor(/is back; registered again/, mark);
    await down.endInput();
    await down.done;

    assert.deepEqual(rawLines(down.lines), [], "no raw control character in stdout or stderr");
    const out = down.lines.join("\n");
    // What was sent is shown, escaped: the peer names, the error texts, the message type.
    assert.ok(out.includes("mal\\x1b[31mlory\\x07\\x9b2J\\u202eyrollam"), out);
    assert.ok(out.includes("oops \\x1b]0;pwned\\x07 \\x1b[2J \\x9b31m \\u202eexe.txt\\u202c"), out);
    assert.ok(out.includes("unknown type '\\x1b[2J\\x9b1m\\u202eboom\\x07'"), out);
    // No name with a control in it was listed, found or saved: only the plain ones.
    assert.ok(ls.some((l) => l.includes(GOOD)) && ls.at(-1)!.startsWith("3 files"), out);
    assert.match(found.at(-1)!, /^3 files match/);
    assert.ok(!down.lines.some((l) => l.startsWith("Saved ")), out);
    const saved = [];
    for await (const e of Deno.readDir(home.dir)) if (e.name !== ".rede-p2p") saved.push(e.name);
    assert.deepEqual(saved, []);
  },
);

sceneTest(
  SOURCE,
  "terminal: a hostile client puts no control character on the tracker's console",
  async (s) => {
    const t = await s.tracker();
    // Admitted with the network's code: a legitimate member that then misbehaves.
    const c = await RawClient.hello(t.port, undefined, { code: codeOf(t.port) });
    s.defer(() => c.close());
    const reg = await c.ask({
      t: "register",
      port: 4000,
      name: EVIL_PEER,
      files: [summary(BIDI_NAME), summary(C1_NAME), summary(GOOD)],
    });
    assert.equal(reg?.t, "registered", JSON.stringify(reg));
    const mark = t.mark();
    await c.sendPayload(new TextEncoder().encode(JSON.stringify({ t: EVIL_TYPE })));
    await t.waitFor(/client 127\.0\.0\.1:\d+: /, mark);

    assert.deepEqual(rawLines(t.lines), [], "no raw control character on the console");
    const out = t.lines.join("\n");
    // The name it asked for is made a peer name: every run of other characters is a '-'.
    assert.match(out, /join +127\.0\.0\.1:4000 "mal-31mlory-2J-yrollam" \(1 file\)/);
    assert.ok(out.includes("\\x1b[2J\\x9b1m\\u202eboom\\x07"), out);
  },
);
