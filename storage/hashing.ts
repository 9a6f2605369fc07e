/**
 * SHA-256 of files on disk, and a hasher that runs on another thread so that verifying a
 * download does not sit on the copy path.
 */
import { createHash } from "node:crypto";
import { IO_BUFFER_BYTES } from "../net/limits.ts";

/**
 * Hashes a file without holding it in memory.
 *
 * @param path The file.
 * @returns Its SHA-256, lower-case hex.
 */
export async function hashFile(path: string): Promise<string> {
  using file = await Deno.open(path, { read: true });
  const hash = createHash("sha256");
  const buf = new Uint8Array(IO_BUFFER_BYTES);
  while (true) {
    const n = await file.read(buf);
    if (n === null) break;
    hash.update(buf.subarray(0, n));
  }
  return hash.digest("hex");
}

// The worker is built from source text so that `deno bundle` and `deno compile` carry it inside
// the one file: a worker module on disk would be left behind by both.
const WORKER_SOURCE = `
import { createHash } from "node:crypto";
const hash = createHash("sha256");
self.onmessage = (e) => {
  const m = e.data;
  if (m.done) { self.postMessage({ digest: hash.digest("hex") }); return; }
  hash.update(new Uint8Array(m.buf, 0, m.n));
  self.postMessage({ buf: m.buf }, [m.buf]);
};
`;
let workerUrl: string | undefined;

/**
 * Hashes a sequence of buffers on a worker thread. Each buffer is transferred to the worker
 * (no copy) and handed back, in order, once hashed.
 */
export class ThreadedHasher {
  #worker: Worker;
  #pending: { resolve: (b: ArrayBuffer) => void; reject: (e: Error) => void }[] = [];
  #digest?: { resolve: (hex: string) => void; reject: (e: Error) => void };
  #failed?: Error;

  constructor() {
    workerUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
    this.#worker = new Worker(workerUrl, { type: "module" });
    this.#worker.onmessage = (e: MessageEvent) => {
      if (e.data.digest) this.#digest?.resolve(e.data.digest);
      else this.#pending.shift()?.resolve(e.data.buf);
    };
    this.#worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#fail(new Error(`Hash worker failed: ${e.message}`));
    };
  }

  /**
   * Hashes the first `n` bytes of a buffer. The buffer is unusable until the promise gives it
   * back; promises resolve in the order of the calls.
   */
  update(buf: ArrayBuffer, n: number): Promise<ArrayBuffer> {
    if (this.#failed) return Promise.reject(this.#failed);
    const back = new Promise<ArrayBuffer>((resolve, reject) =>
      this.#pending.push({ resolve, reject })
    );
    this.#worker.postMessage({ buf, n }, [buf]);
    return back;
  }

  /** The SHA-256 of everything given, once the worker has hashed it all. */
  digest(): Promise<string> {
    if (this.#failed) return Promise.reject(this.#failed);
    return new Promise((resolve, reject) => {
      this.#digest = { resolve, reject };
      this.#worker.postMessage({ done: true });
    });
  }

  /** Ends the worker. */
  close(): void {
    this.#worker.terminate();
    this.#fail(new Error("Hasher closed"));
  }

  #fail(err: Error): void {
    this.#failed ??= err;
    for (const p of this.#pending.splice(0)) p.reject(err);
    this.#digest?.reject(err);
    this.#digest = undefined;
  }
}
