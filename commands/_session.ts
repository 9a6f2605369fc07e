/**
 * The state of a `join` shell: the running peer and what the user saw last, so that row
 * numbers from `peers` can name a peer in `ls` and `get`; and how a peer is named (`#N`, its
 * name, its address).
 */
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { peerNameKey, peerNameProblem } from "../core/peer_name.ts";
import { Collector } from "../app/collect.ts";
import { Fetcher } from "../app/fetch.ts";
import { Node } from "../app/node.ts";
import type { Link } from "../app/oneshot.ts";
import { UploadWatch } from "../app/uploads.ts";
import { type Address, formatPeer, parseHostPort } from "../net/address.ts";
import type { FoundFile, PeerInfo } from "../net/protocol.ts";
import type { Screen } from "./_screen.ts";

export class Session {
  /** How this session reaches the network: its node, or a one-shot look (app/oneshot.ts). */
  readonly link: Link;
  #node?: Node;
  #fetcher?: Fetcher;
  #collector?: Collector;
  #uploads?: UploadWatch;
  readonly verbose: boolean;
  /** Whether a person types at a terminal (live progress bars) or a script pipes commands. */
  interactive = false;
  /** The terminal's screen, at an interactive shell on a terminal (bars are drawn there). */
  screen?: Screen;
  /** The rows of the last `peers` listing. */
  lastPeers: PeerInfo[] = [];
  /** How many peers the tracker said are connected when `peers` last ran (it lists at most 1000). */
  lastPeersTotal = 0;
  /** The rows of the last `find`. */
  lastFound: FoundFile[] = [];
  /** File names seen in `ls` and `find` results, for tab completion. */
  readonly knownNames = new Set<string>();
  quitRequested = false;
  /**
   * Prints a line beside the prompt, the way background events are (set by `join` to the
   * shell's log path).
   */
  say: (line: string) => void = () => {};
  /** Questions for the user, asked one at a time: the first is shown, the others wait. */
  #questions: { text: string; resolve: (line: string | null) => void }[] = [];

  /** A session of a running peer (`join`, a one-shot `get`), or of a look at the network. */
  constructor(link: Node | Link, verbose: boolean) {
    this.link = link;
    if (link instanceof Node) {
      this.#node = link;
      this.#fetcher = new Fetcher(link);
      this.#collector = new Collector(link);
      this.#uploads = new UploadWatch(link);
    }
    this.verbose = verbose;
  }

  /** The running peer; a verb of a look never asks (app/oneshot.ts chooses per verb). */
  get node(): Node {
    return this.#node ?? noNode();
  }

  /** This session's downloads. */
  get fetcher(): Fetcher {
    return this.#fetcher ?? noNode();
  }

  /** This peer's drop boxes (`collect`), and the handler of hand-ins to them. */
  get collector(): Collector {
    return this.#collector ?? noNode();
  }

  /** Who downloads from this peer now (`uploads`, the start lines, `quit`'s question). */
  get uploads(): UploadWatch {
    return this.#uploads ?? noNode();
  }

