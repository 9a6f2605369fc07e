/**
 * Small I/O helpers every floor uses: read exactly N bytes, write all, write a JSON file
 * atomically, and run tasks one after another.
 */
import { basename, dirname, join } from "node:path";

/** Anything bytes can be read from: `Deno.Conn` and `Deno.FsFile` among them. */
export interface ByteReader {
  read(p: Uint8Array): Promise<number | null>;
}

/** Anything bytes can be written to: `Deno.Conn` and `Deno.FsFile` among them. */
export interface ByteWriter {
  write(p: Uint8Array): Promise<number>;
}

/**
 * Reads exactly `buf.length` bytes, however many reads the source needs, unless it ends first.
 *
 * @returns How many bytes were read: `buf.length` unless the source ended first.
 */
export async function readFull(src: ByteReader, buf: Uint8Array): Promise<number> {
  let filled = 0;
  while (filled < buf.length) {
    const n = await src.read(buf.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return filled;
}

/** Writes all of `data`, however many calls the writer needs. */
export async function writeAll(dst: ByteWriter, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await dst.write(data.subarray(off));
}

let tmpCounter = 0;

/**
 * Writes `value` as JSON to `path` so that a reader (or a crash) sees the old file or the new
 * one, never half of one: a temporary file beside it, flushed, then renamed over it.
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${Deno.pid}.${tmpCounter++}.tmp`);
  try {
    using file = await Deno.open(tmp, { write: true, create: true, truncate: true });
    await writeAll(file, new TextEncoder().encode(JSON.stringify(value)));
    await file.sync();
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
  await Deno.rename(tmp, path);
}

/** Runs tasks one after another, in the order they were given; one failing does not stop the rest. */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` once every task given before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.catch(() => {});
    return run;
  }

  /** Settles once every task given so far has settled. */
  idle(): Promise<void> {
    return this.#tail.then(() => {});
  }
}
