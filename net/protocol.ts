/**
 * Typed protocol messages: pure `encodeMessage` / `decodeMessage` over frame payloads.
 * Every message is a UTF-8 JSON object whose `t` field names its type. docs/PROTOCOL.md
 * is the specification; this file is its implementation.
 */
import { type ErrorCode, RedeError } from "./errors.ts";
import { MAX_FRAME_BYTES, PROTOCOL_APP, PROTOCOL_VERSION } from "./limits.ts";

export type Role = "tracker" | "peer" | "client";

/** A peer as the tracker lists it: the address it saw, the port the peer listens on. */
export interface PeerInfo {
  ip: string;
  port: number;
  name: string;
  /** How many files it shares. */
  files: number;
}

/** Where a peer can be reached. */
export interface PeerAddress {
  ip: string;
  port: number;
}

/** A shared file as a peer lists it: name, size and root hash. */
export interface FileSummary {
  name: string;
  size: number;
  root: string;
}

/** A search result: one content (root), the name it goes by, and who holds it. */
export interface FoundFile extends FileSummary {
  peers: PeerAddress[];
}

export type Message =
  | { t: "hello"; app: string; v: number; role: Role }
  | { t: "error"; code: ErrorCode; message: string }
  | { t: "register"; port: number; name: string; files: FileSummary[] }
  | { t: "registered"; ip: string; port: number; heartbeat_ms: number }
  | { t: "heartbeat" }
  | { t: "announce"; files: FileSummary[] }
  | { t: "peers" }
  | { t: "peer_list"; peers: PeerInfo[] }
  | { t: "find"; text: string }
  | { t: "found"; results: FoundFile[] }
  | { t: "who_has"; root: string }
  | { t: "holders"; root: string; peers: PeerAddress[] }
  | { t: "bye" }
  | { t: "list" }
  | { t: "file_list"; files: FileSummary[] }
  | { t: "describe"; name?: string; root?: string }
  | {
    t: "descriptor";
    name: string;
    size: number;
    chunk_size: number;
    root: string;
    chunks: string[];
  }
  | { t: "chunk"; root: string; index: number }
  | { t: "chunk_data"; root: string; index: number; size: number };

export type MessageType = Message["t"];
export type MessageOf<T extends MessageType> = Extract<Message, { t: T }>;

/** The hello each side sends first. */
export function hello(role: Role): MessageOf<"hello"> {
  return { t: "hello", app: PROTOCOL_APP, v: PROTOCOL_VERSION, role };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Encodes a message as a frame payload. */
export function encodeMessage(msg: Message): Uint8Array {
  return encoder.encode(JSON.stringify(msg));
}

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === "string";
const uint: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const port: Check = (v) => Number.isInteger(v) && (v as number) > 0 && (v as number) < 65536;
const hex64: Check = (v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
const arrayOf = (item: Check): Check => (v) => Array.isArray(v) && v.every(item);
const shape = (fields: Record<string, Check>): Check => (v) => shapeOk(v, fields);
const optional = (check: Check): Check => (v) => v === undefined || check(v);

function shapeOk(v: unknown, fields: Record<string, Check>): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return Object.entries(fields).every(([k, check]) => check(o[k]));
}

const ADDRESS = { ip: str, port };
const SUMMARY = { name: str, size: uint, root: hex64 };
const SUMMARIES = arrayOf(shape(SUMMARY));

/** The fields each message type must carry, and their checks. */
const SHAPES: Record<MessageType, Record<string, Check>> = {
  hello: { app: str, v: uint, role: (v) => v === "tracker" || v === "peer" || v === "client" },
  error: { code: str, message: str },
  register: { port, name: str, files: SUMMARIES },
  registered: { ip: str, port, heartbeat_ms: uint },
  heartbeat: {},
  announce: { files: SUMMARIES },
  peers: {},
  peer_list: { peers: arrayOf(shape({ ...ADDRESS, name: str, files: uint })) },
  find: { text: str },
  found: { results: arrayOf(shape({ ...SUMMARY, peers: arrayOf(shape(ADDRESS)) })) },
  who_has: { root: hex64 },
  holders: { root: hex64, peers: arrayOf(shape(ADDRESS)) },
  bye: {},
  list: {},
  file_list: { files: SUMMARIES },
  describe: { name: optional(str), root: optional(hex64) },
  descriptor: { name: str, size: uint, chunk_size: uint, root: hex64, chunks: arrayOf(hex64) },
  chunk: { root: hex64, index: uint },
  chunk_data: { root: hex64, index: uint, size: uint },
};

/**
 * Decodes and checks a frame payload.
 *
 * @param payload The bytes of one frame.
 * @returns The message, with every field of its type present and well typed.
 * @throws {RedeError} `BAD_FRAME` for anything that is not a known, well-formed message.
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
  if (typeof t !== "string" || !Object.hasOwn(SHAPES, t)) {
    throw new RedeError("BAD_FRAME", `Cannot decode message: unknown type '${String(t)}'`);
  }
  if (!shapeOk(value, SHAPES[t as MessageType])) {
    throw new RedeError("BAD_FRAME", `Cannot decode message: malformed '${t}'`);
  }
  return value as Message;
}
