/**
 * `--json`: one JSON document on standard output for a verb's result, and a failure as
 * `{"error": {"code", "message"}}` on standard error (docs/JSON.md). Values are raw (bytes as
 * numbers, whole roots and IDs), names as they are: the escaping of JSON, widened to every
 * character the terminal sanitiser escapes (C0 and C1 controls, DEL, bidirectional marks, line
 * and paragraph separators), keeps raw control characters from ever reaching a terminal.
 */
import { errorLine, RedeError } from "../core/errors.ts";
import type { FetchEvent, Job } from "../app/fetch.ts";
import { UsageError } from "./_command.ts";

/** Characters JSON.stringify leaves raw that must not reach a terminal. */
const UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A value as JSON text, two spaces of indent, nothing a terminal would act on. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Writes one document and a newline on standard output. */
export function printJson(value: unknown): void {
  writeAll(Deno.stdout, jsonText(value) + "\n");
}

/** Writes a failure as one document on standard error. */
export function printJsonError(err: unknown): void {
  writeAll(Deno.stderr, jsonText(errorDoc(err)) + "\n");
}

/**
 * The document of a failure: its code (`USAGE` for a usage mistake, the `RedeError` code, the
 * system's code such as `ENOENT`, else `ERROR`) and its one-line text in the user's language.
 */
export function errorDoc(err: unknown): { error: { code: string; message: string } } {
  let code = "ERROR";
  if (err instanceof UsageError) code = "USAGE";
  else if (err instanceof RedeError) code = err.code;
  else if (err instanceof Deno.errors.ConnectionRefused) code = "UNREACHABLE";
  else if (typeof (err as { code?: unknown })?.code === "string") {
    code = (err as { code: string }).code;
  }
  return { error: { code, message: errorLine(err) } };
}

function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = new TextEncoder().encode(text);
  let off = 0;
  while (off < bytes.length) off += stream.writeSync(bytes.subarray(off));
}

/** One file of `get --json` (docs/JSON.md). */
interface FetchedDoc {
  name: string;
  status: "saved" | "skipped" | "failed";
  saved_as?: string;
  size?: number;
  root?: string;
  ms?: number;
  resumed?: number;
  adopted?: boolean;
  sources?: { source: string; bytes: number }[];
  here?: string;
  error?: { code: string; message: string };
}

/**
 * The result of `get --json`, built from the engine's events: `hear` takes them, `files` gives
 * one entry per job, in the order asked.
 */
export function fetchDoc(jobs: Job[]): { hear: (e: FetchEvent) => void; files(): FetchedDoc[] } {
  const docs = new Map<Job, FetchedDoc>(
    jobs.map((j) => [j, { name: j.name, status: "failed", ...(j.root ? { root: j.root } : {}) }]),
  );
  return {
    hear: (e) => {
      const doc = docs.get(e.job);
      if (!doc) return;
      if (e.kind === "skipped") Object.assign(doc, { status: "skipped", here: e.here });
      else if (e.kind === "failed") doc.error = errorDoc(e.error).error;
      else if (e.kind === "started") doc.size = e.size;
      else if (e.kind === "adopted" || e.kind === "saved") {
        doc.status = "saved";
        doc.saved_as = e.name;
        doc.size = e.desc.size;
        doc.root = e.desc.root;
        if (e.kind === "adopted") doc.adopted = true;
        else {
          doc.ms = Math.round(e.ms);
          doc.resumed = e.resumed;
          doc.sources = [...e.bySource].map(([source, bytes]) => ({ source, bytes }));
        }
      }
    },
    files: () => [...docs.values()],
  };
}
