/**
 * A running peer, wired together: its share index, the listener that serves it, its
 * registration with the tracker, and the rescan that keeps what it announces current.
 * This is the composition root the CLI starts; it prints nothing itself.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import type { Descriptor } from "../core/content.ts";
import { t } from "../core/i18n.ts";
import { SerialQueue } from "../core/io.ts";
import { type Timings, timings } from "../core/limits.ts";
import { cleanPeerName } from "../core/peer_name.ts";
import { appendManifestEntry, readManifest } from "../storage/manifest.ts";
import { type IndexReport, ShareIndex } from "../storage/share_index.ts";
import { ShareWatch } from "../storage/share_watch.ts";
import { identityHome, loadIdentity, peerIdentityName, TrackerPins } from "../storage/identity.ts";
import type { Address } from "../net/address.ts";
import type { Trust } from "../net/membership.ts";
import { PeerServer } from "../net/peer_server.ts";
import { TrackerClient } from "../net/tracker_client.ts";
import { SwarmContent } from "./swarm.ts";

export interface NodeOptions {
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
  timings?: Partial<Timings>;
  /** The join code, asked for once if the network turns out to be private. */
  code: () => Promise<string>;
  /** Where identities and tracker pins live (`identityHome()` unless given). */
  home?: string;
  /**
   * `false`: admitted to the tracker but never registered, so not listed (a one-shot `get`,
   * app/oneshot.ts); the listener still serves the swarm of its downloads to whoever asks.
   */
  register?: boolean;
}

/** A running peer. */
export class Node {
  readonly index: ShareIndex;
  /** What the listener serves: the share, and the verified chunks of downloads under way. */
  readonly swarm: SwarmContent;
  readonly server: PeerServer;
  readonly tracker: TrackerClient;
  /** The name asked for; the tracker may give another (`tracker.name`). */
  readonly name: string;
  readonly timings: Timings;
  /** What indexing the share found at start (mode, skipped lines). */
  readonly firstReport: IndexReport;
  /** This peer's identity and, once admitted, its network. */
  readonly trust: Trust;
  /** Where background events go (the shell prints them between prompts). */
  readonly log: (line: string) => void;
  #watch: ShareWatch;
  #manifestEdits = new SerialQueue();

  private constructor(
    opts: NodeOptions,
    index: ShareIndex,
    report: IndexReport,
    trust: Trust,
    server: PeerServer,
    home: string,
    swarm: SwarmContent,
    reportTo: { tracker?: TrackerClient },
  ) {
    this.index = index;
    this.swarm = swarm;
    this.firstReport = report;
    this.trust = trust;
    this.log = opts.log;
    this.timings = timings(opts.timings);
    this.name = cleanPeerName(opts.name ?? defaultName());
    this.server = server;
    this.tracker = new TrackerClient({
      trust,
      code: opts.code,
      pins: new TrackerPins(home),
      tracker: opts.tracker,
      port: this.server.address.port,
      name: this.name,
      files: () => index.list(),
      log: opts.log,
      timings: this.timings,
      admitOnly: opts.register === false,
    });
    reportTo.tracker = this.tracker;
    // Files added to, changed in or removed from the share are noticed and announced.
    this.#watch = new ShareWatch(index, {
      rescanMs: this.timings.rescanMs,
      debounceMs: this.timings.watchDebounceMs,
      onChange: () => {
        this.tracker.notifyFiles();
        if (opts.verbose) opts.log(t("node.filesChanged", { count: index.count }));
      },
      log: opts.verbose ? opts.log : undefined,
    });
  }

  /**
   * Indexes the share and opens the listener; `tracker.start()` then registers it.
   */
  static async start(opts: NodeOptions): Promise<Node> {
    const home = opts.home ?? identityHome();
    const trust: Trust = { creds: await loadIdentity(home, peerIdentityName(opts.dir)) };
    const index = new ShareIndex(opts.dir, opts.manifest);
    const report = await index.refresh();
    // Partial holdings go to the tracker once it exists (the node makes it after the listener).
    const reportTo: { tracker?: TrackerClient } = {};
    const swarm = new SwarmContent(
      index,
      (list) => reportTo.tracker?.notifyPartials(list),
      timings(opts.timings).partialsReportMs,
      opts.verbose ? opts.log : undefined,
    );
    const server = await PeerServer.start({
      host: opts.listenHost,
      port: opts.listenPort,
      trust,
      content: swarm,
      maxUploadRate: opts.maxUploadRate,
      log: opts.verbose ? opts.log : undefined,
      timings: opts.timings,
    });
    const node = new Node(opts, index, report, trust, server, home, swarm, reportTo);
    await node.#watch.ready;
    return node;
  }

  /** Whether an address is this peer's own listener, as the tracker sees it. */
  isSelf(a: { host: string; port: number }): boolean {
    const self = this.tracker.self;
    return !!self && self.ip === a.host && self.port === a.port;
  }

  /**
   * The peers the tracker says hold a content (`have`: chunks held, for those that hold it in
   * part); none when the tracker is away.
   */
  async holdersOf(root: string): Promise<(Address & { have?: number })[]> {
    try {
      return (await this.tracker.whoHas(root)).map((p) => ({
        host: p.ip,
        port: p.port,
        id: p.id,
        name: p.name,
        have: p.have,
      }));
    } catch {
      return [];
    }
  }

  /**
   * Shares a finished download on: its descriptor goes into the index's cache (so it is not
   * read again), the manifest names it when it does not cover it yet, and the tracker hears.
   */
  async adopt(name: string, path: string, desc: Descriptor): Promise<void> {
    await this.#addToManifest(name, path);
    await this.index.remember(path, desc);
    await this.#watch.rescan();
  }

  /** Looks at the share again (after the look under way, if any) and announces what changed. */
  rescan(): Promise<void> {
    return this.#watch.rescan();
  }

  /** Leaves the tracker, closes the listener. */
  async close(): Promise<void> {
    await this.#watch.close();
    this.swarm.close();
    await this.tracker.close();
    this.server.close();
    await this.server.done;
  }

  /**
   * Adds a download to the manifest, when there is one and it does not cover it yet: a file by
   * its name, a file inside a folder by the folder's name, once. Edits run one at a time.
   */
  #addToManifest(name: string, path: string): Promise<void> {
    const { index } = this;
    return this.#manifestEdits.run(async () => {
      const manifest = await readManifest(index.manifestPath, index.dir);
      if (!manifest) return; // No manifest: the whole folder is shared already.
      const top = name.split("/")[0];
      if (manifest.entries.some((e) => e.name === top)) return;
      await appendManifestEntry(
        index.manifestPath,
        top,
        name.includes("/") ? join(index.dir, top) : path,
      );
    });
  }
}

/** The host name without its domain (`lab-07` of `lab-07.escola.local`), made a peer name. */
function defaultName(): string {
  try {
    return hostname().split(".")[0] || "peer";
  } catch {
    return "peer";
  }
}
