/**
 * The peer's side of the tracker: registers, sends heartbeats, asks for the peer list, and
 * when the tracker goes away keeps trying until it is back, then registers again by itself.
 */
import type { FileSummary } from "../core/content.ts";
import { errorLine, hasCode, RedeError } from "../core/errors.ts";
import { formatNumber, t } from "../core/i18n.ts";
import {
  MAX_FIND_TEXT_CHARS,
  type Timings,
  timings,
  TRACKER_MAX_FILES_PER_PEER,
  TRACKER_MAX_FRAME_BYTES,
} from "../core/limits.ts";
import { type Address, formatAddress } from "./address.ts";
import type { Channel } from "./channel.ts";
import type {
  FoundFile,
  Holder,
  Message,
  MessageOf,
  MessageType,
  PartialHolding,
  PeerInfo,
} from "./protocol.ts";
import type { Trust } from "./membership.ts";
import { certPemFor } from "./peer_tls.ts";
import { admit } from "./tracker_admission.ts";
import { connect } from "./transport.ts";

export interface TrackerClientOptions {
  tracker: Address;
  /** Port this peer listens on. */
  port: number;
  /** The name asked for (a tracker may give another: {@link TrackerClient.name}). */
  name: string;
  /** What this peer shares now. */
  files: () => FileSummary[];
  /** Tells the user about registrations and lost connections. */
  log: (line: string) => void;
  timings?: Partial<Timings>;
  /** This peer's identity; the network is set on it once the tracker admits this peer. */
  trust: Trust;
  /** The join code, asked once when the network turns out to be private. */
  code: () => Promise<string>;
  /** The tracker IDs met before (trust on first use). */
  pins: {
    get(where: string): Promise<string | undefined>;
    set(where: string, id: string): Promise<void>;
  };
  /**
   * Admission only, never `register` (a one-shot run, not listed): `peers`, `find`, `who_has`
   * and `cert_of` work; a tracker closes it when idle, and the loop is admitted again.
   */
  admitOnly?: boolean;
}

/** The join code was just asked for: connect again at once. */
class CodeAsked extends Error {}

/** An admitted connection that does not register ended: be admitted again, saying nothing. */
class AdmissionOver extends Error {}

/** Failures that retrying cannot mend: the loop stops and says why. */
const FATAL = ["IDENTITY", "WRONG_CODE", "BAD_INPUT"] as const;

const utf8 = new TextEncoder();

/** Peer certificates a client keeps. */
const CERT_CACHE = 512;

/** A peer's lasting registration with a tracker. */
export class TrackerClient {
  /** This peer as the tracker sees it, once registered. */
  self?: { ip: string; port: number };
  /**
   * This peer's name on the network: the one the tracker gave at the last registration (the one
   * asked for until then). A reconnect asks for it again, to keep it.
   */
  name: string;
  #opts: TrackerClientOptions;
  #certs = new Map<string, string>();
  #t: Timings;
  #ch?: Channel;
  #registered = false;
  /** Admitted on a connection that does not register (`admitOnly`): requests may go. */
  #admitted = false;
  /** Why the first attempt failed, if it did (`start(true)` throws it). */
  #firstError?: unknown;
  #partials: PartialHolding[] = [];
  /** The secret the tracker handed at the last registration; a reconnect shows it. */
  #token?: string;
  #trimmedTold = false;
  #fatal?: RedeError;
  #code?: string;
  #closing = false;
  #wake?: () => void;
  #loop?: Promise<void>;
  #firstAttempt: Promise<void>;
  #firstDone!: () => void;

  constructor(opts: TrackerClientOptions) {
    this.#opts = opts;
    this.name = opts.name;
    this.#t = timings(opts.timings);
    this.#firstAttempt = new Promise((resolve) => (this.#firstDone = resolve));
  }

