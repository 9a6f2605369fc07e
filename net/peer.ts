/**
 * A peer: its share index, the listener that serves it, and its registration with the tracker.
 */
import { hostname } from "node:os";
import { MAX_PEER_NAME_CHARS, RESCAN_INTERVAL_MS } from "./limits.ts";
import { PeerServer } from "./peer_server.ts";
import { TrackerClient } from "./tracker_client.ts";
import type { Address } from "./transport.ts";
import { type IndexReport, ShareIndex } from "../storage/share_index.ts";

export interface PeerOptions {
  tracker: Address;
  dir: string;
  manifest: string;
  name?: string;
  listenHost: string;
  listenPort: number;
  /** Receives background events (tracker lost and back, refused requests). */
  log: (line: string) => void;
  /** Also logs each refused request. */
  verbose?: boolean;
  /** Most bytes per second uploaded, across all uploads. */
  maxUploadRate?: number;
  /** Test-only: corrupt every chunk served. */
  corruptUploads?: boolean;
}

/** A running peer. */
export class Peer {
  readonly index: ShareIndex;
  readonly server: PeerServer;
  readonly tracker: TrackerClient;
  readonly name: string;
  readonly firstReport: IndexReport;
  #rescan: ReturnType<typeof setInterval>;

  private constructor(opts: PeerOptions, index: ShareIndex, report: IndexReport) {
    this.index = index;
    this.firstReport = report;
    this.name = (opts.name ?? defaultName()).slice(0, MAX_PEER_NAME_CHARS);
    this.server = new PeerServer({
      host: opts.listenHost,
      port: opts.listenPort,
      index,
      maxUploadRate: opts.maxUploadRate,
      log: opts.verbose ? opts.log : undefined,
    });
    index.corruptUploads = opts.corruptUploads === true;
    this.tracker = new TrackerClient({
      tracker: opts.tracker,
      port: this.server.address.port,
      name: this.name,
      files: () => index.list(),
      log: opts.log,
    });
    // Files added to or removed from the share while the peer runs are noticed and announced.
    let announced = JSON.stringify(index.list());
    this.#rescan = setInterval(async () => {
      try {
        await index.refresh();
      } catch {
        return; // The next rescan tries again.
      }
      const now = JSON.stringify(index.list());
      if (now !== announced) {
        announced = now;
        this.tracker.notifyFiles();
      }
    }, RESCAN_INTERVAL_MS);
  }

  /**
   * Indexes the share and opens the listener; `tracker.start()` then registers it.
   */
  static async start(opts: PeerOptions): Promise<Peer> {
    const index = new ShareIndex(opts.dir, opts.manifest);
    const report = await index.refresh();
    return new Peer(opts, index, report);
  }

  /** Leaves the tracker, closes the listener. */
  async close(): Promise<void> {
    clearInterval(this.#rescan);
    await this.tracker.close();
    this.server.close();
    await this.server.done;
  }
}

function defaultName(): string {
  try {
    return hostname() || "peer";
  } catch {
    return "peer";
  }
}
