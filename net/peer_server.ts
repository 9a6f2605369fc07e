/**
 * The serving side of a peer: answers `list`, `describe` and `chunk` from what it shares. It
 * calls up through {@link SharedContent} and never touches a path: only contents the share holds
 * can be asked for, by name or root. Uploads take one of a few slots (the rest wait in a queue)
 * and may be held to a rate limit.
 */
import type { FileSummary, NamedDescriptor } from "../core/content.ts";
import { errorLine, hasCode, RedeError } from "../core/errors.ts";
import {
  CHUNK_BYTES,
  PEER_MAX_CONNECTIONS,
  RATE_SLICE_BYTES,
  type Timings,
  timings,
  UPLOAD_SLOTS,
} from "../core/limits.ts";
import { type Address, formatAddress } from "./address.ts";
import type { Channel } from "./channel.ts";
import type { Message, MessageOf, MessageType } from "./protocol.ts";
import { Server } from "./transport.ts";
import { UploadGate } from "./upload_gate.ts";

/** What a peer serves: its share index, or anything that answers like one. */
export interface SharedContent {
  /** Looks at the share again (a `list` shows what is there now). */
  refresh(): Promise<unknown>;
  list(): FileSummary[];
  describe(name: string): Promise<NamedDescriptor>;
  describeRoot(root: string): Promise<NamedDescriptor>;
  /** Reads chunk `index` of the content `root` into `buf`; returns its length. */
  readChunk(root: string, index: number, buf: Uint8Array): Promise<number>;
}

export interface PeerServerOptions {
  host: string;
  port: number;
  content: SharedContent;
  /** Most bytes per second sent, across all uploads; unlimited when absent. */
  maxUploadRate?: number;
  /** One line per notable event (refused requests); `undefined` to stay quiet. */
  log?: (line: string) => void;
  timings?: Partial<Timings>;
}

/** Refusals answered with an error while the connection goes on. */
const REFUSALS = ["BAD_NAME", "NOT_FOUND", "BUSY", "BAD_REQUEST"] as const;

type Handlers = { [T in MessageType]?: (ch: Channel, m: MessageOf<T>) => Promise<void> };

/** A running peer listener. */
export class PeerServer {
  #server: Server;
  #content: SharedContent;
  #gate: UploadGate;
  #buffers: Uint8Array[] = [];
  #log: (line: string) => void;
  #t: Timings;

  /** One handler per request a peer answers. */
  #handlers: Handlers = {
    list: async (ch) => {
      await this.#content.refresh();
      await ch.send({ t: "file_list", files: this.#content.list() });
    },
    describe: async (ch, m) => {
      if (m.root === undefined && m.name === undefined) {
        throw new RedeError("BAD_REQUEST", "A describe needs a name or a root");
      }
      const desc = m.root !== undefined
        ? await this.#content.describeRoot(m.root)
        : await this.#content.describe(m.name!);
      await ch.send({ t: "descriptor", ...desc });
    },
    chunk: (ch, m) => this.#sendChunk(ch, m.root, m.index),
  };

  constructor(opts: PeerServerOptions) {
    this.#content = opts.content;
    this.#log = opts.log ?? (() => {});
    this.#t = timings(opts.timings);
    this.#gate = new UploadGate(UPLOAD_SLOTS, opts.maxUploadRate);
    this.#server = new Server({
      host: opts.host,
      port: opts.port,
      maxConnections: PEER_MAX_CONNECTIONS,
      writeMs: this.#t.stallMs,
      handle: (ch) => this.#handle(ch),
      onError: (err, ch) => {
        if (!hasCode(err, "CLOSED")) {
          this.#log(`request from ${formatAddress(ch.remote)} failed: ${errorLine(err)}`);
        }
      },
    });
  }

  get address(): Address {
    return this.#server.address;
  }

  /** Connections open now. */
  get connections(): number {
    return this.#server.connections;
  }

  /** Settles once the listener is closed and every connection has ended. */
  get done(): Promise<void> {
    return this.#server.done;
  }

  close(): void {
    this.#server.close();
  }

  async #handle(ch: Channel): Promise<void> {
    await ch.accept("peer", ["client", "peer"], this.#t.helloMs);
    while (true) {
      try {
        const m = await ch.recv(this.#t.idleMs);
        if (m === null) return;
        const handler = this.#handlers[m.t] as
          | ((ch: Channel, m: Message) => Promise<void>)
          | undefined;
        if (!handler) throw new RedeError("BAD_REQUEST", `Unexpected message '${m.t}' for a peer`);
        await handler(ch, m);
      } catch (err) {
        // A refused request is the client's business: answer, keep the connection.
        if (!hasCode(err, ...REFUSALS) || ch.closed) throw err;
        this.#log(`refused a request from ${formatAddress(ch.remote)}: ${err.message}`);
        await ch.sendError(err);
      }
    }
  }

  async #sendChunk(ch: Channel, root: string, index: number): Promise<void> {
    const release = await this.#gate.acquire();
    const buf = this.#buffers.pop() ?? new Uint8Array(CHUNK_BYTES);
    try {
      const n = await this.#content.readChunk(root, index, buf);
      await ch.send({ t: "chunk_data", root, index, size: n });
      const slice = this.#gate.limited ? RATE_SLICE_BYTES : n;
      for (let off = 0; off < n; off += slice) {
        const part = buf.subarray(off, Math.min(n, off + slice));
        await this.#gate.throttle(part.length);
        await ch.writeRaw(part);
      }
    } finally {
      this.#buffers.push(buf);
      release();
    }
  }
}