  /** Where the tracker is, as `host:port`. */
  get where(): string {
    return formatAddress(this.#opts.tracker);
  }

  /** Whether the peer is registered right now. */
  get registered(): boolean {
    return this.#registered;
  }

  /**
   * Starts the registration loop; resolves after the first attempt, successful or not.
   *
   * @param strict Also throw when the first attempt failed in a way a retry might mend (the
   *   tracker unreachable): a one-shot run gives up at once.
   * @throws {RedeError} when the first attempt failed for good: `IDENTITY` (the tracker is not
   * the one pinned), `WRONG_CODE`, `BAD_INPUT` (no code to give).
   */
  async start(strict = false): Promise<void> {
    this.#loop ??= this.#run();
    await this.#firstAttempt;
    if (this.#fatal) throw this.#fatal;
    if (strict && this.#firstError !== undefined) throw this.#firstError;
  }

  /** Asks the tracker for the connected peers. */
  async peers(): Promise<PeerInfo[]> {
    return (await this.peerList()).peers;
  }

  /** Asks the tracker for the connected peers, and how many there are (more may be connected). */
  async peerList(): Promise<{ peers: PeerInfo[]; total: number }> {
    const { peers, total } = await this.#request({ t: "peers" }, "peer_list");
    return { peers, total: Math.max(total, peers.length) };
  }

  /**
   * Asks the tracker to connect back to `port` at this machine's address, as it sees it, and say
   * what happened (`rede-p2p doctor`; docs/PROTOCOL.md, `reach`).
   */
  reach(port: number): Promise<MessageOf<"reached">> {
    return this.#request({ t: "reach", port }, "reached");
  }

  /** Asks the tracker for the files whose names contain `text`, across all peers. */
  async find(text: string): Promise<FoundFile[]> {
    if (text.length > MAX_FIND_TEXT_CHARS) {
      throw new RedeError(
        "BAD_INPUT",
        t("tracker.findTooLong", { length: text.length, max: MAX_FIND_TEXT_CHARS }),
      );
    }
    return (await this.#request({ t: "find", text }, "found")).results;
  }

  /** Asks the tracker which peers hold a content. */
  async whoHas(root: string): Promise<Holder[]> {
    return (await this.#request({ t: "who_has", root }, "holders")).peers;
  }

  /**
   * The certificate (PEM) the tracker lists for the peer `id`, asked once and then kept (a few
   * hundred, the ones reached last).
   *
   * @throws {RedeError} `NOT_FOUND` when no such peer is connected to the tracker,
   * `UNREACHABLE` when the tracker is.
   */
  async certOf(id: string): Promise<string> {
    const known = this.#certs.get(id);
    if (known !== undefined) {
      this.#certs.delete(id); // To the back: the cache forgets the least used first.
      this.#certs.set(id, known);
      return known;
    }
    const reply = await this.#request({ t: "cert_of", id }, "cert");
    const pem = certPemFor(id, reply.cert);
    if (this.#certs.size >= CERT_CACHE) this.#certs.delete(this.#certs.keys().next().value!);
    this.#certs.set(id, pem);
    return pem;
  }

  /** Tells the tracker at once that what this peer shares changed. */
  notifyFiles(): void {
    if (this.#registered) {
      this.#ch?.send({ t: "announce", files: this.#files() }).catch(() => {});
    }
  }

  /** Tells the tracker what this peer holds in part now (again after each registration). */
  notifyPartials(list: PartialHolding[]): void {
    this.#partials = list;
    if (this.#registered) this.#ch?.send({ t: "partials", list }).catch(() => {});
  }

  async #request<T extends MessageType>(m: Message, type: T): Promise<MessageOf<T>> {
    const ch = this.#ch;
    if (!ch || !(this.#registered || this.#admitted)) {
      throw new RedeError("UNREACHABLE", t("tracker.unreachable", { address: this.where }));
    }
    try {
      // A tracker that does not answer in time is treated as gone; the loop reconnects.
      return await ch.request(m, type, this.#t.replyMs);
    } catch (err) {
      if (ch.closed) {
        const lost = t("tracker.lost", { address: this.where });
        throw new RedeError("UNREACHABLE", lost, { cause: err });
      }
      throw err;
    }
  }

  /** Says goodbye to the tracker and stops reconnecting. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#wake?.();
    const ch = this.#ch;
    if (ch && this.#registered) {
      await ch.send({ t: "bye" }).catch(() => {});
    }
    ch?.close();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const tm = this.#t;
    let attempt = 0;
    let everRegistered = false;
    let reportedDown = false;
    let again = false;
    /** Whether the first attempt is over (`start` has answered): later failures are logged. */
    let attempted = false;
    while (!this.#closing) {
      again = false;
      try {
        const ch = await connect(this.#opts.tracker, "tracker", {
          creds: this.#opts.trust.creds,
          timeoutMs: tm.connectMs,
          writeMs: tm.stallMs,
        });
        this.#ch = ch;
        if (this.#closing) break;
        await this.#admission(ch);
        if (this.#opts.admitOnly) {
          this.#admitted = true;
          attempt = 0;
          this.#firstDone();
          await ch.done;
          throw new AdmissionOver();
        }
        const reg = await ch.request(
          {
            t: "register",
            port: this.#opts.port,
            name: this.name,
            files: this.#files(),
            token: this.#token,
          },
          "registered",
          tm.replyMs,
        );
        this.self = { ip: reg.ip, port: reg.port };
        const asked = this.name;
        this.name = reg.name ?? asked;
        this.#token = reg.token;
        this.#registered = true;
        if (this.#partials.length > 0) this.notifyPartials(this.#partials);
        attempt = 0;
        const as = formatAddress({ host: reg.ip, port: reg.port });
        const said = { tracker: this.where, address: as, name: this.name, asked };
        this.#opts.log(
          this.name === asked
            ? t(everRegistered ? "net.registeredAgain" : "net.registered", said)
            : t(everRegistered ? "net.registeredAgainRenamed" : "net.registeredRenamed", said),
        );
        everRegistered = true;
        reportedDown = false;
        this.#firstDone();
        await this.#beat(ch, reg.heartbeat_ms);
        if (!this.#closing) {
          this.#opts.log(t("tracker.lostRetrying", { address: this.where }));
          reportedDown = true;
        }
      } catch (err) {
        if (err instanceof CodeAsked) {
          again = true;
          continue;
        }
        if (hasCode(err, ...FATAL)) {
          this.#fatal = err;
          if (attempted) this.#opts.log(t("tracker.noLongerRetrying", { message: errorLine(err) }));
          break;
        }
        const over = err instanceof AdmissionOver;
        if (!attempted && !over) this.#firstError = err;
        if (!reportedDown && !this.#closing && !over) {
          this.#opts.log(t("tracker.retrying", { message: errorLine(err) }));
          reportedDown = true;
        }
      } finally {
        this.#registered = false;
        this.#admitted = false;
        this.#ch?.close();
        this.#ch = undefined;
        if (!again) {
          this.#firstDone();
          attempted = true;
        }
      }
      if (this.#closing) break;
      const delays = tm.reconnectDelaysMs;
      const delay = delays[Math.min(attempt++, delays.length - 1)];
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Admission (net/tracker_admission.ts); the join code is asked once, with no connection open. */
  async #admission(ch: Channel): Promise<void> {
    const { trust, pins } = this.#opts;
    const code = this.#code;
    const admitted = await admit(ch, { where: this.where, trust, pins, code, timings: this.#t });
    if (admitted === "code needed") {
      // Asked with no connection open: a person may take longer than the tracker waits.
      ch.close();
      this.#code = await this.#opts.code();
      throw new CodeAsked();
    }
    trust.certOf ??= (id) => this.certOf(id);
  }

  /**
   * What this peer shares, cut to what a tracker accepts: at most `TRACKER_MAX_FILES_PER_PEER`
   * files in a frame of at most `TRACKER_MAX_FRAME_BYTES` (told once when cut).
   */
  #files(): FileSummary[] {
    const all = this.#opts.files();
    const room = TRACKER_MAX_FRAME_BYTES - 4096 - this.name.length * 6;
    let bytes = 0;
    let n = 0;
    for (const f of all) {
      // The JSON of a summary: the name, the root, the size and the punctuation.
      bytes += utf8.encode(f.name).length + 110;
      if (n >= TRACKER_MAX_FILES_PER_PEER || bytes > room) break;
      n++;
    }
    if (n < all.length && !this.#trimmedTold) {
      this.#trimmedTold = true;
      this.#opts.log(t("tracker.trimmed", {
        count: all.length,
        listed: formatNumber(n),
        max: formatNumber(TRACKER_MAX_FILES_PER_PEER),
        bytes: formatNumber(TRACKER_MAX_FRAME_BYTES),
      }));
    }
    return n < all.length ? all.slice(0, n) : all;
  }

  /** Sends heartbeats until the connection ends (the channel notices at once). */
  async #beat(ch: Channel, intervalMs: number): Promise<void> {
    const timer = setInterval(() => {
      ch.send({ t: "heartbeat" }).catch(() => ch.close());
    }, intervalMs);
    try {
      await ch.done;
    } finally {
      clearInterval(timer);
    }
  }
}
