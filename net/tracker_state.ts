/**
 * What a tracker holds: the registered peers, the files they list (one record per distinct
 * name and content, shared by every peer that lists it), the search index over their names, and
 * the accounting that bounds it all. Nothing here touches the network.
 *
 * Accounting (the costs are measured upper bounds of what each thing takes in memory): the state
 * costs `TRACKER_PEER_COST` per peer, `TRACKER_LISTING_COST` per file a peer lists,
 * `TRACKER_FILE_COST` plus twice the UTF-8 bytes of the name per distinct (content, name) record,
 * however many peers list it, and `tokenCost` per distinct name token (`net/name_index.ts`).
 * That sum stays under `TRACKER_STATE_BYTES`. The peers of one
 * source address are charged as if no other peer listed their files, and that stays under
 * `TRACKER_STATE_PER_IP_BYTES`. With the peer counts (`TRACKER_MAX_PEERS`,
 * `TRACKER_PEERS_PER_IP`) this bounds the tracker's memory, whatever peers send.
 */
import type { FileSummary } from "../core/content.ts";
import { t } from "../core/i18n.ts";
import {
  FIND_WORK,
  MAX_FOUND,
  MAX_FOUND_HOLDERS,
  MAX_HOLDERS,
  MAX_PEER_LIST,
  TRACKER_FILE_COST,
  TRACKER_LISTING_COST,
  TRACKER_MAX_PEERS,
  TRACKER_MAX_REPLY_BYTES,
  TRACKER_PEER_COST,
  TRACKER_PEERS_PER_IP,
  TRACKER_STATE_BYTES,
  TRACKER_STATE_PER_IP_BYTES,
} from "../core/limits.ts";
import { sourceKey } from "./address.ts";
import { NameIndex, namesTokenCost, searchForm } from "./name_index.ts";
import { addTo, has, members, removeFrom, sizeOf, type SmallSet } from "./small_set.ts";
import type { FoundFile, Holder, PeerInfo } from "./protocol.ts";

/** One distinct (content, name) that at least one peer lists. */
class Item {
  constructor(
    readonly name: string,
    readonly lower: string,
    readonly size: number,
    /** The root as 32 one-byte characters ({@link packRoot}): half the memory of its hex. */
    readonly packed: string,
    public holders: SmallSet<PeerRecord> | undefined,
  ) {}

  /** The root, in hex. */
  get root(): string {
    return unpackRoot(this.packed);
  }
}

/**
 * The records of one content: one, a few in an array, by name once they are many (a content
 * listed under thousands of names must not make each lookup scan them).
 */
type Siblings = Item | Item[] | Map<string, Item>;

function siblings(s: Siblings | undefined): Iterable<Item> {
  return s instanceof Map ? s.values() : members(s);
}

/** A registered peer. */
export interface PeerRecord {
  readonly key: string;
  readonly ip: string;
  readonly port: number;
  /** Its identity: the fingerprint of the certificate it showed in TLS. */
  readonly id: string;
  readonly name: string;
  /** The secret that lets a reconnect of this peer replace it. */
  readonly token: string;
  files: Item[];
  cost: number;
}

const utf8 = new TextEncoder();

/** Accounted bytes of one distinct (content, name) record. */
function itemCost(name: string): number {
  return TRACKER_FILE_COST + 2 * utf8.encode(name).length;
}

/** Accounted bytes of a peer listing `files`, as if no other peer listed them (or their tokens). */
export function peerCost(files: readonly { name: string }[]): number {
  let cost = TRACKER_PEER_COST + namesTokenCost(files.map((f) => f.name));
  for (const f of files) cost += TRACKER_LISTING_COST + itemCost(f.name);
  return cost;
}

/**
 * Most JSON bytes of a reply's parts besides names (names need no escaping: `"`, `\` and
 * control characters are not allowed in them), for the reply's byte cap.
 */
const ROW_BYTES = 120;
const ADDRESS_BYTES = 96;
const PEER_BYTES = 120;

/** The bounds of a tracker's state; the constants of `core/limits.ts` unless a test says. */
export interface StateLimits {
  maxPeers: number;
  peersPerIp: number;
  stateBytes: number;
  stateBytesPerIp: number;
}

const DEFAULT_LIMITS: StateLimits = {
  maxPeers: TRACKER_MAX_PEERS,
  peersPerIp: TRACKER_PEERS_PER_IP,
  stateBytes: TRACKER_STATE_BYTES,
  stateBytesPerIp: TRACKER_STATE_PER_IP_BYTES,
};

