/**
 * The downloading side of a peer: asks another peer for its file list, a file's descriptor,
 * or chunks of a content (several requests in flight on one connection).
 */
import { descriptorProblem } from "../storage/chunks.ts";
import type { Source } from "../storage/download.ts";
import { sharePathProblem } from "../storage/names.ts";
import type { NamedDescriptor } from "../storage/share_index.ts";
import { RedeError } from "./errors.ts";
import { CHUNK_TIMEOUT_MS, REPLY_TIMEOUT_MS } from "./limits.ts";
import type { FileSummary } from "./protocol.ts";
import { type Address, Channel, connect, formatAddress } from "./transport.ts";

async function open(addr: Address): Promise<Channel> {
  const ch = new Channel(await connect(addr, "peer"));
  try {
    await ch.greet("client", "peer");
    return ch;
  } catch (err) {
    ch.close();
    throw err;
  }
}

/** The files another peer shares. */
export async function listFiles(addr: Address): Promise<FileSummary[]> {
  const ch = await open(addr);
  try {
    await ch.send({ t: "list" });
    return (await ch.expect("file_list", REPLY_TIMEOUT_MS)).files;
  } finally {
    ch.close();
  }
}

/**
 * The descriptor of a file another peer shares, checked for consistency.
 *
 * @throws {RedeError} `BAD_NAME` before anything is sent for a name that could leave a share.
 */
export async function describe(
  addr: Address,
  what: { name: string } | { root: string },
): Promise<NamedDescriptor> {
  if ("name" in what) {
    const problem = sharePathProblem(what.name);
    if (problem) throw new RedeError("BAD_NAME", `Invalid file name '${what.name}': ${problem}`);
  }
  const ch = await open(addr);
  try {
    await ch.send({ t: "describe", ...what });
    const { t: _, ...desc } = await ch.expect("descriptor", REPLY_TIMEOUT_MS);
    const bad = descriptorProblem(desc) ??
      ("name" in what && desc.name !== what.name ? "another name" : undefined) ??
      ("root" in what && desc.root !== what.root ? "another content" : undefined) ??
      sharePathProblem(desc.name);
    if (bad) {
      throw new RedeError("BAD_REQUEST", `${formatAddress(addr)} sent a bad descriptor: ${bad}`);
    }
    return desc;
  } finally {
    ch.close();
  }
}

/** A connection to one peer that serves chunks of one content. */
export class PeerSource implements Source {
  readonly label: string;
  #ch: Channel;
  #root: string;

  private constructor(ch: Channel, addr: Address, root: string) {
    this.#ch = ch;
    this.#root = root;
    this.label = formatAddress(addr);
  }

  static async open(addr: Address, root: string): Promise<PeerSource> {
    return new PeerSource(await open(addr), addr, root);
  }

  async request(index: number): Promise<void> {
    await this.#ch.send({ t: "chunk", root: this.#root, index });
  }

  async receive(buf: Uint8Array): Promise<{ index: number; size: number }> {
    const head = await this.#ch.expect("chunk_data", CHUNK_TIMEOUT_MS);
    if (head.root !== this.#root || head.size > buf.length) {
      throw new RedeError("BAD_REQUEST", `${this.label} sent an unexpected chunk`);
    }
    await this.#ch.withDeadline(CHUNK_TIMEOUT_MS, async () => {
      let filled = 0;
      while (filled < head.size) {
        const n = await this.#ch.reader.readRaw(buf.subarray(filled, head.size));
        if (n === null) throw new RedeError("CLOSED", `${this.label} closed the connection`);
        filled += n;
      }
    });
    return { index: head.index, size: head.size };
  }

  close(): void {
    this.#ch.close();
  }
}
