/**
 * The fuzzer of `fuzz_test.ts`: seeded generation of hostile connection scripts (fast-check), and
 * a hand-built client that plays them against a real server over TCP.
 *
 * A script ("session") is a hello (sent, omitted, repeated or mutated), then a list of frames,
 * then an ending (half-close and read to the end, hold the connection open and let the server's
 * deadlines close it, or drop it without reading). Frames start from valid messages of every
 * type and are mutated at every level: the JSON value (wrong types, missing, extra or huge
 * fields, deep nesting, odd numbers, unknown `t`), the payload bytes (bit flips, inserted,
 * deleted or invalid UTF-8 bytes, truncation), and the header (magic, announced length).
 * When the server closes a connection the rest of the script goes on a new one.
 *
 * Every connection is TLS 1.3 with the player's certificate (protocol 4). The player is a
 * legitimate client: its hello to a peer carries its membership of the network, and at a tracker
 * of a private network it runs the join code's PAKE after a clean hello, before any other frame.
 */
import { Buffer } from "node:buffer";
import * as tls from "node:tls";
import fc from "fast-check";
import {
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
} from "../core/limits.ts";
import { FrameReader } from "../net/framing.ts";
import { startPake } from "../net/pake.ts";
import type { Membership } from "../net/protocol.ts";
import { peerFingerprint, TlsLink } from "../net/secure.ts";

/** What the fuzzer knows of the target's real content, so that some requests hit. */
export interface Vocabulary {
  /** Shared names. */
  names: string[];
  /** Roots, with how many chunks each has. */
  roots: { root: string; chunks: number }[];
}

/** A JSON-like value; strings in it may hold markers expanded when it is encoded. */
type Json = unknown;

// --- Values --------------------------------------------------------------------------------

/**
 * A marker for text that `JSON.stringify` cannot produce (deep nesting, `NaN`, `1e999`), put in
 * a value as a string and expanded by {@link payloadOf}.
 */
const marker = (kind: "deep" | "tok", arg: string | number) => `\u0000${kind}:${arg}\u0000`;
const MARKER = /"\\u0000(deep|tok):([^"\\]*)\\u0000"/g;

/** Literal JSON-ish tokens: out of range, non-standard, or plain invalid. */
const TOKENS = [
  "NaN",
  "Infinity",
  "-Infinity",
  "1e999",
  "-1e999",
  "1e-400",
  "-0",
  "00",
  "01",
  ".5",
  "1.",
  "+1",
  "0x10",
  "undefined",
  "nul",
  "tru",
  "2.0",
  "1E1",
  "123456789012345678901234567890",
  "9007199254740993",
  "-9007199254740993",
  "4294967296",
  "[1,]",
  "{,}",
  "{\u0001:1}",
];

/** Names that break the name rule one way or another. */
const UNSAFE_NAMES = [
  "../etc/passwd",
  "a/../../x",
  "/etc/passwd",
  "..\\x",
  "C:x",
  "CON",
  "nul.txt",
  "a\u0000b",
  "\u001b[2J\u001b[31mred",
  "\u202eexe.txt",
  "x\u0085y",
  ".rede-p2p/index.json",
  ".hidden",
  "a//b",
  "a/",
  " lead",
  "trail.",
  "",
  ".",
  "..",
  "x".repeat(256),
  `${"d/".repeat(600)}f`,
];

/** Any UTF-16 code unit, lone surrogates included (JSON carries them as `\ud800` escapes). */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** A value that is wrong, odd or extreme for whatever field it lands in. */
const weird: fc.Arbitrary<Json> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<Json>(
      null,
      true,
      false,
      0,
      -1,
      0.5,
      -0.5,
      1e308,
      -1e308,
      2 ** 53,
      2 ** 53 + 2,
      2 ** 31,
      2 ** 32,
      65535,
      65536,
      1,
      2,
      "",
      "0",
      "2",
      "rede-p2p",
      "peer",
      "tracker",
      "client",
      [],
      {},
      [[]],
      { t: "hello" },
      "a".repeat(64),
    ),
  },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.double() },
  { weight: 3, arbitrary: fc.string({ unit: anyUnit, maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...UNSAFE_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...TOKENS).map((t) => marker("tok", t)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom("[", "{"), fc.integer({ min: 1, max: 2_000 })).map((
      [open, n],
    ) => marker("deep", `${open}${n}`)),
  },
  // Rare and costly: very deep nesting, long strings, long arrays.
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.tuple(fc.constantFrom("[", "{"), fc.integer({ min: 2_000, max: 200_000 })).map((
        [open, n],
      ) => marker("deep", `${open}${n}`)),
      fc.integer({ min: 1_000, max: 300_000 }).map((n) => "x".repeat(n)),
      fc.integer({ min: 100, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
    ),
  },
);