/** The peers, files and index of a tracker, within its bounds. */
export class TrackerState {
  readonly limits: StateLimits;
  #peers = new Map<string, PeerRecord>();
  #items = 0;
  #byRoot = new Map<string, Siblings>();
  #index = new NameIndex<Item>();
  #perIp = new Map<string, { peers: number; bytes: number }>();
  #bytes = 0;
  #sorted?: PeerInfo[];

  constructor(limits: Partial<StateLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Names (tokens and items) the last `find` examined: its work. */
  get lastFindWork(): number {
    return this.#index.lastWork;
  }

  /** Accounted bytes now held. */
  get bytes(): number {
    return this.#bytes + this.#index.bytes;
  }

  /** Peers registered now. */
  get size(): number {
    return this.#peers.size;
  }

  /** Distinct (content, name) records now held. */
  get items(): number {
    return this.#items;
  }

  get(key: string): PeerRecord | undefined {
    return this.#peers.get(key);
  }

  /**
   * Why a peer at `ip` listing `files` cannot be added now (with `replacing` gone first), as
   * one line for the refused peer, or `undefined` when it can.
   */
  refusal(ip: string, files: readonly FileSummary[], replacing?: PeerRecord): string | undefined {
    const here = this.#perIp.get(sourceKey(ip)) ?? { peers: 0, bytes: 0 };
    const freed = replacing ? 1 : 0;
    const { maxPeers, peersPerIp } = this.limits;
    if (this.#peers.size - freed >= maxPeers) {
      return t("tracker.full", { max: maxPeers });
    }
    if (here.peers - freed >= peersPerIp) {
      return t("tracker.fullFromIp", { max: peersPerIp, ip });
    }
    return this.#bytesRefusal(ip, files, replacing);
  }

  /** Why `files` from `ip`, in place of what `old` lists, do not fit; `undefined` if they do. */
  #bytesRefusal(
    ip: string,
    files: readonly FileSummary[],
    old: PeerRecord | undefined,
  ): string | undefined {
    // One address: charged as if nobody else listed its files.
    const here = (this.#perIp.get(sourceKey(ip))?.bytes ?? 0) + peerCost(files) - (old?.cost ?? 0);
    // The whole state: a new record costs in full with the tokens it adds to the name index, a
    // listing of a known one only the listing.
    let total = this.bytes + (old ? 0 : TRACKER_PEER_COST);
    const counted = new Set<string>();
    const onlyOld = (item: Item) =>
      old !== undefined && sizeOf(item.holders) === 1 &&
      has(item.holders, old);
    for (const f of files) {
      const item = this.#lookup(f.root, f.name);
      total += TRACKER_LISTING_COST + (!item || onlyOld(item) ? itemCost(f.name) : 0);
      if (!item) total += this.#index.newTokenCost(searchForm(f.name), counted);
    }
    for (const item of old?.files ?? []) {
      total -= TRACKER_LISTING_COST + (onlyOld(item) ? itemCost(item.name) : 0);
    }
    const { stateBytes, stateBytesPerIp } = this.limits;
    if (total > stateBytes) {
      return t("tracker.fullBytes", { bytes: stateBytes });
    }
    if (here > stateBytesPerIp) {
      return t("tracker.fullBytesFromIp", { ip, bytes: stateBytesPerIp });
    }
    return undefined;
  }

  /** Adds a peer (after {@link refusal} said it fits). */
  add(p: Omit<PeerRecord, "files" | "cost">, files: readonly FileSummary[]): PeerRecord {
    const rec: PeerRecord = { ...p, files: [], cost: 0 };
    this.#peers.set(rec.key, rec);
    const here = this.#perIp.get(sourceKey(rec.ip)) ?? { peers: 0, bytes: 0 };
    here.peers++;
    this.#perIp.set(sourceKey(rec.ip), here);
    this.#bytes += TRACKER_PEER_COST;
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
    const why = this.#bytesRefusal(rec.ip, files, rec);
    if (why) return why;
    this.#setFiles(rec, files);
    return undefined;
  }

  /** Removes a peer and every file record only it listed. */
  remove(rec: PeerRecord): void {
    if (this.#peers.get(rec.key) !== rec) return;
    this.#setFiles(rec, []);
    this.#peers.delete(rec.key);
    this.#bytes -= TRACKER_PEER_COST;
    const here = this.#perIp.get(sourceKey(rec.ip))!;
    here.bytes -= rec.cost;
    if (--here.peers === 0) this.#perIp.delete(sourceKey(rec.ip));
    this.#sorted = undefined;
  }

  #setFiles(rec: PeerRecord, files: readonly FileSummary[]): void {
    for (const item of rec.files) {
      item.holders = removeFrom(item.holders, rec);
      this.#bytes -= TRACKER_LISTING_COST;
      if (!item.holders) this.#drop(item);
    }
    const next: Item[] = [];
    for (const f of files) {
      let item = this.#lookup(f.root, f.name);
      if (!item) {
        const folded = searchForm(f.name);
        const lower = folded === f.name ? f.name : folded;
        item = new Item(f.name, lower, f.size, packRoot(f.root), undefined);
        this.#items++;
        this.#bytes += itemCost(f.name);
        this.#addSibling(item);
        this.#index.add(item);
      }
      if (has(item.holders, rec)) continue;
      item.holders = addTo(item.holders, rec);
      this.#bytes += TRACKER_LISTING_COST;
      next.push(item);
    }
    rec.files = next;
    const cost = peerCost(next);
    const here = this.#perIp.get(sourceKey(rec.ip));
    if (here) here.bytes += cost - rec.cost;
    rec.cost = cost;
    this.#sorted = undefined;
  }

  /** The record of (root, name). */
  #lookup(root: string, name: string): Item | undefined {
    const s = this.#byRoot.get(packRoot(root));
    if (s instanceof Map) return s.get(name);
    for (const item of members(s)) if (item.name === name) return item;
    return undefined;
  }

