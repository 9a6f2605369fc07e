/**
 * What a tracker holds: the registered peers, the files they list (one record per distinct
 * name and content, shared by every peer that lists it), the search index over their names, and
 * the accounting that bounds it all. Nothing here touches the network.
 *
 * Accounting: a peer costs `TRACKER_PEER_COST` plus, for each file it lists,
 * `TRACKER_FILE_COST` and the UTF-8 bytes of the name, as if no other peer listed it. The sum
 * over all peers stays under `TRACKER_STATE_BYTES`, and over the peers of one source address
 * under `TRACKER_STATE_PER_IP_BYTES`; with the peer counts (`TRACKER_MAX_PEERS`,
 * `TRACKER_PEERS_PER_IP`) this is what bounds the tracker's memory, whatever peers send.
 */
import type { FileSummary } from "../core/content.ts";
import {
  FIND_WORK,
  MAX_FOUND,
  MAX_FOUND_HOLDERS,
  MAX_HOLDERS,
  MAX_PEER_LIST,
  TRACKER_FILE_COST,
  TRACKER_MAX_PEERS,
  TRACKER_MAX_REPLY_BYTES,
  TRACKER_PEER_COST,
  TRACKER_PEERS_PER_IP,
  TRACKER_STATE_BYTES,
  TRACKER_STATE_PER_IP_BYTES,
} from "../core/limits.ts";
import { NameIndex, searchForm } from "./name_index.ts";
import type { FoundFile, PeerAddress, PeerInfo } from "./protocol.ts";

/** One distinct (content, name) that at least one peer lists. */
interface Item {
  readonly name: string;
  readonly lower: string;
  readonly size: number;
  readonly root: string;
  readonly holders: Set<PeerRecord>;
}

/** A registered peer. */
export interface PeerRecord {
  readonly key: string;
  readonly ip: string;
  readonly port: number;
  readonly name: string;
  /** The secret that lets a reconnect of this peer replace it. */
  readonly token: string;
  files: Item[];
  cost: number;
}

const utf8 = new TextEncoder();

/** Accounted bytes of a peer listing `files`. */
export function peerCost(files: readonly FileSummary[]): number {
  let cost = TRACKER_PEER_COST;
  for (const f of files) cost += TRACKER_FILE_COST + utf8.encode(f.name).length;
  return cost;
}

/**
 * Most JSON bytes of a reply's parts besides names (names need no escaping: `"`, `\` and
 * control characters are not allowed in them), for the reply's byte cap.
 */
const ROW_BYTES = 120;
const ADDRESS_BYTES = 96;
const PEER_BYTES = 120;

/** The peers, files and index of a tracker, within its bounds. */
export class TrackerState {
  #peers = new Map<string, PeerRecord>();
  #items = new Map<string, Item>();
  #byRoot = new Map<string, Set<Item>>();
  #index = new NameIndex<Item>();
  #perIp = new Map<string, { peers: number; bytes: number }>();
  #bytes = 0;
  #sorted?: PeerInfo[];

  /** Accounted bytes now held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Peers registered now. */
  get size(): number {
    return this.#peers.size;
  }

  /** Distinct (content, name) records now held. */
  get items(): number {
    return this.#items.size;
  }

  get(key: string): PeerRecord | undefined {
    return this.#peers.get(key);
  }

  /**
   * Why a peer at `ip` costing `cost` cannot be added now (with `replacing` gone first), as one
   * line for the refused peer, or `undefined` when it can.
   */
  refusal(ip: string, cost: number, replacing?: PeerRecord): string | undefined {
    const here = this.#perIp.get(ip) ?? { peers: 0, bytes: 0 };
    const freed = replacing ? 1 : 0;
    const freedBytes = replacing?.cost ?? 0;
    if (this.#peers.size - freed >= TRACKER_MAX_PEERS) {
      return `Tracker is full (${TRACKER_MAX_PEERS} peers); try again later`;
    }
    if (here.peers - freed >= TRACKER_PEERS_PER_IP) {
      return `Tracker already lists ${TRACKER_PEERS_PER_IP} peers from ${ip}, the most per address`;
    }
    return this.#bytesRefusal(ip, cost - freedBytes);
  }

