/**
 * Swarming, the serving side: what a peer shares is its share index plus the verified chunks of
 * its downloads under way, which it serves from their partial files as soon as each chunk is in.
 * It tells the tracker which contents it holds in part (how many chunks of each), at once for a
 * download's first chunk and then at most once every `partialsReportMs`, and answers `have` with a have-map (docs/PROTOCOL.md, Swarming).
 *
 * Nothing unverified is served: a chunk counts only once the download checked it against its
 * hash and wrote it, and it is checked again when read back, before a byte of it is sent.
 */
import { chunkCount, chunkSpan, hashChunk, type NamedDescriptor } from "../core/content.ts";
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { readFull, SerialQueue } from "../core/io.ts";
import { encodeHaveMap } from "../core/have_map.ts";
import type { SwarmHooks } from "../storage/download.ts";
import type { ShareIndex } from "../storage/share_index.ts";
import type { PartialHolding } from "../net/protocol.ts";
import type { SharedContent } from "../net/peer_server.ts";
import { Suggestions } from "./suggest.ts";

/** A download under way, as far as serving it goes. */
interface Held {
  desc: NamedDescriptor;
  have: Set<number>;
  file?: Deno.FsFile;
  /** Reads take turns on the one handle (a read is a seek, then reads). */
  reads: SerialQueue;
}

/** The hooks a download gets, and the end of its partial serving. */
export interface PartialServing extends SwarmHooks {
  /** Stops serving the partial file (the download ended; once shared whole, the index serves). */
  close(): void;
}

/** The share index and the partial downloads of a peer, served as one. */
export class SwarmContent implements SharedContent {
  #index: ShareIndex;
  #held = new Map<string, Held>();
  #report: (list: PartialHolding[]) => void;
  #reportMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastReport = 0;
  #log: (line: string) => void;
  #suggest = new Suggestions();

  /**
   * @param report Tells the tracker the contents held in part (the whole list each time).
   * @param reportMs Least time between two reports while chunks arrive.
   */
  constructor(
    index: ShareIndex,
    report: (list: PartialHolding[]) => void,
    reportMs: number,
    log: (line: string) => void = () => {},
  ) {
    this.#index = index;
    this.#report = report;
    this.#reportMs = reportMs;
    this.#log = log;
  }

  /** Serving of a download's verified chunks, from when its partial file is open. */
  serve(desc: NamedDescriptor): PartialServing {
    const { root } = desc;
    let held: Held | undefined;
    return {
      opened: (dataPath, have) => {
        held = { desc, have: new Set(have), reads: new SerialQueue() };
        this.#held.set(root, held);
        Deno.open(dataPath, { read: true }).then((f) => {
          if (held !== undefined && !held.file && this.#held.get(root) === held) held.file = f;
          else f.close();
        }, () => this.#drop(root));
        this.#reportSoon(true);
      },
      added: (index) => {
        // The first chunk is told at once: others can start taking it from here.
        const first = held?.have.size === 0;
        held?.have.add(index);
        this.#reportSoon(first);
      },
      close: () => {
        if (held !== undefined && this.#held.get(root) === held) this.#drop(root);
        held = undefined;
      },
    };
  }

  /** Stops every report (the peer is leaving). */
  close(): void {
    clearTimeout(this.#timer);
    for (const root of [...this.#held.keys()]) this.#drop(root);
  }

  refresh(): Promise<unknown> {
    return this.#index.refresh();
  }

  list() {
    return this.#index.list();
  }

  describe(name: string): Promise<NamedDescriptor> {
    return this.#index.describe(name);
  }

  describeRoot(root: string): Promise<NamedDescriptor> {
    const held = this.#partial(root);
    return held ? Promise.resolve(held.desc) : this.#index.describeRoot(root);
  }

  checkChunk(root: string, index: number): void {
    const held = this.#partial(root);
    if (!held) return this.#index.checkChunk(root, index);
    if (index >= held.desc.chunks.length) {
      throw new RedeError("BAD_REQUEST", t("swarm.noChunk", { index, name: held.desc.name }));
    }
    if (!held.have.has(index)) {
      throw new RedeError("NOT_FOUND", t("swarm.notYet", { index, name: held.desc.name }));
    }
  }

  async readChunk(root: string, index: number, buf: Uint8Array): Promise<number> {
    const held = this.#partial(root);
    if (!held) {
      const n = await this.#index.readChunk(root, index, buf);
      this.#suggest.sent(root, index);
      return n;
    }
    this.checkChunk(root, index);
    const span = chunkSpan(held.desc, index);
    const n = await held.reads.run(async () => {
      if (!held.file) {
        throw new RedeError("NOT_FOUND", t("swarm.notOpen", { name: held.desc.name }));
      }
      await held.file.seek(span.offset, Deno.SeekMode.Start);
      return await readFull(held.file, buf.subarray(0, span.length));
    });
    if (n !== span.length || hashChunk(buf.subarray(0, n)) !== held.desc.chunks[index]) {
      // Changed on disk since it was checked: never sent, and no longer offered.
      held.have.delete(index);
      this.#reportSoon(true);
      this.#log(t("swarm.changed", { index, name: held.desc.name }));
      throw new RedeError("NOT_FOUND", t("swarm.notHere", { index, name: held.desc.name }));
    }
    return n;
  }

  /**
   * The have-map of a content held in part; of one held whole, the chunks suggested to `from`
   * (super-seeding, `suggest.ts`); `NOT_FOUND` otherwise.
   */
  async haveMap(root: string, from = ""): Promise<string> {
    const held = this.#partial(root);
    if (held) return encodeHaveMap(held.have, held.desc.chunks.length);
    const total = chunkCount(await this.#index.describeRoot(root));
    return encodeHaveMap(this.#suggest.pick(root, total, from), total);
  }

  /** A partial download of `root` this peer does not (yet) share whole. */
  #partial(root: string): Held | undefined {
    return this.#index.nameOf(root) === undefined ? this.#held.get(root) : undefined;
  }

  #drop(root: string): void {
    const held = this.#held.get(root);
    if (!held) return;
    this.#held.delete(root);
    void held.reads.run(() => Promise.resolve(held.file?.close())).catch(() => {});
    this.#reportSoon(true);
  }

  /** Reports at once (`now`) or within `reportMs` of the last report. */
  #reportSoon(now: boolean): void {
    if (this.#timer !== undefined && !now) return;
    clearTimeout(this.#timer);
    const wait = now ? 0 : Math.max(0, this.#lastReport + this.#reportMs - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#lastReport = performance.now();
      this.#report(
        [...this.#held.values()].filter((h) => h.have.size > 0).map((h) => ({
          root: h.desc.root,
          size: h.desc.size,
          have: h.have.size,
        })),
      );
    }, wait);
  }
}
