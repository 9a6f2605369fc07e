/**
 * The serving side of a peer: answers `list` with its share index and `get` with a file
 * header followed by the file's bytes. Only names in the index can be asked for; a name is
 * never joined to a path, so nothing outside the share can be read.
 */
import type { ShareIndex } from "../storage/share_index.ts";
import { errorLine, RedeError } from "./errors.ts";
import { writeAll } from "./framing.ts";
import {
  IDLE_TIMEOUT_MS,
  IO_BUFFER_BYTES,
  PEER_MAX_CONNECTIONS,
  TRANSFER_STALL_MS,
} from "./limits.ts";
import { type Address, type Channel, formatAddress, Server } from "./transport.ts";

export interface PeerServerOptions {
  host: string;
  port: number;
  index: ShareIndex;
  /** One line per notable event (refused requests, uploads); `undefined` to stay quiet. */
  log?: (line: string) => void;
}

/** A running peer listener. */
export class PeerServer {
  #server: Server;
  #index: ShareIndex;
  #log: (line: string) => void;

  constructor(opts: PeerServerOptions) {
    this.#index = opts.index;
    this.#log = opts.log ?? (() => {});
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
      switch (msg.t) {
        case "list":
          await this.#index.refresh();
          await ch.send({ t: "file_list", files: this.#index.list() });
          break;
        case "get":
          try {
            await this.#sendFile(ch, msg.name);
          } catch (err) {
            // A refused name is the client's mistake: answer, keep the connection.
            if (!(err instanceof RedeError) || !["BAD_NAME", "NOT_FOUND"].includes(err.code)) {
              throw err;
            }
            this.#log(`refused '${msg.name}' to ${formatAddress(ch.remote)}: ${err.message}`);
            await ch.sendError(err);
          }
          break;
        default:
          throw new RedeError("BAD_REQUEST", `Unexpected message '${msg.t}' for a peer`);
      }
    }
  }

  async #sendFile(ch: Channel, name: string): Promise<void> {
    const { file, info } = await this.#index.open(name);
    try {
      await ch.send({ t: "file", ...info });
      const buf = new Uint8Array(IO_BUFFER_BYTES);
      let left = info.size;
      while (left > 0) {
        const n = file.readSync(buf.subarray(0, Math.min(buf.length, left)));
        if (n === null || n === 0) {
          // The file shrank after it was opened: stop; the client sees a short transfer.
          throw new RedeError("CLOSED", `'${name}' changed while it was being sent`);
        }
        const chunk = buf.subarray(0, n);
        await ch.withDeadline(TRANSFER_STALL_MS, () => writeAll(ch.conn, chunk));
        left -= n;
      }
    } finally {
      file.close();
    }
  }
}
