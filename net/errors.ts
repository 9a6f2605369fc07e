/** Stable error codes, sent on the wire and used by callers to decide what to do. */
export type ErrorCode =
  | "BAD_FRAME"
  | "FRAME_TOO_LARGE"
  | "BAD_HELLO"
  | "VERSION_MISMATCH"
  | "BAD_REQUEST"
  | "BAD_NAME"
  | "NOT_FOUND"
  | "BUSY"
  | "TIMEOUT"
  | "UNREACHABLE"
  | "CLOSED"
  | "HASH_MISMATCH"
  | "CANCELLED"
  | "INTERNAL";

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

/** The one-line text of any error; what is shown to the user. */
export function errorLine(err: unknown): string {
  if (err instanceof RedeError) return err.message;
  if (err instanceof Deno.errors.ConnectionRefused) return "Connection refused";
  if (err instanceof Deno.errors.AddrInUse) return "Address already in use";
  if (err instanceof Error) return err.message.split("\n")[0];
  return String(err);
}
