/**
 * The wire messages: one declaration per message, from which both its TypeScript type and its
 * runtime check come, and pure `encodeMessage` / `decodeMessage` over frame payloads. Every
 * message is a UTF-8 JSON object whose `t` field names its type. docs/PROTOCOL.md is the
 * specification; this file is its implementation.
 *
 * Decoding is the gate for everything a peer or the tracker sends: unknown fields are dropped
 * (nothing a peer adds is ever stored or echoed), every name is checked against the rule of
 * `core/names.ts`, and in lists of file summaries an entry that fails its check is left out.
 */
import * as v from "valibot";
import { REACH_RESULTS } from "./tracker_reach.ts";
import {
  consistent,
  Count,
  DESCRIPTOR_FIELDS,
  FileSummary,
  Hash,
  isNameIssue,
  ShareName,
} from "../core/content.ts";
import { RedeError, WIRE_CODES } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { BoxName, RECEIPT_FIELDS } from "../core/receipt.ts";
import { remoteText } from "../core/terminal.ts";
import {
  MAX_FIND_TEXT_CHARS,
  MAX_FRAME_BYTES,
  MAX_HAND_IN_FILES,
  MAX_HEARTBEAT_MS,
  MAX_PEER_NAME_CHARS,
  MAX_REMOTE_TEXT_CHARS,
  MIN_HEARTBEAT_MS,
  PROTOCOL_APP,
  PROTOCOL_VERSION,
  PUSH_MAX_FILES,
} from "../core/limits.ts";

export type { FileSummary } from "../core/content.ts";

const Role = v.picklist(["tracker", "peer", "client"]);
export type Role = v.InferOutput<typeof Role>;

const Port = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535));

/** An IP address as the tracker saw it: IPv4, or IPv6 with an optional zone; nothing else. */
const Ip = v.pipe(v.string(), v.regex(/^[0-9A-Za-z:.%_-]{1,64}$/, "not an IP address"));

/** An identity's ID: the SHA-256 of its certificate, 64 lower-case hex digits. */
const Id = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, "not an identity"));

/** Where a peer can be reached, and the identity the tracker saw it with. */
const PeerAddress = v.object({ ip: Ip, port: Port, id: Id });
export type PeerAddress = v.InferOutput<typeof PeerAddress>;

/**
 * A peer's name as a tracker gives it. A tracker sends names that keep the rule of
 * `core/peer_name.ts`, unique on its network; whatever one sends is made printable and cut here.
 */
const ListedName = v.pipe(
  v.string(),
  v.transform((name) => remoteText(name, MAX_PEER_NAME_CHARS) || "?"),
);

/** A peer as the tracker lists it: the address it saw, the port the peer listens on. */
const PeerInfo = v.object({ ip: Ip, port: Port, id: Id, name: ListedName, files: Count });
export type PeerInfo = v.InferOutput<typeof PeerInfo>;

/**
 * A holder of a content: its address, its name (a tracker that settles names sends it), and
 * `have`, its chunks, when it holds it in part.
 */
const Holder = v.object({
  ...PeerAddress.entries,
  name: v.optional(ListedName),
  have: v.optional(Count),
});
export type Holder = v.InferOutput<typeof Holder>;

/** A content a peer holds in part (a download under way): how many of its chunks it has. */
const PartialHolding = v.object({ root: Hash, size: Count, have: Count });
export type PartialHolding = v.InferOutput<typeof PartialHolding>;

/**
 * A have-map: bit `i` (the most significant bit of byte `i >> 3` first) says the sender has
 * chunk `i`; base64. At most 64 KiB of map (half a million chunks, 2 TiB of content).
 */
const HaveMap = v.pipe(
  v.string(),
  v.maxLength(87_384),
  v.regex(/^[A-Za-z0-9+/]*={0,2}$/, "not a have-map"),
);

/** A search result: one content (root), the name it goes by, and who holds it. */
const FoundFile = v.object({ ...FileSummary.entries, peers: v.array(PeerAddress) });
export type FoundFile = v.InferOutput<typeof FoundFile>;

/** A list whose entries are checked one by one: an entry that fails is left out. */
function listOf<T extends v.GenericSchema>(entry: T) {
  return v.pipe(
    v.array(v.unknown()),
    v.transform((items) =>
      items.flatMap((item) => {
        const r = v.safeParse(entry, item);
        return r.success ? [r.output as v.InferOutput<T>] : [];
      })
    ),
  );
}
const Summaries = listOf(FileSummary);

/** The secret a tracker hands a peer in `registered`, which proves a reconnect is that peer. */
const Token = v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/, "not a registration token"));

const msg = <T extends string, E extends v.ObjectEntries>(t: T, entries: E) =>
  v.object({ t: v.literal(t), ...entries });

/** A tracker's signed statement that an identity is a member (`net/membership.ts`). */
const Membership = v.object({
  net: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/, "not a network")),
  sig: v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/=]{8,200}$/, "not a signature")),
});