/** 64 hex digits, mostly of real contents. */
function hashArb(vocab: Vocabulary): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...vocab.roots.map((r) => r.root)) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) =>
        Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")
      ),
    },
  );
}

function nameArb(vocab: Vocabulary): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...vocab.names) },
    { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
    { weight: 1, arbitrary: fc.constantFrom(...UNSAFE_NAMES) },
  );
}

function summaryArb(vocab: Vocabulary) {
  return fc.record({
    name: nameArb(vocab),
    size: fc.oneof(fc.nat(), fc.constant(0)),
    root: hashArb(vocab),
  });
}

const addressArb = fc.record({
  ip: fc.constantFrom("127.0.0.1", "10.0.0.7", "::1", "fe80::1%eth0"),
  port: fc.integer({ min: 1, max: 65535 }),
});

// --- Messages ------------------------------------------------------------------------------

/** Valid messages of every type of `net/protocol.ts`, requests of `target` weighted up. */
export function messageArb(
  vocab: Vocabulary,
  target: "tracker" | "peer",
): fc.Arbitrary<Record<string, Json>> {
  const roleArb = fc.constantFrom("peer", "client", "tracker");
  const files = fc.array(summaryArb(vocab), { maxLength: 6 });
  const chunkReq = fc.constantFrom(...vocab.roots).chain(({ root, chunks }) =>
    fc.record({
      t: fc.constant("chunk"),
      root: fc.constant(root),
      // Mostly a chunk that exists; the small files first, so that few 4 MiB chunks are sent.
      index: fc.oneof(fc.integer({ min: 0, max: Math.max(0, chunks) }), fc.nat()),
    })
  );
  const all = {
    hello: fc.record({
      t: fc.constant("hello"),
      app: fc.constant("rede-p2p"),
      v: fc.constant(2),
      role: roleArb,
    }),
    error: fc.record({
      t: fc.constant("error"),
      code: fc.constantFrom("BAD_FRAME", "BUSY", "INTERNAL", "NOPE"),
      message: fc.string(),
    }),
    register: fc.record({
      t: fc.constant("register"),
      port: fc.integer({ min: 1, max: 65535 }),
      name: fc.string({ maxLength: 80 }),
      files,
    }),
    registered: fc.record({
      t: fc.constant("registered"),
      ip: fc.constant("127.0.0.1"),
      port: fc.integer({ min: 1, max: 65535 }),
      heartbeat_ms: fc.integer({ min: 10, max: 600_000 }),
    }),
    heartbeat: fc.constant({ t: "heartbeat" }),
    announce: fc.record({ t: fc.constant("announce"), files }),
    peers: fc.constant({ t: "peers" }),
    peer_list: fc.record({
      t: fc.constant("peer_list"),
      peers: fc.array(
        fc.record({
          ip: fc.constant("127.0.0.1"),
          port: fc.integer({ min: 1, max: 65535 }),
          name: fc.string(),
          files: fc.nat(),
        }),
        { maxLength: 3 },
      ),
      total: fc.nat(),
    }),
    find: fc.record({
      t: fc.constant("find"),
      text: fc.oneof(fc.constantFrom("", "a", "big", ".txt", "/"), fc.string({ maxLength: 20 })),
    }),
    found: fc.record({
      t: fc.constant("found"),
      results: fc.array(
        fc.record({
          name: nameArb(vocab),
          size: fc.nat(),
          root: hashArb(vocab),
          peers: fc.array(addressArb, { maxLength: 2 }),
        }),
        { maxLength: 3 },
      ),
    }),
    who_has: fc.record({ t: fc.constant("who_has"), root: hashArb(vocab) }),
    holders: fc.record({
      t: fc.constant("holders"),
      root: hashArb(vocab),
      peers: fc.array(addressArb, { maxLength: 2 }),
    }),
    bye: fc.constant({ t: "bye" }),
    list: fc.constant({ t: "list" }),
    file_list: fc.record({ t: fc.constant("file_list"), files }),
    describe: fc.oneof(
      fc.record({ t: fc.constant("describe"), name: nameArb(vocab) }),
      fc.record({ t: fc.constant("describe"), root: hashArb(vocab) }),
      fc.record({ t: fc.constant("describe"), name: nameArb(vocab), root: hashArb(vocab) }),
      fc.constant({ t: "describe" }),
    ),
    descriptor: fc.record({
      t: fc.constant("descriptor"),
      name: nameArb(vocab),
      size: fc.nat(),
      chunk_size: fc.constant(4 * 1024 * 1024),
      chunks: fc.array(hashArb(vocab), { maxLength: 3 }),
      root: hashArb(vocab),
    }),
    chunk: chunkReq,
    chunk_data: fc.record({
      t: fc.constant("chunk_data"),
      root: hashArb(vocab),
      index: fc.nat(),
      size: fc.nat(),
    }),
  };
  const mine = target === "tracker"
    ? ["register", "heartbeat", "announce", "peers", "find", "who_has", "bye"] as const
    : ["list", "describe", "chunk"] as const;
  const arbs = Object.entries(all).map(([t, arbitrary]) => ({
    weight: (mine as readonly string[]).includes(t) ? 12 : 1,
    arbitrary: arbitrary as fc.Arbitrary<Record<string, Json>>,
  }));
  return fc.oneof(...arbs);
}

