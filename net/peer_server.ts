/**
 * The serving side of a peer: answers `list`, `describe` and `chunk`. Only contents in its
 * share index can be asked for, by name or root; a name is never joined to a path, so nothing
 * outside the share can be read. Uploads take one of a few slots (the rest wait in a queue)
 * and may be held to a rate limit.
 */
import type { ShareIndex } from "../storage/share_index.ts";
import { errorLine, RedeError } from "./errors.ts";
import { writeAll } from "./framing.ts";
import {
  CHUNK_BYTES,
  IDLE_TIMEOUT_MS,
  PEER_MAX_CONNECTIONS,
  TRANSFER_STALL_MS,
  UPLOAD_QUEUE,
  UPLOAD_SLOTS,
} from "./limits.ts";
import { type Address, type Channel, formatAddress, Server } from "./transport.ts";

export interface PeerServerOptions {
  host: string;
  port: number;
  index: ShareIndex;
  /** Most bytes per second sent, across all uploads; unlimited when absent. */
  maxUploadRate?: number;
  /** One line per notable event (refused requests); `undefined` to stay quiet. */
  log?: (line: string) => void;
}

/** Upload slots with a waiting queue, and an optional rate limit shared by all uploads. */
export class UploadGate {
  #free: number;
  #queue: (() => void)[] = [];
  #rate?: number;
  #nextFree = 0;

  constructor(slots: number, rate?: number) {
    this.#free = slots;
    this.#rate = rate;
  }

  /**
   * Waits for a slot.
   *
   * @returns A function that gives the slot back.
   * @throws {RedeError} `BUSY` when the queue is full.
   */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else {
      if (this.#queue.length >= UPLOAD_QUEUE) {
        throw new RedeError("BUSY", "All upload slots are busy; try again later");
      }
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) next();
      else this.#free++;
    };
  }

  /** Waits until `bytes` more may be sent under the rate limit. */
  async throttle(bytes: number): Promise<void> {
    if (!this.#rate) return;
    const now = performance.now();
    const start = Math.max(now, this.#nextFree);
    this.#nextFree = start + (bytes * 1000) / this.#rate;
    if (start > now) await new Promise((resolve) => setTimeout(resolve, start - now));
  }

  get limited(): boolean {
    return this.#rate !== undefined;
  }
}

/** Slice of a chunk sent at a time under a rate limit, so that uploads interleave smoothly. */
const RATE_SLICE_BYTES = 256 * 1024;

/** A running peer listener. */
export class PeerServer {
  #server: Server;
  #index: ShareIndex;
  #gate: UploadGate;
  #buffers: Uint8Array[] = [];
  #log: (line: string) => void;

  constructor(opts: PeerServerOptions) {
    this.#index = opts.index;
    this.#log = opts.log ?? (() => {});
    this.#gate = new UploadGate(UPLOAD_SLOTS, opts.maxUploadRate);
    this.#server = new Server({
      host: opts.host,
      port: opts.port,
      maxConnections: PEER_MAX_CONNECTIONS,
      handle: (ch) => this.#handle(ch),
      onError: (err, ch) => {
        if (!(err instanceof RedeError && err.code === "CLOSED")) {
          this.#log(`request from ${formatAddress(ch.remote)} failed: ${errorLine(err)}`);
        }
      },
    });
  }

  get address(): Address {
    return this.#server.address;
  }

  get done(): Promise<void> {
    return this.#server.done;
  }

  close(): void {
    this.#server.close();
  }

  async #handle(ch: Channel): Promise<void> {
    await ch.accept("peer", ["client", "peer"]);
    while (true) {
      const msg = await ch.recv(IDLE_TIMEOUT_MS);
      if (msg === null) return;
      try {
        switch (msg.t) {
          case "list":
            await this.#index.refresh();
            await ch.send({ t: "file_list", files: this.#index.list() });
            break;
          case "describe": {
            const desc = msg.root !== undefined
              ? await this.#index.describeRoot(msg.root)
              : await this.#index.describe(msg.name ?? "");
            await ch.send({ t: "descriptor", ...desc });
            break;
          }
          case "chunk":
            await this.#sendChunk(ch, msg.root, msg.index);
            break;
          default:
            throw new RedeError("BAD_REQUEST", `Unexpected message '${msg.t}' for a peer`);
        }
      } catch (err) {
        // A refused request is the client's business: answer, keep the connection.
        const refusal = err instanceof RedeError &&
          ["BAD_NAME", "NOT_FOUND", "BUSY", "BAD_REQUEST"].includes(err.code);
        if (!refusal || ch.closed) throw err;
        this.#log(`refused a request from ${formatAddress(ch.remote)}: ${err.message}`);
        await ch.sendError(err);
      }
    }
  }

  async #sendChunk(ch: Channel, root: string, index: number): Promise<void> {
    const release = await this.#gate.acquire();
    const buf = this.#buffers.pop() ?? new Uint8Array(CHUNK_BYTES);
    try {
      const n = await this.#index.readChunk(root, index, buf);
      await ch.send({ t: "chunk_data", root, index, size: n });
      const slice = this.#gate.limited ? RATE_SLICE_BYTES : n;
      for (let off = 0; off < n; off += slice) {
        const part = buf.subarray(off, Math.min(n, off + slice));
        await this.#gate.throttle(part.length);
        await ch.withDeadline(TRANSFER_STALL_MS, () => writeAll(ch.conn, part));
      }
    } finally {
      this.#buffers.push(buf);
      release();
    }
  }
}
