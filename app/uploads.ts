/**
 * Who downloads from this peer, in the terms a person reads: the listener's live uploads
 * (`net/uploads.ts`) with each downloader named as the tracker lists its proven ID (else by its
 * address) and each content by the name it is shared under here.
 *
 * Uploads that start are told to a listener in the order they started, each once; {@link
 * UploadWatch.list} answers after every start told before it, so a table never lists an upload
 * whose start line has yet to come.
 */
import { MAX_PEER_NAME_CHARS, SHORT_HASH_CHARS, UPLOAD_NAMES_FRESH_MS } from "../core/limits.ts";
import { remoteText } from "../core/terminal.ts";
import { formatAddress } from "../net/address.ts";
import type { PeerInfo } from "../net/protocol.ts";
import type { UploadInfo } from "../net/uploads.ts";
import type { Node } from "./node.ts";

/** One upload, named. */
export interface UploadView {
  /** The downloader as people call it ({@link peerLabel}), printable. */
  peer: string;
  /** Its address: its listener as the tracker lists it, else the address it connects from. */
  address: string;
  /** The file, as shared here (a short root when it is no longer shared). */
  file: string;
  /** The file's size, when known. */
  size?: number;
  sent: number;
  /** Bytes a second, lately. */
  rate: number;
  /** When it started (`Date.now()` clock). */
  since: number;
}

/**
 * How a downloader is called: its name as the tracker lists it, else its address. One place, so
 * that the way peers are named can change here alone.
 */
export function peerLabel(listed: { name: string } | undefined, host: string): string {
  const name = listed === undefined ? "" : remoteText(listed.name, MAX_PEER_NAME_CHARS);
  return name || host;
}

/** The uploads of a running peer, named. */
export class UploadWatch {
  #node: Node;
  #names?: { at: number; byId: Map<string, PeerInfo> };
  #asking?: Promise<Map<string, PeerInfo>>;
  /** The starts being named and told, one after the other. */
  #told: Promise<void> = Promise.resolve();
  #listeners: ((u: UploadView) => void)[] = [];

  constructor(node: Node) {
    this.#node = node;
  }

  /** Calls `fn` once for each upload that starts from now on. */
  onStart(fn: (u: UploadView) => void): void {
    if (this.#listeners.length === 0) {
      this.#node.server.uploads.onStart((u) => {
        this.#told = this.#told.then(async () => {
          const [view] = await this.#views([u]);
          for (const fn of this.#listeners) fn(view);
        }).catch(() => {});
      });
    }
    this.#listeners.push(fn);
  }

  /** How many uploads are going on now (at once, without names). */
  get running(): number {
    return this.#node.server.uploads.list().length;
  }

  /** The uploads going on now, oldest first, named. */
  async list(): Promise<UploadView[]> {
    await this.#told;
    return await this.#views(this.#node.server.uploads.list());
  }

  async #views(list: UploadInfo[]): Promise<UploadView[]> {
    if (list.length === 0) return [];
    const ids = list.flatMap((u) => (u.peer.id === undefined ? [] : [u.peer.id]));
    const byId = ids.length > 0 ? await this.#listed(ids) : new Map<string, PeerInfo>();
    return await Promise.all(list.map(async (u) => {
      const listed = u.peer.id === undefined ? undefined : byId.get(u.peer.id);
      const file = await this.#node.swarm.describeRoot(u.root).catch(() => undefined);
      return {
        peer: peerLabel(listed, u.peer.host),
        address: listed ? formatAddress({ host: listed.ip, port: listed.port }) : u.peer.host,
        file: file?.name ?? u.root.slice(0, SHORT_HASH_CHARS),
        size: file?.size,
        sent: u.sent,
        rate: u.rate,
        since: u.since,
      };
    }));
  }

  /**
   * The peers the tracker lists, by ID: kept a few seconds, asked again at once when an ID is
   * missing (one ask at a time); what was known before (or nothing) when the tracker cannot
   * answer.
   */
  #listed(ids: string[]): Promise<Map<string, PeerInfo>> {
    const known = this.#names;
    const age = known ? performance.now() - known.at : Infinity;
    if (known && age < UPLOAD_NAMES_FRESH_MS && ids.every((id) => known.byId.has(id))) {
      return Promise.resolve(known.byId);
    }
    this.#asking ??= this.#node.tracker.peerList().then(
      ({ peers }) => {
        const byId = new Map(peers.map((p) => [p.id, p]));
        this.#names = { at: performance.now(), byId };
        return byId;
      },
      () => this.#names?.byId ?? new Map<string, PeerInfo>(),
    ).finally(() => (this.#asking = undefined));
    return this.#asking;
  }
}
