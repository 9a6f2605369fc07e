/**
 * The downloading side of a peer: asks another peer for its file list or for one file.
 */
import { type SavedFile, saveDownload } from "../storage/download.ts";
import { shareNameProblem } from "../storage/names.ts";
import { RedeError } from "./errors.ts";
import { REPLY_TIMEOUT_MS, TRANSFER_STALL_MS } from "./limits.ts";
import type { FileInfo } from "./protocol.ts";
import { type Address, Channel, connect } from "./transport.ts";

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
export async function listFiles(addr: Address): Promise<FileInfo[]> {
  const ch = await open(addr);
  try {
    await ch.send({ t: "list" });
    return (await ch.expect("file_list", REPLY_TIMEOUT_MS)).files;
  } finally {
    ch.close();
  }
}

export interface DownloadOptions {
  dir: string;
  taken?: (name: string) => boolean;
  /** Called once the peer has announced the file. */
  onStart?: (info: FileInfo) => void;
  onProgress?: (received: number) => void;
  signal?: AbortSignal;
}

/**
 * Downloads one file from a peer into `opts.dir`, verified against the SHA-256 it announced.
 *
 * @throws {RedeError} `BAD_NAME` before anything is sent for a name that could leave a share,
 * and the errors of {@link saveDownload}.
 */
export async function downloadFile(
  addr: Address,
  name: string,
  opts: DownloadOptions,
): Promise<SavedFile & { info: FileInfo }> {
  const problem = shareNameProblem(name);
  if (problem) throw new RedeError("BAD_NAME", `Invalid file name '${name}': ${problem}`);
  opts.signal?.throwIfAborted();
  const ch = await open(addr);
  const abort = () => ch.close();
  opts.signal?.addEventListener("abort", abort);
  // One watchdog for the whole transfer instead of a timer per read.
  let lastReceived = -1;
  let received = 0;
  let stalled = false;
  const watchdog = setInterval(() => {
    if (received === lastReceived) {
      stalled = true;
      ch.close();
    }
    lastReceived = received;
  }, TRANSFER_STALL_MS);
  try {
    await ch.send({ t: "get", name });
    const info = await ch.expect("file", REPLY_TIMEOUT_MS);
    if (info.name !== name) {
      throw new RedeError("BAD_REQUEST", `Peer answered with '${info.name}' instead of '${name}'`);
    }
    opts.onStart?.(info);
    const saved = await saveDownload({
      dir: opts.dir,
      name,
      size: info.size,
      sha256: info.sha256,
      taken: opts.taken,
      signal: opts.signal,
      read: (p) => ch.reader.readRaw(p),
      onProgress: (n) => {
        received = n;
        opts.onProgress?.(n);
      },
    });
    return { ...saved, info };
  } catch (err) {
    if (opts.signal?.aborted && !(err instanceof RedeError && err.code === "CANCELLED")) {
      throw new RedeError("CANCELLED", `Download of '${name}' cancelled; nothing was saved`);
    }
    if (stalled) {
      throw new RedeError("TIMEOUT", `Peer stopped sending '${name}'; nothing was saved`);
    }
    if (err instanceof RedeError) throw err;
    throw new RedeError("CLOSED", `Connection to the peer lost: ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    clearInterval(watchdog);
    opts.signal?.removeEventListener("abort", abort);
    ch.close();
  }
}
