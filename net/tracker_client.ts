/**
 * The peer's side of the tracker: registers, sends heartbeats, asks for the peer list, and
 * when the tracker goes away keeps trying until it is back, then registers again by itself.
 */
import { errorLine, RedeError } from "./errors.ts";
import { printable } from "../storage/names.ts";
import { RECONNECT_DELAYS_MS, REPLY_TIMEOUT_MS } from "./limits.ts";
import {
  decodeMessage,
  type FileSummary,
  type FoundFile,
  type Message,
  type MessageOf,
  type MessageType,
  type PeerAddress,
  type PeerInfo,
} from "./protocol.ts";
import { type Address, Channel, connect, formatAddress } from "./transport.ts";

export interface TrackerClientOptions {
  tracker: Address;
  /** Port this peer listens on. */
  port: number;
  name: string;
  /** What this peer shares now. */
  files: () => FileSummary[];
  /** Tells the user about registrations and lost connections. */
  log: (line: string) => void;
}

interface Pending {
  type: MessageType;
  resolve: (msg: Message) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** A peer's lasting registration with a tracker. */
export class TrackerClient {
  /** This peer as the tracker sees it, once registered. */
  self?: { ip: string; port: number };
  #opts: TrackerClientOptions;
  #ch?: Channel;
  #registered = false;
  #closing = false;
  #pending: Pending[] = [];
  #wake?: () => void;
  #loop?: Promise<void>;
  #firstAttempt: Promise<void>;
  #firstDone!: () => void;

  constructor(opts: TrackerClientOptions) {
    this.#opts = opts;
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

  /** Starts the registration loop; resolves after the first attempt, successful or not. */
  start(): Promise<void> {
    this.#loop ??= this.#run();
    return this.#firstAttempt;
  }

  /** Asks the tracker for the connected peers. */
  async peers(): Promise<PeerInfo[]> {
    return (await this.#request({ t: "peers" }, "peer_list")).peers;
  }

  /** Asks the tracker for the files whose names contain `text`, across all peers. */
  async find(text: string): Promise<FoundFile[]> {
    return (await this.#request({ t: "find", text }, "found")).results;
  }

  /** Asks the tracker which peers hold a content. */
  async whoHas(root: string): Promise<PeerAddress[]> {
    return (await this.#request({ t: "who_has", root }, "holders")).peers;
  }

  /** Tells the tracker at once that what this peer shares changed. */
  notifyFiles(): void {
    if (this.#registered) {
      this.#ch?.send({ t: "announce", files: this.#opts.files() }).catch(() => {});
    }
  }

  #request<T extends MessageType>(msg: Message, type: T): Promise<MessageOf<T>> {
    const ch = this.#ch;
    if (!ch || !this.#registered) {
      return Promise.reject(
        new RedeError(
          "UNREACHABLE",
          `Tracker at ${this.where} is unreachable (retrying in the background)`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        ch.close(); // A tracker that does not answer is treated as gone; the loop reconnects.
      }, REPLY_TIMEOUT_MS);
      this.#pending.push({
        type,
        resolve: (m) => resolve(m as MessageOf<T>),
        reject,
        timer,
      });
      ch.send(msg).catch(() => ch.close());
    });
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
    let attempt = 0;
    let everRegistered = false;
    let reportedDown = false;
    while (!this.#closing) {
      try {
        const ch = new Channel(await connect(this.#opts.tracker, "tracker"));
        this.#ch = ch;
        await ch.greet("peer", "tracker");
        await ch.send({
          t: "register",
          port: this.#opts.port,
          name: this.#opts.name,
          files: this.#opts.files(),
        });
        const reg = await ch.expect("registered", REPLY_TIMEOUT_MS);
        this.self = { ip: reg.ip, port: reg.port };
        this.#registered = true;
        attempt = 0;
        this.#opts.log(
          everRegistered
            ? `Tracker ${this.where} is back; registered again as ${
              formatAddress({ host: reg.ip, port: reg.port })
            }`
            : `Registered with tracker ${this.where} as ${
              formatAddress({ host: reg.ip, port: reg.port })
            }`,
        );
        everRegistered = true;
        reportedDown = false;
        this.#firstDone();
        await this.#serve(ch, reg.heartbeat_ms);
        if (!this.#closing) {
          this.#opts.log(`Lost the tracker at ${this.where}; retrying in the background`);
          reportedDown = true;
        }
      } catch (err) {
        if (!reportedDown && !this.#closing) {
          this.#opts.log(`${errorLine(err)}; retrying in the background`);
          reportedDown = true;
        }
      } finally {
        this.#registered = false;
        this.#ch?.close();
        this.#ch = undefined;
        this.#failPending();
        this.#firstDone();
      }
      if (this.#closing) break;
      const delay = RECONNECT_DELAYS_MS[Math.min(attempt++, RECONNECT_DELAYS_MS.length - 1)];
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Reads the tracker's replies and sends heartbeats until the connection ends. */
  async #serve(ch: Channel, heartbeatMs: number): Promise<void> {
    const beat = setInterval(() => {
      ch.send({ t: "heartbeat" }).catch(() => ch.close());
    }, heartbeatMs);
    try {
      while (true) {
        let payload;
        try {
          payload = await ch.reader.readFrame();
        } catch {
          return;
        }
        if (payload === null) return;
        const msg = decodeMessage(payload);
        const pending = this.#pending.shift();
        if (!pending) continue;
        clearTimeout(pending.timer);
        if (msg.t === pending.type) pending.resolve(msg);
        else if (msg.t === "error") {
          pending.reject(new RedeError(msg.code, printable(msg.message).slice(0, 300)));
        } else pending.reject(new RedeError("BAD_REQUEST", `Tracker sent '${msg.t}'`));
      }
    } finally {
      clearInterval(beat);
    }
  }

  #failPending(): void {
    for (const p of this.#pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(new RedeError("UNREACHABLE", `Lost the tracker at ${this.where}`));
    }
  }
}
