/**
 * Drop boxes (issue 9, hand-in; docs/PROTOCOL.md, Hand-in): this peer opens boxes by name, and
 * a member of the network hands files in to one with `hand_in`. The collector looks the sender
 * up in the tracker's list by the ID it proved (never by what it claims), fetches each file
 * from the sender's listener through the verified chunk path (every chunk checked against the
 * descriptor before it is written) into `<shared folder>/<BOX>/<sender name>/`, keeping every
 * version, and answers each with a receipt signed with its identity key (`core/receipt.ts`).
 *
 * Hand-ins are never added to the manifest nor announced: they are one person's work for
 * another. So a box opens only where its folder is not shared (a manifest that does not cover
 * it), and closes if that stops being true.
 */
import { resolve, sep } from "node:path";
import { errorLine, hasCode, RedeError, type WireCode } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import {
  HAND_INS_AT_ONCE,
  HAND_INS_PER_SENDER,
  HAND_INS_PER_SOURCE,
  MAX_BOX_ARRIVALS,
  MAX_HAND_IN_BYTES,
  MAX_PEER_NAME_CHARS,
} from "../core/limits.ts";
import { shareNameProblem } from "../core/names.ts";
import { assertBoxName, type Receipt, signReceipt } from "../core/receipt.ts";
import { remoteText } from "../core/terminal.ts";
import { downloadContent } from "../storage/download.ts";
import { certDer, formatId } from "../storage/identity.ts";
import { readManifest } from "../storage/manifest.ts";
import { exists, freeName } from "../storage/paths.ts";
import { type Address, sourceKey } from "../net/address.ts";
import { type Channel, toWire } from "../net/channel.ts";
import { describe, PeerSource } from "../net/peer_client.ts";
import type { FileSummary, MessageOf } from "../net/protocol.ts";
import type { Node } from "./node.ts";

/** A file that arrived in a box. */
export interface Arrival {
  senderId: string;
  /** The sender's name as the tracker listed it. */
  sender: string;
  /** Where it is, inside the box: `<sender folder>/<name>`, a free name when taken. */
  stored: string;
  receipt: Receipt;
}

/** A box, as `collect` shows it. */
export interface Box {
  readonly name: string;
  open: boolean;
  /** What arrived this session, in order. */
  readonly arrivals: Arrival[];
  /** Hand-ins under way. */
  active: number;
  /** The sender folders used this session, with the ID each belongs to. */
  readonly folders: Map<string, string>;
}

/** The sender behind a hand-in, as the tracker lists it. */
interface Sender {
  id: string;
  name: string;
  addr: Address;
}

/** The drop boxes of a peer, and the `hand_in` handler of its listener. */
export class Collector {
  #node: Node;
  #boxes = new Map<string, Box>();
  #active = 0;
  #bySender = new Map<string, number>();
  #bySource = new Map<string, number>();
  /** Names being written now (inside the share), so two hand-ins never pick the same one. */
  #reserved = new Set<string>();
  #certDer: Uint8Array;