// --- Mutations -----------------------------------------------------------------------------

const extraKey = fc.oneof(
  fc.constantFrom(
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "t ",
    "T",
    "",
    "\u0000",
    "x",
  ),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 100, max: 5_000 }).map((n) => "k".repeat(n)),
);

const semanticOp = fc.record({
  op: fc.constantFrom("set", "set", "set", "del", "add", "t", "list", "wrap"),
  pick: fc.nat(),
  key: extraKey,
  value: weird,
  t: fc.oneof(
    fc.constantFrom("HELLO", "Hello", "hello ", "", "t", "constructor", "__proto__", "toString"),
    fc.string({ unit: anyUnit, maxLength: 12 }),
    weird,
  ),
});

type SemanticOp = typeof semanticOp extends fc.Arbitrary<infer T> ? T : never;

/** Sets an own property, even one named `__proto__`. */
function put(o: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies value-level mutations to a copy of a message. */
function mutateValue(m: Record<string, Json>, ops: SemanticOp[]): Json {
  let v: Json = structuredClone(m);
  // Generated values may be shared between samples (constants): each use gets its own copy.
  for (const { value: shared, t: sharedT, ...rest } of ops) {
    const op = { ...rest, value: structuredClone(shared), t: structuredClone(sharedT) };
    if (typeof v !== "object" || v === null || Array.isArray(v)) break;
    const o = v as Record<string, Json>;
    const keys = Object.keys(o);
    const key = keys[op.pick % keys.length];
    switch (op.op) {
      case "set":
        put(o, key, op.value);
        break;
      case "del":
        delete o[key];
        break;
      case "add":
        put(o, op.key, op.value);
        break;
      case "t":
        put(o, "t", op.t);
        break;
      case "list": {
        // An odd entry among the good ones of a list field, or the list itself replaced.
        const lists = keys.filter((k) => Array.isArray(o[k]));
        if (lists.length === 0) put(o, key, op.value);
        else {
          const list = o[lists[op.pick % lists.length]] as Json[];
          list.splice(op.pick % (list.length + 1), 0, op.value);
        }
        break;
      }
      case "wrap":
        v = op.pick % 3 === 0 ? [o] : op.pick % 3 === 1 ? { t: o } : JSON.stringify(o);
        break;
    }
  }
  return v;
}

/** The payload of a value: JSON text with its markers expanded. */
export function payloadOf(v: Json): Uint8Array {
  const text = (JSON.stringify(v) ?? "null").replace(MARKER, (_, kind: string, arg: string) => {
    if (kind === "tok") return arg;
    const n = Number(arg.slice(1));
    return arg[0] === "[" ? "[".repeat(n) + "]".repeat(n) : '{"a":'.repeat(n) + "1" + "}".repeat(n);
  });
  return new TextEncoder().encode(text);
}

const byteOp = fc.record({
  op: fc.constantFrom("flip", "flip", "set", "insert", "delete", "truncate", "utf8", "dup", "bom"),
  pos: fc.nat(),
  n: fc.integer({ min: 0, max: 255 }),
});

/** Bytes that are not UTF-8: stray continuation, overlong, surrogate, out of range, truncated. */
const NOT_UTF8 = [[0xff], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [
  0xe2,
  0x82,
]];

/** Applies byte-level mutations to a payload. */
function mutateBytes(p: Uint8Array, ops: { op: string; pos: number; n: number }[]): Uint8Array {
  let b = Array.from(p);
  for (const { op, pos, n } of ops) {
    const at = b.length === 0 ? 0 : pos % b.length;
    switch (op) {
      case "flip":
        if (b.length) b[at] ^= 1 << (n % 8);
        break;
      case "set":
        if (b.length) b[at] = n;
        break;
      case "insert":
        b.splice(at, 0, n);
        break;
      case "delete":
        b.splice(at, 1 + (n % 8));
        break;
      case "truncate":
        b = b.slice(0, at);
        break;
      case "utf8":
        b.splice(at, 0, ...NOT_UTF8[n % NOT_UTF8.length]);
        break;
      case "dup":
        b.splice(at, 0, ...b.slice(at, at + 1 + n));
        break;
      case "bom":
        b.unshift(0xef, 0xbb, 0xbf);
        break;
    }
  }
  return new Uint8Array(b);
}

/** A frame around a payload, with the header as given (a real frame by default). */
export function frameOf(payload: Uint8Array, announced = payload.length, magic = FRAME_MAGIC) {
  const f = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  f[0] = magic[0];
  f[1] = magic[1];
  new DataView(f.buffer).setUint32(2, announced >>> 0);
  f.set(payload, FRAME_HEADER_BYTES);
  return f;
}

const headerOp = fc.record({
  op: fc.constantFrom("magic", "more", "less", "zero", "max", "over", "ffff", "random", "cut"),
  n: fc.nat(),
  bit: fc.integer({ min: 0, max: 15 }),
});

/** Applies one header-level mutation to the frame of a payload. */
function mutateHeader(p: Uint8Array, h: { op: string; n: number; bit: number }): Uint8Array {
  switch (h.op) {
    case "magic": {
      const m = [FRAME_MAGIC[0], FRAME_MAGIC[1]];
      m[h.bit >> 3] ^= 1 << (h.bit & 7);
      return frameOf(p, p.length, m as unknown as typeof FRAME_MAGIC);
    }
    case "more":
      return frameOf(p, p.length + 1 + (h.n % 64));
    case "less":
      return frameOf(p, Math.max(0, p.length - 1 - (h.n % 64)));
    case "zero":
      return frameOf(p, 0);
    case "max":
      return frameOf(p, MAX_FRAME_BYTES);
    case "over":
      return frameOf(p, MAX_FRAME_BYTES + 1 + (h.n % 1000));
    case "ffff":
      return frameOf(p, 0xffffffff);
    case "random":
      return frameOf(p, h.n * 2654435761);
    default: {
      // A frame cut short: inside the header or inside the payload.
      const f = frameOf(p);
      return f.subarray(0, h.n % f.length);
    }
  }
}

/**
 * One frame, or what stands for one on the wire. `clean`: a valid request the server answers
 * and goes on; `dirty`: anything else whose framing holds (the server may answer, refuse, or
 * close); `desync`: bytes after which the framing is lost (a bad header, junk, a cut frame).
 */
export interface Framed {
  bytes: Uint8Array;
  kind: "clean" | "dirty" | "desync";
}

/** Requests each server answers without closing, when they are valid. */
const ANSWERED = {
  tracker: ["register", "heartbeat", "announce", "peers", "find", "who_has"],
  peer: ["list", "describe", "chunk"],
};

/** One frame, built from a valid message of the mix. */
export function frameArb(vocab: Vocabulary, target: "tracker" | "peer"): fc.Arbitrary<Framed> {
  const msg = messageArb(vocab, target);
  const dirty = (bytes: Uint8Array): Framed => ({ bytes, kind: "dirty" });
  const desync = (bytes: Uint8Array): Framed => ({ bytes, kind: "desync" });
  return fc.oneof(
    {
      weight: 30,
      arbitrary: msg.map((m): Framed => ({
        bytes: frameOf(payloadOf(m)),
        kind: ANSWERED[target].includes(m.t as string) ? "clean" : "dirty",
      })),
    },
    {
      weight: 35,
      arbitrary: fc.tuple(msg, fc.array(semanticOp, { minLength: 1, maxLength: 3 })).map((
        [m, ops],
      ) => dirty(frameOf(payloadOf(mutateValue(m, ops))))),
    },
    {
      weight: 15,
      arbitrary: fc.tuple(msg, fc.array(byteOp, { minLength: 1, maxLength: 6 })).map((
        [m, ops],
      ) => dirty(frameOf(mutateBytes(payloadOf(m), ops)))),
    },
    {
      weight: 10,
      arbitrary: fc.tuple(msg, headerOp).map(([m, h]) => desync(mutateHeader(payloadOf(m), h))),
    },
    // Bytes with no frame in them, and payloads that are no message at all.
    { weight: 3, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map(desync) },
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.constantFrom("", " ", "null", "[]", "{}", '"hello"', "1", '{"t":null}', '{"t":{}}'),
        fc.string({ unit: anyUnit, maxLength: 40 }),
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      ).map((s) => dirty(frameOf(new TextEncoder().encode(s)))),
    },
    // Rare: a large frame (up to 1 MiB), of junk or of a register with thousands of files.
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.integer({ min: 64 * 1024, max: 1024 * 1024 }).map((n) =>
          frameOf(new Uint8Array(n).fill(0x7b))
        ),
        fc.integer({ min: 1_000, max: 5_000 }).map((n) =>
          frameOf(payloadOf({
            t: target === "tracker" ? "register" : "list",
            port: 4000,
            name: "many",
            files: Array.from({ length: n }, (_, i) => ({
              name: `f${i}.bin`,
              size: i,
              root: vocab.roots[i % vocab.roots.length].root,
              extra: { i },
            })),
          }))
        ),
      ).map(dirty),
    },
  );
}