/** A certificate (DER, base64): a self-signed P-256 one is about 550 characters. */
const Cert = v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/=]{16,4096}$/, "not a certificate"));

/** 32 bytes in hex: a PAKE share or a key-confirmation tag. */
const Hex32 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, "not 32 bytes of hex"));

/** What a push target tells the pusher of its offer (docs/PROTOCOL.md, Push). */
export const PUSH_STATES = [
  "asked",
  "accepted",
  "declined",
  "downloading",
  "done",
  "failed",
] as const;
export type PushState = (typeof PUSH_STATES)[number];

/** Every message, by type. */
const MESSAGES = {
  hello: msg("hello", {
    app: v.string(),
    v: Count,
    role: Role,
    // From a tracker: how it admits ("code": the PAKE below; "open": anyone), and the PAKE's
    // session id. Between peers: each side's membership.
    access: v.optional(v.picklist(["code", "open"])),
    sid: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/, "not a session id"))),
    member: v.optional(Membership),
    // From a client to a peer: its certificate, and its signature of both IDs (`peer_tls.ts`).
    cert: v.optional(Cert),
    proof: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/=]{8,200}$/, "not a proof"))),
  }),
  // The join code's PAKE (CPace), tracker side: peer `pake`, tracker `pake_reply`, peer
  // `pake_confirm`, then `admitted` or `error` WRONG_CODE.
  pake: msg("pake", { share: Hex32 }),
  pake_reply: msg("pake_reply", { share: Hex32, confirm: Hex32 }),
  pake_confirm: msg("pake_confirm", { confirm: Hex32 }),
  admitted: msg("admitted", { member: Membership }),
  // An unknown code is read as INTERNAL; the text is made printable where it is shown.
  error: msg("error", {
    code: v.fallback(v.picklist(WIRE_CODES), "INTERNAL"),
    message: v.string(),
  }),
  register: msg("register", {
    port: Port,
    name: v.string(),
    files: Summaries,
    token: v.optional(Token),
  }),
  registered: msg("registered", {
    ip: Ip,
    port: Port,
    // The name the tracker gave: the one asked for, or another when it was taken. A tracker that
    // does not settle names leaves it out (the peer keeps the one it asked for).
    name: v.optional(ListedName),
    token: Token,
    heartbeat_ms: v.pipe(
      v.number(),
      v.integer(),
      v.minValue(MIN_HEARTBEAT_MS),
      v.maxValue(MAX_HEARTBEAT_MS),
    ),
  }),
  heartbeat: msg("heartbeat", {}),
  announce: msg("announce", { files: Summaries }),
  peers: msg("peers", {}),
  peer_list: msg("peer_list", { peers: v.array(PeerInfo), total: Count }),
  find: msg("find", { text: v.pipe(v.string(), v.maxLength(MAX_FIND_TEXT_CHARS)) }),
  found: msg("found", { results: listOf(FoundFile) }),
  // The certificate of a listed peer, which a client needs to reach it (`peer_tls.ts`).
  cert_of: msg("cert_of", { id: Id }),
  cert: msg("cert", { id: Id, cert: Cert }),
  who_has: msg("who_has", { root: Hash }),
  holders: msg("holders", { root: Hash, peers: v.array(Holder) }),
  // Swarming: the contents a peer holds in part (replaces its last list; no reply), and the
  // chunks a peer has of a content, asked of it directly.
  partials: msg("partials", { list: listOf(PartialHolding) }),
  have: msg("have", { root: Hash }),
  have_map: msg("have_map", { root: Hash, map: HaveMap }),
  // The connect-back check (`rede-p2p doctor`): the tracker connects to `port` at the address
  // this connection comes from, and says what it saw (`net/tracker_reach.ts`).
  reach: msg("reach", { port: Port }),
  reached: msg("reached", {
    ip: Ip,
    port: Port,
    result: v.picklist(REACH_RESULTS),
    ms: Count,
    // The tracker's clock (ms since 1970, UTC), for a check of this machine's.
    time: Count,
  }),
  bye: msg("bye", {}),
  list: msg("list", {}),
  file_list: msg("file_list", { files: Summaries }),
  describe: msg("describe", { name: v.optional(ShareName), root: v.optional(Hash) }),
  descriptor: v.pipe(msg("descriptor", { ...DESCRIPTOR_FIELDS, name: ShareName }), consistent()),
  chunk: msg("chunk", { root: Hash, index: Count }),
  chunk_data: msg("chunk_data", { root: Hash, index: Count, size: Count }),
  // Before the `chunk_data` of a request that waits for an upload slot, and again as it moves up.
  queued: msg("queued", { root: Hash, index: Count, position: v.pipe(Count, v.minValue(1)) }),
  // Hand-in (issue 9): a member hands files in to a drop box; for each, in the order they are
  // in, the collector answers a signed `receipt` or `not_received` (docs/PROTOCOL.md, Hand-in).
  hand_in: msg("hand_in", {
    box: BoxName,
    files: v.pipe(v.array(FileSummary), v.minLength(1), v.maxLength(MAX_HAND_IN_FILES)),
  }),
  receipt: msg("receipt", RECEIPT_FIELDS),
  not_received: msg("not_received", {
    name: ShareName,
    code: v.fallback(v.picklist(WIRE_CODES), "INTERNAL"),
    message: v.string(),
  }),
  // Push: a file (or a folder's files) offered to a peer, which answers with its state on the
  // same connection until it has the files or gives up. Every entry must pass: one unsafe name
  // refuses the whole offer.
  offer: msg("offer", {
    name: ShareName,
    files: v.pipe(
      v.array(FileSummary),
      v.minLength(1, "an offer needs a file"),
      v.maxLength(PUSH_MAX_FILES, `an offer has at most ${PUSH_MAX_FILES} files`),
    ),
  }),
  push_status: msg("push_status", {
    state: v.picklist(PUSH_STATES),
    received: Count,
    size: Count,
    message: v.optional(v.pipe(v.string(), v.maxLength(MAX_REMOTE_TEXT_CHARS))),
  }),
};