  constructor(node: Node) {
    this.#node = node;
    this.#certDer = certDer(node.trust.creds.certPem);
    node.server.extend({ hand_in: (ch, m) => this.#handIn(ch, m) });
  }

  /** Every box of this session, open or closed, in the order they were opened. */
  boxes(): Box[] {
    return [...this.#boxes.values()];
  }

  box(name: string): Box | undefined {
    return this.#boxes.get(name);
  }

  /** The folder of a box. */
  folderOf(name: string): string {
    return resolve(this.#node.index.dir, name);
  }

  /**
   * Opens the box `name` (again, if it was closed).
   *
   * @throws {RedeError} `BAD_NAME` for a name that breaks the rule; `BAD_INPUT` when its folder
   * would be shared, or something that is not a folder is in its place.
   */
  async open(name: string): Promise<Box> {
    assertBoxName(name);
    const problem = await this.#privacyProblem(name);
    if (problem) throw new RedeError("BAD_INPUT", t("box.cannotOpen", { box: name, problem }));
    let box = this.#boxes.get(name);
    if (!box) {
      box = { name, open: true, arrivals: [], active: 0, folders: new Map() };
      this.#boxes.set(name, box);
    }
    box.open = true;
    return box;
  }

  /**
   * Closes a box: no hand-in is taken any more; those under way finish.
   *
   * @throws {RedeError} `NOT_FOUND` when no box of that name was opened.
   */
  close(name: string): Box {
    const box = this.#boxes.get(name);
    if (!box) throw new RedeError("NOT_FOUND", t("box.notOpened", { box: name }));
    box.open = false;
    return box;
  }

  /**
   * Why the folder of box `name` would be shared, or is not a folder; `undefined` when it may
   * hold hand-ins. Without a manifest every file of the shared folder is shared; a manifest
   * entry for the box's folder or one that holds it shares it too.
   */
  async #privacyProblem(name: string): Promise<string | undefined> {
    const { index } = this.#node;
    const folder = this.folderOf(name);
    const manifest = await readManifest(index.manifestPath, index.dir);
    if (!manifest) return t("box.noManifest");
    const covering = manifest.entries.find((e) =>
      folder === e.path || folder.startsWith(e.path.endsWith(sep) ? e.path : e.path + sep)
    );
    if (covering) return t("box.covered", { name: covering.name });
    if (await exists(folder)) {
      const st = await Deno.lstat(folder);
      if (!st.isDirectory) return t("box.inTheWay", { path: folder });
    }
    return undefined;
  }

  async #handIn(ch: Channel, m: MessageOf<"hand_in">): Promise<void> {
    const box = this.#boxes.get(m.box);
    if (!box) throw new RedeError("NO_BOX", t("box.none", { box: m.box }));
    if (!box.open) throw new RedeError("NO_BOX", t("box.isClosed", { box: m.box }));
    if (new Set(m.files.map((f) => f.name)).size !== m.files.length) {
      throw new RedeError("BAD_REQUEST", t("box.twice"));
    }
    if (m.files.reduce((n, f) => n + f.size, 0) > MAX_HAND_IN_BYTES) {
      throw new RedeError("BAD_REQUEST", t("box.tooBig", { max: MAX_HAND_IN_BYTES }));
    }
    if (box.arrivals.length + m.files.length > MAX_BOX_ARRIVALS) {
      throw new RedeError("BUSY", t("box.full", { box: box.name, max: MAX_BOX_ARRIVALS }));
    }
    const id = ch.peerId;
    if (id === undefined || id === this.#node.trust.creds.fingerprint) {
      throw new RedeError("BAD_REQUEST", t("box.self"));
    }
    const release = this.#take(id, sourceKey(ch.remote.host));
    let accepted = false;
    try {
      const problem = await this.#privacyProblem(box.name);
      if (problem) {
        box.open = false;
        this.#node.log(t("box.closedLog", { box: box.name, problem }));
        throw new RedeError("NO_BOX", t("box.isClosed", { box: m.box }));
      }
      const sender = await this.#sender(id);
      accepted = true;
      await this.#receive(ch, box, sender, m.files);
    } finally {
      release();
      if (accepted) ch.close(); // A hand-in ends its connection.
    }
  }

  /** Counts a hand-in against the caps; returns its release. */
  #take(id: string, source: string): () => void {
    if (this.#active >= HAND_INS_AT_ONCE) {
      throw new RedeError("BUSY", t("box.busyAll", { max: HAND_INS_AT_ONCE }));
    }
    if ((this.#bySender.get(id) ?? 0) >= HAND_INS_PER_SENDER) {
      throw new RedeError("BUSY", t("box.busySender", { max: HAND_INS_PER_SENDER }));
    }
    if ((this.#bySource.get(source) ?? 0) >= HAND_INS_PER_SOURCE) {
      throw new RedeError("BUSY", t("box.busySource", { max: HAND_INS_PER_SOURCE }));
    }
    const bump = (map: Map<string, number>, key: string, by: number) => {
      const n = (map.get(key) ?? 0) + by;
      if (n > 0) map.set(key, n);
      else map.delete(key);
    };
    this.#active++;
    bump(this.#bySender, id, 1);
    bump(this.#bySource, source, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      bump(this.#bySender, id, -1);
      bump(this.#bySource, source, -1);
    };
  }

  /**
   * The sender, from the tracker's list by the ID it proved: its name and where it listens.
   *
   * @throws {RedeError} `BUSY` when the tracker cannot be asked, `BAD_REQUEST` when it does
   * not list the sender.
   */
  async #sender(id: string): Promise<Sender> {
    let peers;
    try {
      peers = (await this.#node.tracker.peerList()).peers;
    } catch {
      throw new RedeError("BUSY", t("box.noTracker"));
    }
    const p = peers.find((p) => p.id === id);
    if (!p) throw new RedeError("BAD_REQUEST", t("box.notListed"));
    const name = remoteText(p.name, MAX_PEER_NAME_CHARS) || "?";
    return { id, name, addr: { host: p.ip, port: p.port, id: p.id } };
  }

  /**
   * Fetches the files one after another, answering each with a receipt or `not_received`,
   * within `handInMs` in all. The sender sends nothing meanwhile: the end of its stream, or
   * anything it sends, stops the hand-in.
   */
  async #receive(ch: Channel, box: Box, sender: Sender, files: FileSummary[]): Promise<void> {
    const times = this.#node.timings;
    const stop = new AbortController();
    let timedOut = false;
    const late = setTimeout(() => {
      timedOut = true;
      stop.abort();
    }, times.handInMs);
    let left = false;
    const hungUp = () => {
      left = !stop.signal.aborted;
      ch.close();
      stop.abort();
    };
    ch.recv(times.handInMs + times.replyMs).then(hungUp, hungUp);
    const folder = senderFolder(box, sender);
    box.active++;
    try {
      for (const file of files) {
        if (ch.closed) break;
        const where = { box: box.name, name: file.name, sender: sender.name };
        let arrival: Arrival;
        try {
          arrival = await this.#fetch(box, sender, folder, file, stop.signal);
        } catch (err) {
          const why = whyNot(err, timedOut);
          const error = left ? t("box.senderLeft") : errorLine(err);
          this.#node.log(t("box.notReceived", { ...where, error }));
          await ch.send({ t: "not_received", name: file.name, ...why }).catch(() => {});
          continue;
        }
        box.arrivals.push(arrival);
        this.#node.log(t("box.in", { ...where, count: file.size, stored: arrival.stored }));
        await ch.send({ t: "receipt", ...arrival.receipt }).catch(() => {
          this.#node.log(t("box.noReceipt", where));
        });
      }
    } finally {
      clearTimeout(late);
      stop.abort();
      box.active--;
    }
  }

  /** Fetches one file from the sender into the box, and signs its receipt. */
  async #fetch(
    box: Box,
    sender: Sender,
    folder: string,
    file: FileSummary,
    signal: AbortSignal,
  ): Promise<Arrival> {
    const node = this.#node;
    const times = node.timings;
    const desc = await describe(sender.addr, { name: file.name }, node.trust, times, signal);
    if (desc.root !== file.root || desc.size !== file.size) {
      throw new RedeError("BAD_REQUEST", t("box.changed", { name: file.name }));
    }
    const dir = node.index.dir;
    const base = `${box.name}/${folder}/`;
    const wanted = await freeName(dir, base + file.name, (n) => this.#reserved.has(n));
    this.#reserved.add(wanted);
    try {
      const result = await downloadContent({
        dir,
        name: wanted,
        desc,
        sources: [(s) => PeerSource.open(sender.addr, desc.root, node.trust, times, s)],
        taken: (n) => n !== wanted && this.#reserved.has(n),
        busyDelaysMs: times.busyDelaysMs,
        signal,
      });
      const receipt = signReceipt({
        box: box.name,
        sender_id: sender.id,
        sender_name: sender.name,
        name: file.name,
        size: desc.size,
        root: desc.root,
        time: new Date().toISOString(),
      }, { keyPem: node.trust.creds.keyPem, certDer: this.#certDer });
      return {
        senderId: sender.id,
        sender: sender.name,
        stored: result.name.slice(box.name.length + 1),
        receipt,
      };
    } finally {
      this.#reserved.delete(wanted);
    }
  }
}

/**
 * The folder of a sender in a box: its name made a plain file name (`/ \ < > : " | ? *` and
 * escapes become `_`), or, when another ID used that folder in this box this session, the
 * name and the first groups of its ID.
 */
export function senderFolder(box: Box, sender: { id: string; name: string }): string {
  const plain = sender.name.replace(/[\\/<>:"|?*]/g, "_").trim().slice(0, 60)
    .replace(/^\./, "_").replace(/[. ]+$/, "");
  const base = [plain, `_${plain}`].find((n) => shareNameProblem(n) === undefined) ?? "peer";
  for (const name of [base, `${base} (${formatId(sender.id, true)})`]) {
    const owner = box.folders.get(name);
    if (owner === undefined || owner === sender.id) {
      box.folders.set(name, sender.id);
      return name;
    }
  }
  return formatId(sender.id, true);
}

/** What a sender is told of a file not received: a wire code, and no local detail. */
function whyNot(err: unknown, late: boolean): { code: WireCode; message: string } {
  const wire = toWire(err);
  if (late) return { code: "TIMEOUT", message: t("box.late") };
  if (wire.code !== "INTERNAL") return { code: wire.code, message: wire.message };
  if (hasCode(err, "NO_SPACE")) return { code: "INTERNAL", message: t("box.diskFull") };
  if (hasCode(err, "UNREACHABLE", "CLOSED", "HASH_MISMATCH")) {
    return { code: "INTERNAL", message: t("box.cannotFetch", { error: errorLine(err) }) };
  }
  return { code: "INTERNAL", message: t("box.cannotStore") };
}