// --- Sessions ------------------------------------------------------------------------------

export interface Session {
  /** Frames sent first on the session's first connection (the hello, or not). */
  opening: Uint8Array[];
  /** Whether `opening` is just the valid hello. */
  openingClean: boolean;
  /** The valid hello, sent first on the session's later connections. */
  hello: Uint8Array;
  frames: Framed[];
  /** Write each frame in two parts cut here (modulo its length), or whole. */
  cut?: number;
  /** How the last connection ends: half-close, held open, or dropped without reading. */
  end: "half" | "hold" | "drop";
}

/**
 * Stands for the player's membership in a hello to a peer: replaced, when the session is
 * played, by the membership of the identity that plays it (see {@link fillMember}).
 */
const MEMBER = "\u0000member\u0000";
const MEMBER_JSON = JSON.stringify(MEMBER);

/** A frame of the session with the player's membership in place of {@link MEMBER}. */
export function fillMember(frame: Uint8Array, member: Membership | undefined): Uint8Array {
  if (frame.length < FRAME_HEADER_BYTES) return frame;
  const text = new TextDecoder().decode(frame.subarray(FRAME_HEADER_BYTES));
  if (!text.includes(MEMBER_JSON)) return frame;
  const filled = text.replaceAll(MEMBER_JSON, JSON.stringify(member ?? null));
  return frameOf(new TextEncoder().encode(filled));
}