  #addSibling(item: Item): void {
    const s = this.#byRoot.get(item.packed);
    if (s instanceof Map) return void s.set(item.name, item);
    const more = addTo(s, item);
    const byName = (all: Set<Item>) => new Map([...all].map((i) => [i.name, i] as const));
    this.#byRoot.set(item.packed, more instanceof Set ? byName(more) : more);
  }

  #drop(item: Item): void {
    this.#items--;
    this.#bytes -= itemCost(item.name);
    const s = this.#byRoot.get(item.packed);
    const rest = s instanceof Map
      ? (s.delete(item.name), s.size ? s : undefined)
      : removeFrom(s, item) as Item | Item[] | undefined; // An array never grows into a set here.
    if (rest) this.#byRoot.set(item.packed, rest);
    else this.#byRoot.delete(item.packed);
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
        out.push({ ip: r.ip, port: r.port, id: r.id, name: r.name, files: r.files.length });
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
    // One row per content, ranked by how many peers hold it (a peer listing one content under
    // several names counts once), named as most of its holders name it.
    const byRoot = new Map<string, { items: Item[]; held: Set<PeerRecord> }>();
    for (const item of this.#index.search(text, FIND_WORK)) {
      const r = byRoot.get(item.packed) ?? { items: [], held: new Set<PeerRecord>() };
      byRoot.set(item.packed, r);
      r.items.push(item);
      for (const h of members(item.holders)) {
        if (r.held.size >= MAX_FOUND_HOLDERS) break;
        r.held.add(h);
      }
    }
    const rows = [...byRoot.values()]
      .map(({ items, held }) => {
        const named = (i: Item) => sizeOf(i.holders);
        const first = items.reduce((a, b) =>
          named(b) > named(a) || (named(b) === named(a) && cmp(b.name, a.name) < 0) ? b : a
        );
        return { first, held };
      })
      .sort((a, b) => b.held.size - a.held.size || cmp(a.first.name, b.first.name))
      .slice(0, MAX_FOUND);
    const out: FoundFile[] = [];
    let bytes = 0;
    for (const { first, held } of rows) {
      const row: FoundFile = { name: first.name, size: first.size, root: first.root, peers: [] };
      for (const h of held) row.peers.push({ ip: h.ip, port: h.port, id: h.id });
      bytes += ROW_BYTES + utf8.encode(row.name).length + row.peers.length * ADDRESS_BYTES;
      if (bytes > TRACKER_MAX_REPLY_BYTES) break;
      out.push(row);
    }
    return out;
  }

  /** The peers that list a content, at most `MAX_HOLDERS`. */
  holders(root: string): Holder[] {
    const seen = new Set<PeerRecord>();
    for (const item of siblings(this.#byRoot.get(packRoot(root)))) {
      for (const h of members(item.holders)) {
        if (seen.size >= MAX_HOLDERS) break;
        seen.add(h);
      }
    }
    return [...seen].map((h) => ({ ip: h.ip, port: h.port, id: h.id, name: h.name }));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const codes: number[] = new Array(32).fill(0);

/** A SHA-256 root in hex (checked at the gate: 64 lowercase hex digits) as 32 characters. */
function packRoot(hex: string): string {
  for (let i = 0; i < 32; i++) codes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return String.fromCharCode(...codes);
}

function unpackRoot(packed: string): string {
  let hex = "";
  for (let i = 0; i < packed.length; i++) hex += packed.charCodeAt(i).toString(16).padStart(2, "0");
  return hex;
}
