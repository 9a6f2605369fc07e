/**
 * Errors meant for the user: one clear line and a stable code. Codes that travel on the wire
 * (in an `error` message) are kept apart from codes that only ever name a local failure; the
 * channel maps between the two (`net/channel.ts`), so a local code never reaches another peer.
 */
import { type MessageKey, t } from "./i18n.ts";

/** Codes an `error` message may carry; docs/PROTOCOL.md lists what each means. */
export const WIRE_CODES = [
  "BAD_FRAME",
  "FRAME_TOO_LARGE",
  "BAD_HELLO",
  "VERSION_MISMATCH",
  "BAD_REQUEST",
  "BAD_NAME",
  "NOT_FOUND",
  "BUSY",
  "TIMEOUT",
  "INTERNAL",
  /** Tracker: that address and port is registered by another live connection (issue 7). */
  "TAKEN",
  /** Tracker: the join code did not match (the PAKE's key confirmation failed; issue 8). */
  "WRONG_CODE",
  /** Peer: the client shows no valid membership of this network (issue 8). */
  "NOT_MEMBER",
  /** Peer: no open drop box of that name for a hand-in (issue 9). */
  "NO_BOX",
] as const;
export type WireCode = (typeof WIRE_CODES)[number];

/** Codes of failures seen only here, never sent. */
export const LOCAL_CODES = [
  /** A host could not be reached, or a listener not opened. */
  "UNREACHABLE",
  /** A connection ended under a request. */
  "CLOSED",
  /** A chunk did not match its hash. */
  "HASH_MISMATCH",
  /** The user cancelled. */
  "CANCELLED",
  /** The other side broke the protocol (an unexpected or inconsistent message). */
  "BAD_PEER",
  /** What the user typed names nothing usable (a host, a port, a row). */
  "BAD_INPUT",
  /** The local disk is full, or has no room for a file. */
  "NO_SPACE",
  /** The other side's identity is not the one expected (a pinned tracker, a listed peer). */
  "IDENTITY",
] as const;
export type LocalCode = (typeof LOCAL_CODES)[number];

export type ErrorCode = WireCode | LocalCode;

/** Whether a code may travel on the wire. */
export function isWireCode(code: string): code is WireCode {
  return (WIRE_CODES as readonly string[]).includes(code);
}

/**
 * An error meant for the user: one clear line, a stable code, and the cause kept for `--verbose`.
 */
export class RedeError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RedeError";
    this.code = code;
  }
}

/** Whether `err` is a {@link RedeError} with one of `codes`. */
export function hasCode(err: unknown, ...codes: ErrorCode[]): err is RedeError {
  return err instanceof RedeError && codes.includes(err.code);
}

/** The system errors whose text is in the catalogues, by their POSIX code. */
const OS_ERRORS: Readonly<Record<string, Extract<MessageKey, `core.os.${string}`>>> = {
  ENOENT: "core.os.notFound",
  EACCES: "core.os.permissionDenied",
  EPERM: "core.os.permissionDenied",
  EEXIST: "core.os.alreadyExists",
  EISDIR: "core.os.isDirectory",
  ENOTDIR: "core.os.notDirectory",
  ENOSPC: "core.os.noSpace",
  ECONNRESET: "core.os.connectionReset",
  EPIPE: "core.os.brokenPipe",
  ETIMEDOUT: "core.os.timedOut",
};

/**
 * A system error as Deno words it (`No such file or directory (os error 2): readfile '/x'`) in
 * the current language, its operation and path kept; `undefined` for any other text.
 */
function osErrorLine(err: Error, line: string): string | undefined {
  const code = String((err as { code?: unknown }).code);
  const key = Object.hasOwn(OS_ERRORS, code) ? OS_ERRORS[code] : undefined;
  const m = /^[^(]*\(os error (\d+)\)(.*)$/.exec(line);
  return key && m ? t(key, { code: m[1], detail: m[2] }) : undefined;
}

/** The one-line text of any error; what is shown to the user. */
export function errorLine(err: unknown): string {
  if (err instanceof RedeError) return err.message;
  if (err instanceof Deno.errors.ConnectionRefused) return t("error.connectionRefused");
  if (err instanceof Deno.errors.AddrInUse) return t("error.addressInUse");
  if (err instanceof Error) {
    const line = err.message.split("\n")[0];
    return osErrorLine(err, line) ?? line;
  }
  return String(err);
}