export function sessionArb(
  vocab: Vocabulary,
  target: "tracker" | "peer",
  maxFrames: number,
): fc.Arbitrary<Session> {
  const role = target === "tracker" ? "peer" : "client";
  // A peer serves members only: a client's hello carries its membership.
  const member = target === "peer" ? { member: MEMBER } : {};
  const good = frameOf(
    payloadOf({ t: "hello", app: "rede-p2p", v: PROTOCOL_VERSION, role, ...member }),
  );
  const frame = frameArb(vocab, target);
  const opening: fc.Arbitrary<Uint8Array[]> = fc.oneof(
    { weight: 80, arbitrary: fc.constant<Uint8Array[]>([good]) },
    { weight: 5, arbitrary: fc.constant<Uint8Array[]>([]) },
    { weight: 5, arbitrary: fc.constant<Uint8Array[]>([good, good]) },
    {
      weight: 10,
      arbitrary: fc.tuple(
        fc.record({
          t: fc.constant("hello"),
          app: fc.constantFrom("rede-p2p", "rede", "", "REDE-P2P"),
          v: fc.constantFrom<Json>(
            PROTOCOL_VERSION,
            PROTOCOL_VERSION - 1,
            PROTOCOL_VERSION + 1,
            1,
            0,
            -2,
            2.5,
            String(PROTOCOL_VERSION),
            2 ** 53,
            null,
          ),
          role: fc.constantFrom<Json>("peer", "client", "tracker", "admin", "", null, 1),
          ...(target === "peer" ? { member: fc.constant(MEMBER) } : {}),
        }),
        fc.array(semanticOp, { maxLength: 2 }),
      ).map(([h, ops]): Uint8Array[] => [frameOf(payloadOf(mutateValue(h, ops)))]),
    },
  );
  return fc.record({
    opening,
    frames: fc.array(frame, { minLength: 1, maxLength: maxFrames }),
    cut: fc.option(fc.nat(), { freq: 5 }).map((c) => c ?? undefined),
    end: fc.oneof(
      { weight: 92, arbitrary: fc.constant("half" as const) },
      { weight: 7, arbitrary: fc.constant("drop" as const) },
      { weight: 1, arbitrary: fc.constant("hold" as const) },
    ),
  }).map((s) => ({
    ...s,
    hello: good,
    openingClean: s.opening.length === 1 && s.opening[0] === good,
  }));
}

