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
import { z } from "zod";
import {
  BAD_NAME_ISSUE,
  consistent,
  Count,
  DescriptorFields,
  FileSummary,
  Hash,
  ShareName,
} from "../core/content.ts";
import { RedeError, WIRE_CODES } from "../core/errors.ts";
import {
  MAX_FRAME_BYTES,
  MAX_HEARTBEAT_MS,
  MIN_HEARTBEAT_MS,
  PROTOCOL_APP,
  PROTOCOL_VERSION,
} from "../core/limits.ts";

export type { FileSummary } from "../core/content.ts";

const Role = z.enum(["tracker", "peer", "client"]);
export type Role = z.output<typeof Role>;

const Port = z.int().min(1).max(65535);

/** Where a peer can be reached. */
const PeerAddress = z.object({ ip: z.string(), port: Port });
export type PeerAddress = z.output<typeof PeerAddress>;

/** A peer as the tracker lists it: the address it saw, the port the peer listens on. */
const PeerInfo = z.object({ ip: z.string(), port: Port, name: z.string(), files: Count });
export type PeerInfo = z.output<typeof PeerInfo>;

/** A search result: one content (root), the name it goes by, and who holds it. */
const FoundFile = FileSummary.extend({ peers: z.array(PeerAddress) });
export type FoundFile = z.output<typeof FoundFile>;

/** A list whose entries are checked one by one: an entry that fails is left out. */
function listOf<T extends z.ZodType>(entry: T) {
  return z.array(z.unknown()).transform((items) =>
    items.flatMap((item) => {
      const r = entry.safeParse(item);
      return r.success ? [r.data as z.output<T>] : [];
    })
  );
}
const Summaries = listOf(FileSummary);

const msg = <T extends string, S extends z.ZodRawShape>(t: T, shape: S) =>
  z.object({ t: z.literal(t), ...shape });

/** Every message, by type. */
const MESSAGES = {
  hello: msg("hello", { app: z.string(), v: Count, role: Role }),
  // An unknown code is read as INTERNAL; the text is made printable where it is shown.
  error: msg("error", { code: z.enum(WIRE_CODES).catch("INTERNAL"), message: z.string() }),
  register: msg("register", { port: Port, name: z.string(), files: Summaries }),
  registered: msg("registered", {
    ip: z.string(),
    port: Port,
    heartbeat_ms: z.int().min(MIN_HEARTBEAT_MS).max(MAX_HEARTBEAT_MS),
  }),
  heartbeat: msg("heartbeat", {}),
  announce: msg("announce", { files: Summaries }),
  peers: msg("peers", {}),
  peer_list: msg("peer_list", { peers: z.array(PeerInfo) }),
  find: msg("find", { text: z.string() }),
  found: msg("found", { results: listOf(FoundFile) }),
  who_has: msg("who_has", { root: Hash }),
  holders: msg("holders", { root: Hash, peers: z.array(PeerAddress) }),
  bye: msg("bye", {}),
  list: msg("list", {}),
  file_list: msg("file_list", { files: Summaries }),
  describe: msg("describe", { name: ShareName.optional(), root: Hash.optional() }),
  descriptor: consistent(DescriptorFields.extend({ t: z.literal("descriptor"), name: ShareName })),
  chunk: msg("chunk", { root: Hash, index: Count }),
  chunk_data: msg("chunk_data", { root: Hash, index: Count, size: Count }),
};

type Schemas = typeof MESSAGES;
export type MessageType = keyof Schemas;
export type Message = { [T in MessageType]: z.output<Schemas[T]> }[MessageType];
export type MessageOf<T extends MessageType> = z.output<Schemas[T]>;

/** The hello each side sends first. */
export function hello(role: Role): MessageOf<"hello"> {
  return { t: "hello", app: PROTOCOL_APP, v: PROTOCOL_VERSION, role };
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
    throw new RedeError("FRAME_TOO_LARGE", "Cannot decode message: payload too large");
  }
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(payload));
  } catch {
    throw new RedeError("BAD_FRAME", "Cannot decode message: payload is not UTF-8 JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RedeError("BAD_FRAME", "Cannot decode message: payload is not a JSON object");
  }
  const t = (value as { t?: unknown }).t;
  if (typeof t !== "string" || !Object.hasOwn(MESSAGES, t)) {
    throw new RedeError(
      "BAD_FRAME",
      `Cannot decode message: unknown type '${String(t).slice(0, 40)}'`,
    );
  }
  const parsed = MESSAGES[t as MessageType].safeParse(value);
  if (parsed.success) return parsed.data as Message;
  const issues = parsed.error.issues;
  if (issues.every((i) => i.code === "custom" && i.params?.rede === BAD_NAME_ISSUE)) {
    throw new RedeError("BAD_NAME", issues[0].message);
  }
  const where = issues[0].path.join(".");
  throw new RedeError(
    "BAD_FRAME",
    `Cannot decode message: malformed '${t}' (${where ? `${where}: ` : ""}${issues[0].message})`,
  );
}