  /** Why `more` accounted bytes from `ip` do not fit, or `undefined` when they do. */
  #bytesRefusal(ip: string, more: number): string | undefined {
    const here = this.#perIp.get(ip)?.bytes ?? 0;
    if (this.#bytes + more > TRACKER_STATE_BYTES) {
      return `Tracker is full (its file lists take ${TRACKER_STATE_BYTES} bytes); try again later`;
    }
    if (here + more > TRACKER_STATE_PER_IP_BYTES) {
      return `Tracker holds too much from ${ip} (file lists over ${TRACKER_STATE_PER_IP_BYTES} ` +
        `bytes from one address); share fewer files`;
    }
    return undefined;
  }

  /** Adds a peer (after {@link refusal} said it fits). */
  add(p: Omit<PeerRecord, "files" | "cost">, files: readonly FileSummary[]): PeerRecord {
    const rec: PeerRecord = { ...p, files: [], cost: 0 };
    this.#peers.set(rec.key, rec);
    const here = this.#perIp.get(rec.ip) ?? { peers: 0, bytes: 0 };
    here.peers++;
    this.#perIp.set(rec.ip, here);
    this.#sorted = undefined;
    this.#setFiles(rec, files);
    return rec;
  }

  /**
   * Replaces what a peer lists.
   *
   * @returns Why it was refused (the old list stays), or `undefined`.
   */
  announce(rec: PeerRecord, files: readonly FileSummary[]): string | undefined {
    const why = this.#bytesRefusal(rec.ip, peerCost(files) - rec.cost);
    if (why) return why;
    this.#setFiles(rec, files);
    return undefined;
  }

  /** Removes a peer and every file record only it listed. */
  remove(rec: PeerRecord): void {
    if (this.#peers.get(rec.key) !== rec) return;
    this.#setFiles(rec, []);
    this.#peers.delete(rec.key);
    this.#charge(rec, -TRACKER_PEER_COST);
    const here = this.#perIp.get(rec.ip)!;
    if (--here.peers === 0) this.#perIp.delete(rec.ip);
    this.#sorted = undefined;
  }

  #charge(rec: PeerRecord, delta: number): void {
    rec.cost += delta;
    this.#bytes += delta;
    const here = this.#perIp.get(rec.ip);
    if (here) here.bytes += delta;
  }

  #setFiles(rec: PeerRecord, files: readonly FileSummary[]): void {
    for (const item of rec.files) {
      item.holders.delete(rec);
      if (item.holders.size === 0) this.#drop(item);
    }
    const next: Item[] = [];
    for (const f of files) {
      const key = f.root + f.name;
      let item = this.#items.get(key);
      if (!item) {
        item = {
          name: f.name,
          lower: searchForm(f.name),
          size: f.size,
          root: f.root,
          holders: new Set(),
        };
        this.#items.set(key, item);
        let same = this.#byRoot.get(f.root);
        if (!same) this.#byRoot.set(f.root, same = new Set());
        same.add(item);
        this.#index.add(item);
      }
      if (item.holders.has(rec)) continue;
      item.holders.add(rec);
      next.push(item);
    }
    rec.files = next;
    this.#charge(rec, peerCost(next) - rec.cost);
    this.#sorted = undefined;
  }

  #drop(item: Item): void {
    this.#items.delete(item.root + item.name);
    const same = this.#byRoot.get(item.root);
    same?.delete(item);
    if (same?.size === 0) this.#byRoot.delete(item.root);
    this.#index.remove(item);
  }

  /** The peers, sorted by address and port, at most `MAX_PEER_LIST` and the reply's bytes. */
  peers(): PeerInfo[] {
    if (!this.#sorted) {
      const all = [...this.#peers.values()]
        .sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port));
      const out: PeerInfo[] = [];
      let bytes = 0;
      for (const r of all) {
        // A peer name has no control characters: at most 3 JSON bytes per UTF-16 unit.
        bytes += PEER_BYTES + r.name.length * 3;
        if (out.length >= MAX_PEER_LIST || bytes > TRACKER_MAX_REPLY_BYTES) break;
        out.push({ ip: r.ip, port: r.port, name: r.name, files: r.files.length });
      }
      this.#sorted = out;
    }
    return this.#sorted.map((p) => ({ ...p }));
  }

  /**
   * Files whose name contains `text` (any case), one row per content with who holds it (at
   * most `MAX_FOUND_HOLDERS`), most held first, at most `MAX_FOUND` rows and
   * `TRACKER_MAX_REPLY_BYTES`; the search examines at most `FIND_WORK` names.
   */
  find(text: string): FoundFile[] {
    const byRoot = new Map<string, { row: FoundFile; held: Set<PeerRecord> }>();
    for (const item of this.#index.search(text, FIND_WORK)) {
      let r = byRoot.get(item.root);
      if (!r) {
        const row = { name: item.name, size: item.size, root: item.root, peers: [] };
        byRoot.set(item.root, r = { row, held: new Set() });
      }
      for (const h of item.holders) r.held.add(h);
    }
    const rows = [...byRoot.values()]
      .sort((a, b) => b.held.size - a.held.size || cmp(a.row.name, b.row.name))
      .slice(0, MAX_FOUND);
    const out: FoundFile[] = [];
    let bytes = 0;
    for (const { row, held } of rows) {
      for (const h of held) {
        if (row.peers.length >= MAX_FOUND_HOLDERS) break;
        row.peers.push({ ip: h.ip, port: h.port });
      }
      bytes += ROW_BYTES + utf8.encode(row.name).length + row.peers.length * ADDRESS_BYTES;
      if (bytes > TRACKER_MAX_REPLY_BYTES) break;
      out.push(row);
    }
    return out;
  }

  /** The peers that list a content, at most `MAX_HOLDERS`. */
  holders(root: string): PeerAddress[] {
    const seen = new Set<PeerRecord>();
    for (const item of this.#byRoot.get(root) ?? []) {
      for (const h of item.holders) {
        if (seen.size >= MAX_HOLDERS) break;
        seen.add(h);
      }
    }
    return [...seen].map((h) => ({ ip: h.ip, port: h.port }));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