/** Session `i` of a run: a pure function of the seed, the target and `i`. */
export function sessionAt(arb: fc.Arbitrary<Session>, seed: number, i: number): Session {
  return fc.sample(arb, { seed: (seed + Math.imul(i + 1, 0x9e3779b1)) | 0, numRuns: 1 })[0];
}

// --- Playing sessions ----------------------------------------------------------------------

/** What the fuzz of one server saw. */
export class Tally {
  /**
   * Frames the server read: answered, refused, or the one it closed the connection on. (When the
   * tracker closes a connection because another one registered the same port, the frames of
   * that batch count although some may not have been read; this is rare.)
   */
  frames = 0;
  bytes = 0;
  /** Valid requests sent after a batch to learn that the server went on (not in `frames`). */
  probes = 0;
  sessions = 0;
  connections = 0;
  /** Connections refused at once as one too many (BUSY): none of their frames count. */
  refused = 0;
  /** Admissions (hello and the join code's PAKE) before the frames, at a private tracker. */
  admissions = 0;
  /** Replies by type (`error CODE` for errors). */
  replies = new Map<string, number>();
  /** How connections ended. */
  endings = new Map<string, number>();
  /** Faults of the server: an INTERNAL error, a reply that is not a well-formed frame. */
  faults: string[] = [];
  /** Longest wait for the server's reaction (a reply, a close) after a client's last byte, ms. */
  slowestMs = 0;

  count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}

/** A session that stopped: the server hung, or a write never completed. */
export class Hang extends Error {}

/** `p`, or a {@link Hang} if it takes longer than `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Hang(`${what()}: nothing after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
/** Where chunk bytes are read to and dropped (shared: nothing reads them back). */
const scratch = new Uint8Array(256 * 1024);

interface Reply {
  t?: unknown;
  code?: unknown;
  size?: unknown;
  root?: unknown;
  access?: unknown;
  sid?: unknown;
  share?: unknown;
}

/** One TLS connection of the fuzzer: what the session needs of a `Deno.Conn`. */
interface FuzzConn {
  /** The server's certificate ID. */
  readonly theirId: string;
  read(p: Uint8Array): Promise<number | null>;
  write(p: Uint8Array): Promise<number>;
  /** Ends the sending side (TLS close_notify, then FIN); replies can still be read. */
  closeWrite(): Promise<void>;
  close(): void;
}

/**
 * Who plays sessions: a TLS identity (its context made once), its membership for a peer's
 * hello, and the join code for a private tracker.
 */
export interface Player {
  tls: tls.SecureContext;
  myId: string;
  member?: Membership;
  code?: string;
}

/** A TLS context for an identity (certificate and key in PEM). */
export function playerContext(certPem: string, keyPem: string): tls.SecureContext {
  return tls.createSecureContext({
    cert: certPem,
    key: keyPem,
    minVersion: "TLSv1.3",
    maxVersion: "TLSv1.3",
  });
}

/** Opens TLS to 127.0.0.1:`port` as `player`. */
function connectTls(port: number, player: Player): Promise<FuzzConn> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: "127.0.0.1",
      port,
      secureContext: player.tls,
      servername: "rede-p2p",
      rejectUnauthorized: false, // No CA: the tests know the servers they started.
      minVersion: "TLSv1.3",
    });
    socket.once("error", reject);
    socket.once("secureConnect", () => {
      socket.removeListener("error", reject);
      socket.setNoDelay(true);
      const link = new TlsLink(socket, socket);
      resolve({
        theirId: peerFingerprint(socket) ?? "",
        read: (p) => link.read(p),
        write: (p) => link.write(p),
        closeWrite: () =>
          new Promise<void>((done) => {
            if (socket.destroyed || socket.writableEnded) return done();
            socket.end(() => done());
          }),
        close: () => link.close(),
      });
    });
  });
}

/** The replies on one connection, read as they come until the server closes it. */
class Replies {
  count = 0;
  /** The replies read so far (the headers only: chunk bytes are dropped). */
  readonly seen: Reply[] = [];
  first?: Reply;
  /** Settles with how the connection ended, once it has. */
  readonly ended: Promise<string>;
  #waiters = new Set<(m?: Reply) => void>();