  /**
   * Asks the user a question beside the prompt: the next line typed answers it (the shell hands
   * it to {@link answer} instead of running it). One question is shown at a time; one asked
   * meanwhile waits its turn.
   *
   * @param signal Aborting it takes the question back (shown or waiting).
   * @returns The line typed, or `null` when the question was taken back first.
   */
  ask(text: string, signal: AbortSignal): Promise<string | null> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(null);
      const q = {
        text,
        resolve: (line: string | null) => {
          signal.removeEventListener("abort", drop);
          resolve(line);
        },
      };
      const drop = () => {
        const i = this.#questions.indexOf(q);
        if (i < 0) return;
        this.#questions.splice(i, 1);
        q.resolve(null);
        if (i === 0 && this.#questions.length > 0) this.say(this.#questions[0].text);
      };
      signal.addEventListener("abort", drop, { once: true });
      this.#questions.push(q);
      if (this.#questions.length === 1) this.say(text);
    });
  }

  /** Gives a line typed to the question shown, if there is one; true when it answered one. */
  answer(line: string): boolean {
    const q = this.#questions.shift();
    if (!q) return false;
    q.resolve(line);
    if (this.#questions.length > 0) this.say(this.#questions[0].text);
    return true;
  }

  /** Whether a listed peer is this one. */
  isSelf(p: { ip: string; port: number }): boolean {
    return this.link.isSelf({ host: p.ip, port: p.port });
  }

  /** Asks the tracker for the peers and remembers them for row numbers. */
  async refreshPeers(): Promise<PeerInfo[]> {
    const { peers, total } = await this.link.tracker.peerList();
    this.lastPeers = peers;
    this.lastPeersTotal = total;
    return this.lastPeers;
  }

  /**
   * Resolves what the user typed to name a peer: `#N` or `N` (a row of `peers`), its name (in
   * any case or accents, as names are unique that way), `IP:PORT`, or an IP (with `port` given
   * apart, or found through the tracker). The address comes with the peer's name when the
   * tracker lists it.
   *
   * @param pick When several peers share the IP, chooses among them, or returns undefined.
   * @throws {RedeError} when nothing, or more than one peer, fits.
   */
  async resolvePeer(
    text: string,
    port?: number,
    pick?: (candidates: PeerInfo[]) => Promise<PeerInfo | undefined>,
  ): Promise<Address> {
    const row = /^#?(\d{1,4})$/.exec(text);
    if (row && port === undefined) {
      if (this.lastPeers.length === 0) await this.refreshPeers();
      const n = Number(row[1]);
      const p = this.lastPeers[n - 1];
      if (!p) {
        throw new RedeError(
          "BAD_INPUT",
          t("session.noRow", { row: n, count: this.lastPeers.length }),
        );
      }
      return addressOf(p);
    }
    const asName = port === undefined && isPeerName(text);
    if (asName) {
      const named = await this.peerNamed(text);
      if (named) return addressOf(named);
    }
    const parsed = parseHostPort(text);
    if (parsed.port !== undefined && port !== undefined && parsed.port !== port) {
      throw new RedeError("BAD_INPUT", t("session.twoPorts", { text, port }));
    }
    const known = parsed.port ?? port;
    if (known !== undefined) {
      const listed = await this.link.tracker.peers().catch(() => []);
      const p = listed.find((p) => p.ip === parsed.host && p.port === known);
      return { host: parsed.host, port: known, name: p?.name };
    }
    const peers = await this.refreshPeers();
    let here = peers.filter((p) => p.ip === parsed.host);
    // An IP alone means another peer: leave this one out when others share the IP.
    if (here.length > 1) here = here.filter((p) => !this.isSelf(p));
    if (here.length === 1) return addressOf(here[0]);
    if (here.length === 0) {
      throw new RedeError(
        "NOT_FOUND",
        asName
          ? t("session.noPeerNamed", { name: text })
          : t("session.noPeerAt", { host: parsed.host }),
      );
    }
    const chosen = await pick?.(here);
    if (chosen) return addressOf(chosen);
    const list = here.map((p) => formatPeer(addressOf(p)));
    throw new RedeError(
      "BAD_INPUT",
      t("session.severalAt", { host: parsed.host, list: list.join(", ") }),
    );
  }

  /**
   * The peer the tracker lists under the name `text`: the same name, else the one that is the
   * same name in another case or accents; `undefined` when none is (or the tracker is away).
   *
   * @throws {RedeError} `BAD_INPUT` when several are (a tracker that does not settle names).
   */
  async peerNamed(text: string): Promise<PeerInfo | undefined> {
    if (!isPeerName(text)) return undefined;
    const peers = await this.link.tracker.peers().catch(() => [] as PeerInfo[]);
    const exact = peers.filter((p) => p.name === text);
    const key = peerNameKey(text);
    const named = exact.length > 0 ? exact : peers.filter((p) => peerNameKey(p.name) === key);
    if (named.length <= 1) return named[0];
    const list = named.map((p) => formatPeer(addressOf(p))).join(", ");
    throw new RedeError("BAD_INPUT", t("session.severalNamed", { name: text, list }));
  }
}

/** A session without a node was asked for one: a mistake of the program, not of the user. */
function noNode(): never {
  throw new Error("This session has no running peer"); // i18n: not a message (a program bug)
}

/** Whether what the user typed could be a peer's name (not a row number, not an address). */
function isPeerName(text: string): boolean {
  return peerNameProblem(text.normalize("NFC")) === undefined;
}

/** A listed peer's address, with its ID and name. */
function addressOf(p: PeerInfo): Address {
  return { host: p.ip, port: p.port, id: p.id, name: p.name };
}