type Schemas = typeof MESSAGES;
export type MessageType = keyof Schemas;
export type Message = { [T in MessageType]: v.InferOutput<Schemas[T]> }[MessageType];
export type MessageOf<T extends MessageType> = v.InferOutput<Schemas[T]>;

export type Membership = v.InferOutput<typeof Membership>;

/** The hello each side sends first, with what it adds (a membership, a tracker's access). */
export function hello(
  role: Role,
  extra: Pick<MessageOf<"hello">, "access" | "sid" | "member" | "cert" | "proof"> = {},
): MessageOf<"hello"> {
  return { t: "hello", app: PROTOCOL_APP, v: PROTOCOL_VERSION, role, ...extra };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Encodes a message as a frame payload. */
export function encodeMessage(m: Message): Uint8Array {
  return encoder.encode(JSON.stringify(m));
}

/**
 * Decodes and checks a frame payload.
 *
 * @param payload The bytes of one frame.
 * @returns The message: every field of its type present and well typed, nothing else.
 * @throws {RedeError} `BAD_NAME` when a name breaks the naming rule (the frame was whole, so the
 * connection can go on); `BAD_FRAME` for anything else that is not a known, well-formed message.
 */
export function decodeMessage(payload: Uint8Array): Message {
  if (payload.length > MAX_FRAME_BYTES) {
    throw new RedeError("FRAME_TOO_LARGE", t("net.message.tooLarge"));
  }
  if (tooDense(payload)) {
    throw new RedeError("BAD_FRAME", t("net.message.dense"));
  }
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(payload));
  } catch {
    throw new RedeError("BAD_FRAME", t("net.message.notJson"));
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RedeError("BAD_FRAME", t("net.message.notObject"));
  }
  const type = (value as { t?: unknown }).t;
  if (typeof type !== "string" || !Object.hasOwn(MESSAGES, type)) {
    // Only a string is quoted: `String()` of a deeply nested array overflows the stack, and of
    // an object with a `toString` field throws.
    const shown = typeof type === "string" ? type : type === null ? "null" : typeof type;
    throw new RedeError("BAD_FRAME", t("net.message.unknownType", { type: remoteText(shown) }));
  }
  const parsed = v.safeParse(MESSAGES[type as MessageType], value);
  if (parsed.success) return parsed.output as Message;
  const issues = parsed.issues;
  if (issues.every(isNameIssue)) throw new RedeError("BAD_NAME", issues[0].message);
  // The issue may quote what was sent, which can be megabytes: it is cut like any remote text.
  const where = v.getDotPath(issues[0]);
  const detail = remoteText(`${where ? `${where}: ` : ""}${issues[0].message}`);
  throw new RedeError("BAD_FRAME", t("net.message.malformed", { type, detail }));
}

/** Bytes of JSON per object or array a message may have at least (a summary takes ~100). */
const BYTES_PER_CONTAINER = 16;

/**
 * Whether a payload opens more objects and arrays (outside strings) than one per
 * {@link BYTES_PER_CONTAINER} bytes: no message of the protocol does, and parsing such a payload
 * would cost many times its size in memory (`{},{},…`), so it is refused before parsing.
 */
function tooDense(payload: Uint8Array): boolean {
  const allowed = 8 + payload.length / BYTES_PER_CONTAINER;
  let containers = 0;
  let inString = false;
  for (let i = 0; i < payload.length; i++) {
    const b = payload[i];
    if (inString) {
      if (b === 0x5c) i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if ((b === 0x7b || b === 0x5b) && ++containers > allowed) return true;
  }
  return false;
}