  constructor(conn: FuzzConn, tally: Tally, label: string) {
    this.ended = this.#read(conn, tally, label).finally(() => {
      for (const w of this.#waiters) w();
    });
  }

  /**
   * Resolves true once a reply passes `check` (one already read counts), false if the
   * connection ends first.
   */
  until(check: (m: Reply, count: number) => boolean): Promise<boolean> {
    if (this.seen.some((m) => check(m, this.count))) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = (m?: Reply) => {
        if (m === undefined || check(m, this.count)) {
          this.#waiters.delete(waiter);
          resolve(m !== undefined);
        }
      };
      this.#waiters.add(waiter);
      this.ended.then(() => waiter());
    });
  }

  async #read(conn: FuzzConn, tally: Tally, label: string): Promise<string> {
    const reader = new FrameReader(conn);
    try {
      while (true) {
        const payload = await reader.readFrame();
        if (payload === null) return "closed";
        let m: Reply;
        try {
          m = JSON.parse(utf8.decode(payload));
        } catch {
          tally.faults.push(`${label}: a reply that is not UTF-8 JSON`);
          return "bad reply";
        }
        if (typeof m?.t !== "string") {
          tally.faults.push(`${label}: a reply without a type`);
          return "bad reply";
        }
        tally.count(tally.replies, m.t === "error" ? `error ${m.code}` : m.t);
        if (m.t === "error" && m.code === "INTERNAL") {
          tally.faults.push(`${label}: INTERNAL error ${JSON.stringify(m).slice(0, 200)}`);
        }
        if (m.t === "chunk_data") {
          let left = Number(m.size);
          while (left > 0) {
            const n = await reader.readRaw(scratch.subarray(0, Math.min(left, scratch.length)));
            if (n === null) return "closed in a chunk";
            left -= n;
          }
        }
        this.count++;
        this.seen.push(m);
        this.first ??= m;
        for (const w of [...this.#waiters]) w(m);
      }
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "ECONNRESET") return "reset";
      if (code === "EPIPE" || code === "ERR_STREAM_DESTROYED") return "dropped";
      // The stream ended inside a frame: a reset lost the end of a reply.
      return "cut";
    }
  }
}

/** Writes `bytes`, in two parts when `cut` says so. */
async function writeFrame(conn: FuzzConn, bytes: Uint8Array, cut?: number): Promise<void> {
  const at = cut === undefined || bytes.length < 2 ? bytes.length : 1 + (cut % (bytes.length - 1));
  for (const part of [bytes.subarray(0, at), bytes.subarray(at)]) {
    let off = 0;
    while (off < part.length) off += await conn.write(part.subarray(off));
  }
}

/** Most clean frames pipelined before a probe. */
const BATCH = 16;

/**
 * A valid request whose reply shows that the server read everything before it and went on.
 * The tracker echoes a `who_has` root (a fresh one each time); a seeder answers every frame
 * once, in order, so its probe's reply is the next one counted.
 */
function probe(target: "tracker" | "peer", vocab: Vocabulary, n: number, before: number) {
  if (target === "tracker") {
    const root = n.toString(16).padStart(64, "e");
    return {
      bytes: frameOf(payloadOf({ t: "who_has", root })),
      answered: (m: Reply) => m.t === "holders" && m.root === root,
    };
  }
  return {
    bytes: frameOf(payloadOf({ t: "describe", name: vocab.names[0] })),
    answered: (_: Reply, count: number) => count >= before + 1,
  };
}

/**
 * A tracker's admission on a connection just opened with a clean hello: the hello, then on a
 * private network the join code's PAKE, then `admitted`. Resolves false (a fault is noted) when
 * the tracker refuses or closes instead: a legitimate client is always admitted.
 */
async function admit(
  conn: FuzzConn,
  replies: Replies,
  hello: Uint8Array,
  player: Player,
  wait: <T>(p: Promise<T>, what: string) => Promise<T>,
  tally: Tally,
  where: string,
): Promise<boolean> {
  const got = async (t: string) =>
    (await wait(replies.until((m) => m.t === t), `no '${t}'`))
      ? replies.seen.find((m) => m.t === t)
      : undefined;
  const fault = (why: string) => {
    tally.faults.push(`${where}: a legitimate client was not admitted: ${why}`);
    return false;
  };
  await wait(writeFrame(conn, hello), "the hello was not written");
  tally.bytes += hello.length;
  tally.frames++;
  const theirs = await got("hello");
  if (!theirs) return fault(`no hello (${JSON.stringify(replies.seen.at(-1))})`);
  if (theirs.access === "code") {
    const pake = startPake({
      role: "initiator",
      code: player.code ?? "no code",
      sid: Buffer.from(String(theirs.sid), "hex"),
      initiatorId: Buffer.from(player.myId, "hex"),
      responderId: Buffer.from(conn.theirId, "hex"),
    });
    const share = Buffer.from(pake.share).toString("hex");
    await wait(writeFrame(conn, frameOf(payloadOf({ t: "pake", share }))), "no write");
    const reply = await got("pake_reply");
    if (!reply) return fault(`no pake_reply (${JSON.stringify(replies.seen.at(-1))})`);
    const done = pake.finish(Buffer.from(String(reply.share), "hex"));
    const confirm = Buffer.from(done.confirm).toString("hex");
    await wait(writeFrame(conn, frameOf(payloadOf({ t: "pake_confirm", confirm }))), "no write");
  }
  if (!(await got("admitted"))) {
    return fault(`no admitted (${JSON.stringify(replies.seen.at(-1))})`);
  }
  tally.admissions++;
  return true;
}

/**
 * Plays a session against `port` as `player`. Frames go out in batches: clean frames
 * pipelined, then at most one other frame, then a probe; the client waits for the probe's reply
 * or the server's close (raced against `boundMs`), so it knows every frame it counts was read.
 * A frame after which the framing is lost ends its connection (a half-close, then the server
 * must close). When the server closes, the rest of the session goes on a new connection. At a
 * tracker, a connection that opens with the clean hello is admitted first (the PAKE of a
 * private network), the frames after that.
 *
 * @throws {Hang} when the server neither answered nor closed in time.
 */
export async function playSession(
  port: number,
  target: "tracker" | "peer",
  vocab: Vocabulary,
  s: Session,
  tally: Tally,
  boundMs: number,
  label: string,
  player: Player,
): Promise<void> {
  tally.sessions++;
  let next = 0;
  const hello = fillMember(s.hello, player.member);
  let opening = s.opening.map((f) => fillMember(f, player.member));
  let openingClean = s.openingClean;
  while (next < s.frames.length) {
    const conn = await connectTls(port, player);
    tally.connections++;
    const where = `${label}, connection ${tally.connections}`;
    const replies = new Replies(conn, tally, where);
    let open = true;
    let first = true;
    const wait = async <T>(p: Promise<T>, what: string): Promise<T> => {
      const t0 = performance.now();
      const out = await within(p, boundMs, () => `${where}: ${what}`);
      tally.slowestMs = Math.max(tally.slowestMs, performance.now() - t0);
      return out;
    };
    try {
      if (target === "tracker" && openingClean) {
        // The frames come after the admission, which is not fuzzed here.
        first = false;
        if (!(await admit(conn, replies, hello, player, wait, tally, where))) return;
      }
      while (open && next < s.frames.length) {
        const batch: Uint8Array[] = first ? [...opening] : [];
        let taken = 0;
        let desync = false;
        if (!first || openingClean || opening.length === 0) {
          while (next + taken < s.frames.length && taken < BATCH) {
            const f = s.frames[next + taken++];
            batch.push(f.bytes);
            if (f.kind !== "clean") {
              desync = f.kind === "desync";
              break;
            }
          }
        }
        first = false;
        const p = desync
          ? undefined
          : probe(target, vocab, tally.probes, replies.count + batch.length);
        let written = 0;
        const writes = async () => {
          try {
            for (const f of p ? [...batch, p.bytes] : batch) {
              await writeFrame(conn, f, s.cut);
              if (written < batch.length) tally.bytes += f.length;
              written++;
            }
            if (desync) await conn.closeWrite();
          } catch {
            // The server closed the connection, or reset it.
          }
        };
        await wait(writes(), "a write did not complete");
        const answered = p !== undefined && written > batch.length &&
          await wait(replies.until(p.answered), "no reply to the probe, and no close");
        // A connection refused as too many read nothing.
        const busy = replies.first?.t === "error" && replies.first.code === "BUSY";
        if (busy && replies.count === 1 && !answered) tally.refused++;
        else tally.frames += Math.min(written, batch.length);
        if (answered) tally.probes++;
        next += taken;
        if (!answered) open = false;
      }
      if (!open || s.end !== "drop") {
        if (open && s.end === "half") await conn.closeWrite().catch(() => {});
        const how = await wait(replies.ended, "the server did not close");
        tally.count(tally.endings, open && s.end === "hold" ? `held open, ${how}` : how);
      } else {
        tally.count(tally.endings, "dropped by the client");
      }
    } finally {
      conn.close();
      await replies.ended;
    }
    opening = [hello];
    openingClean = true;
  }
}
