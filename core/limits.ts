/**
 * Every limit, timeout and default of rede-p2p, in one place. docs/PROTOCOL.md quotes the wire
 * values; keep the two in step. Timeouts and intervals are also gathered in {@link Timings}, which
 * every server and client takes as an option, so tests can shorten them.
 */

// --- Frames and protocol -------------------------------------------------------------------

/** Largest frame payload accepted, in bytes. Checked before anything is allocated. */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;
/** Bytes of a frame header: 2 magic bytes and a 32-bit big-endian payload length. */
export const FRAME_HEADER_BYTES = 6;
/** Magic bytes that open every frame: ASCII "RP". */
export const FRAME_MAGIC = [0x52, 0x50] as const;
/** Version of the protocol spoken; a hello with another version is refused. */
export const PROTOCOL_VERSION = 6;
/** Application name carried in every hello. */
export const PROTOCOL_APP = "rede-p2p";
/** Port a tracker listens on when none is given. */
export const DEFAULT_TRACKER_PORT = 9450;

// --- Trust (issue 8; docs/SECURITY.md): join codes, in limits_trust.ts --------------------

export * from "./limits_trust.ts";

// --- Names ---------------------------------------------------------------------------------

/** Longest part of a shared name (a file name), in UTF-8 bytes. */
export const MAX_FILE_NAME_BYTES = 255;
/** Longest shared name (a file inside a shared folder, parts joined by `/`), in UTF-8 bytes. */
export const MAX_SHARE_PATH_BYTES = 1024;
/** Longest peer name kept by the tracker (longer names are cut). */
export const MAX_PEER_NAME_CHARS = 64;
/** Longest text of a remote error shown to the user (longer text is cut). */
export const MAX_REMOTE_TEXT_CHARS = 300;
/** Characters of a refused name quoted in its refusal (a name from a peer may be megabytes). */
export const QUOTED_NAME_CHARS = 120;
/** Hex digits of a root shown to people: enough to tell files apart by eye. */
export const SHORT_HASH_CHARS = 12;

// --- Content -------------------------------------------------------------------------------

/**
 * The smallest chunk, the unit of hashing, transfer, resume and multi-source scheduling: 1 MiB.
 * A file's chunk size follows from its size alone (`chunkSizeFor` in `core/content.ts`): 1 MiB
 * up to {@link CHUNKS_TARGET} chunks, then 2 MiB, then {@link MAX_CHUNK_BYTES} for any larger
 * file, so a file up to 1 GiB has 1 MiB chunks and any file has a fixed root. Small chunks let a
 * class of downloaders trade a chunk soon after it arrives (bench:swarm: 1 MiB against 4 MiB
 * took the last of 6 downloaders from 1.58x to 1.28x the one-copy limit); large files keep
 * large chunks, so their descriptors and schedules stay small.
 */
export const CHUNK_BYTES = 1024 * 1024;
/** The largest chunk: the chunk size of every file over 2 GiB. */
export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
/** Chunks a file has at most before its chunk size doubles (until {@link MAX_CHUNK_BYTES}). */
export const CHUNKS_TARGET = 1024;

// --- Servers -------------------------------------------------------------------------------

/**
 * Connections a tracker serves at once; more are refused with BUSY. Room for every peer it may
 * list ({@link TRACKER_MAX_PEERS}) and a thousand more; the process needs that many file
 * descriptors (`ulimit -n`).
 */
export const TRACKER_MAX_CONNECTIONS = 17_408;
/** Connections a peer serves at once; more are refused with BUSY. */
export const PEER_MAX_CONNECTIONS = 64;
/** Most search results returned for one `find`. */
export const MAX_FOUND = 200;
/** Uploads a peer serves at once; more requests wait in a queue. */
export const UPLOAD_SLOTS = 4;
/**
 * Requests that may wait for an upload slot before the peer answers BUSY: fewer than the
 * connections it serves, so the queue can overflow (each connection has one request in service).
 */
export const UPLOAD_QUEUE = 32;
/** Slice of a chunk sent at a time under a rate limit, so that uploads interleave smoothly. */
export const RATE_SLICE_BYTES = 256 * 1024;
/** Shortest and longest heartbeat interval a peer accepts from a tracker. */
export const MIN_HEARTBEAT_MS = 10;
export const MAX_HEARTBEAT_MS = 10 * 60_000;

// --- A seeder under load (issue 7) ---------------------------------------------------------

/**
 * Connections a peer serves from one IP address at once; more are refused with BUSY. Enough for
 * one machine to run several downloads and an `ls` at once, a quarter of the total.
 */
export const PEER_MAX_CONNECTIONS_PER_IP = 16;
/** Upload slots one IP address may hold at once (of {@link UPLOAD_SLOTS}). */
export const UPLOAD_SLOTS_PER_IP = 2;
/** Requests from one IP address that may wait for an upload slot; more are answered BUSY. */
export const UPLOAD_QUEUE_PER_IP = 8;
/** Refused requests in a row after which a peer closes the connection. */
export const PEER_MAX_REFUSALS = 16;
/**
 * How long an address whose client was cut off for not reading (see `Timings.sendMs`) is served
 * after every other address, so that reconnecting does not buy it the same share again.
 */
export const NON_READER_PENALTY_MS = 60_000;
/** Upload slots all penalized addresses together may hold (of {@link UPLOAD_SLOTS}). */
export const PENALIZED_SLOTS = 1;
/** Addresses a peer remembers as penalized at once (the oldest is forgotten first). */
export const MAX_PENALIZED_IPS = 1024;
/** Uploads (a peer and a content) a peer keeps for `uploads`, at most; the idlest makes room. */
export const MAX_TRACKED_UPLOADS = 256;
/** The recent rate `uploads` shows is over this long a window. */
export const UPLOAD_RATE_WINDOW_MS = 5_000;
/** Lines a second telling that someone started fetching from you; the rest are counted. */
export const UPLOAD_NOTICES_PER_SECOND = 5;
/** How long the tracker's peer list names downloaders before it is asked again. */
export const UPLOAD_NAMES_FRESH_MS = 5_000;

// --- Tracker state (issue 7: bounded whatever clients send) ------------------------------

/** Largest frame a tracker accepts from a client (a `register` of 10,000 typical files fits). */
export const TRACKER_MAX_FRAME_BYTES = 2 * 1024 * 1024;
/** Largest reply a tracker sends (`found`, `holders`, `peer_list`): well under a frame. */
export const TRACKER_MAX_REPLY_BYTES = 1024 * 1024;
/** Peers a tracker lists at once; a register beyond is refused with BUSY ("tracker full"). */
export const TRACKER_MAX_PEERS = 16_384;
/** Peers registered from one source address (a lab machine runs several); more: BUSY. */
export const TRACKER_PEERS_PER_IP = 16;
/** Connections open from one source address (its peers and a few one-shot clients); more: BUSY. */
export const TRACKER_CONNECTIONS_PER_IP = 32;
/** Files one peer may list; a register with more is refused, a client sends at most this many. */
export const TRACKER_MAX_FILES_PER_PEER = 10_000;
/**
 * Accounted bytes of state (upper bounds of the memory each takes, measured with 24-byte names:
 * about 390 bytes a record, 240 a new 12-letter token): per distinct (content, name) record, plus
 * twice its name's UTF-8 bytes; per file a peer lists; per peer; and per distinct name token,
 * plus so much per character (the token's trigram entries).
 */
export const TRACKER_FILE_COST = 384;
export const TRACKER_LISTING_COST = 64;
export const TRACKER_PEER_COST = 1024;
export const TOKEN_COST = 64;
export const TOKEN_CHAR_COST = 16;
/**
 * Accounted state a tracker holds at most, all peers together (see docs/PROTOCOL.md, Tracker
 * limits); a register or announce that would pass it is refused with BUSY.
 */
export const TRACKER_STATE_BYTES = 256 * 1024 * 1024;
/** Accounted state the peers of one source address hold at most. */
export const TRACKER_STATE_PER_IP_BYTES = 32 * 1024 * 1024;
/** Characters of a `find` text; longer texts cannot match a name and are refused. */
export const MAX_FIND_TEXT_CHARS = 1024;
/** Holders listed per `find` row; `who_has` lists at most {@link MAX_HOLDERS}. */
export const MAX_FOUND_HOLDERS = 32;
export const MAX_HOLDERS = 256;
/**
 * Peers one `peer_list` lists (sorted by address; the rest are only counted, in `total`). A
 * thousand rows is more than a person reads; `find` and `ls` reach the others.
 */
export const MAX_PEER_LIST = 1000;
/** Candidate files one `find` may examine before it answers with what it has. */
export const FIND_WORK = 20_000;
/**
 * Work a tracker does for one source address, in units of about a microsecond of its time: a
 * `register` or `announce` costs 100 + 4 a file, a `find` 100 + a tenth of the names it
 * examined, a `peer_list` 100 + half a unit a row, a refused frame 10,000. An address in deficit waits before its next
 * message is read; it earns `TRACKER_WORK_PER_SECOND` a second and banks at most
 * `TRACKER_WORK_BURST` (a lab machine's 16 peers of 10,000 files register within 7 s).
 */
export const TRACKER_WORK_PER_SECOND = 100_000;
export const TRACKER_WORK_BURST = 200_000;
/** Work units charged for a frame refused (it may have cost a parse of 2 MiB). */
export const TRACKER_REFUSED_FRAME_WORK = 10_000;
/** Work units a tracker connection takes on account before each message is read. */
export const TRACKER_WORK_TICKET = 1_000;

/** Lines the tracker's log prints in one second; beyond, a summary line a second says how many. */
export const TRACKER_LOG_LINES_PER_SECOND = 20;

// --- Downloads -----------------------------------------------------------------------------

/**
 * Bytes of chunk buffers a download may hold at once, across all its sources (18 chunks of
 * 1 MiB, 4 of 4 MiB, never fewer than 4 buffers). They are made as sources start (one per
 * working source, plus one being written), so one source touches two.
 */
export const DOWNLOAD_BUFFER_BYTES = 18 * 1024 * 1024;
/**
 * Most sources one download uses at once: in a class of 16 that start together, every
 * downloader reaches every other (with 8, some peers were never asked and others were swamped).
 */
export const MAX_SOURCES = 16;
/**
 * Bytes of chunk requests in flight across all the sources of one download (8 chunks of 1 MiB,
 * never fewer than 4 requests): enough to keep a link busy, few enough that requests do not
 * pile up in busy holders' queues, where the last chunks of every download would wait.
 */
export const DOWNLOAD_IN_FLIGHT_BYTES = 8 * 1024 * 1024;
/** Chunk requests kept in flight on one source connection. */
export const REQUESTS_PER_SOURCE = 2;
/** Downloads one `get` runs at once; more wait in a queue. */
export const MAX_ACTIVE_DOWNLOADS = 3;
/** Free names (`a (1).txt`, ...) tried for a finished download before giving up. */
export const MAX_RENAME_ATTEMPTS = 100;

// --- Downloads: holders and the disk (issue 7, the downloader) -----------------------------

/**
 * Holders asked for a descriptor, at most: one more every `describeStaggerMs` (or at once when
 * one fails), the first valid answer wins, so fake holders listed first cannot stop a `get`.
 */
export const MAX_DESCRIBE_HOLDERS = 16;
/**
 * Shortfall of free space tolerated during a download before it stops as "disk full": file
 * system overhead, so that a file that just fits is not refused while it downloads.
 */
export const ROOM_SLACK_BYTES = 1024 * 1024;

// --- Swarming (issue 9) --------------------------------------------------------------------

/**
 * Contents a peer tells the tracker it holds in part (its downloads under way), at most; the
 * tracker keeps no more per peer. A peer runs `MAX_ACTIVE_DOWNLOADS` at once.
 */
export const MAX_PARTIALS_PER_PEER = 4;
/**
 * Super-seeding: a peer that holds a content whole answers `have` with a part of it, the chunks
 * it has sent least: as many as its chunks divided by the peers that asked for it within
 * {@link SUGGEST_WINDOW_MS}, never fewer than {@link SUGGEST_MIN} nor more than
 * {@link SUGGEST_MAX} (or all, when it has no more). Downloaders that start together so take
 * different chunks from it, and trade the rest among themselves.
 */
export const SUGGEST_MIN = 2;
export const SUGGEST_MAX = 8;
export const SUGGEST_WINDOW_MS = 10_000;
/**
 * Suggestions in a row holding no chunk a download wants, after which it takes any chunk it wants
 * from that whole holder (at once when it is the download's only working source).
 */
export const SUGGEST_MISSES = 4;
/** Askers remembered per content, and contents whose send counts are kept, at most. */
export const SUGGEST_ASKERS = 64;
export const SUGGEST_CONTENTS = 16;

// --- Hand-in (issue 9): drop boxes and receipts ------------------------------------------

/** Files one `hand_in` may name; a longer list is refused as malformed. */
export const MAX_HAND_IN_FILES = 256;
/** Bytes all the files of one hand-in may hold together; more is refused. */
export const MAX_HAND_IN_BYTES = 8 * 1024 * 1024 * 1024;
/** Longest box name, in UTF-8 bytes (a box name is one part of a shared name). */
export const MAX_BOX_NAME_BYTES = 64;
/** Largest receipt file read (a receipt with its certificate takes about 1.5 KiB). */
export const MAX_RECEIPT_BYTES = 16 * 1024;
/** Receipts `receipts` reads and lists at most, the newest. */
export const MAX_RECEIPTS_LISTED = 1000;
/** Hand-ins a collector serves at once, from everyone; more are answered BUSY. */
export const HAND_INS_AT_ONCE = 8;
/** Hand-ins under way from one sender (one ID) at a collector; more are answered BUSY. */
export const HAND_INS_PER_SENDER = 2;
/** Hand-ins under way from one source address at a collector; more are answered BUSY. */
export const HAND_INS_PER_SOURCE = 4;
/** Files one box records (this session); a hand-in beyond is answered BUSY. */
export const MAX_BOX_ARRIVALS = 10_000;

// --- Push (issue 9: one file or folder offered to every peer) ------------------------------

/** Files one push offers at most (a folder with more is refused before anything is sent). */
export const PUSH_MAX_FILES = 1000;
/**
 * Offers a peer handles at once, from their arrival until the download they led to ends:
 * asked, waiting to be asked, or downloading. More are refused with BUSY.
 */
export const PUSH_MAX_OFFERS = 8;
/** Offers from one source address a peer handles at once (of {@link PUSH_MAX_OFFERS}). */
export const PUSH_OFFERS_PER_SOURCE = 2;
/** Least time between two `push_status` messages of one offer. */
export const PUSH_STATUS_GAP_MS = 250;
/** A `push_status` goes out at least this often while a pushed download runs. */
export const PUSH_STATUS_BEAT_MS = 5_000;
/** Longest an offer's connection stays open (the target then stops reporting; it goes on). */
export const PUSH_HOLD_MS = 24 * 60 * 60_000;
/** Offers a pusher has in connection and handshake at once; the others wait their turn. */
export const PUSH_CONNECTS_AT_ONCE = 32;

// --- The shell -----------------------------------------------------------------------------

/** Lines of shell history kept, across sessions (per user). */
export const SHELL_HISTORY_LINES = 1000;

/** How often a download reports the bytes of chunks still arriving, at most (milliseconds). */
export const PROGRESS_MS = 100;

// --- Timings -------------------------------------------------------------------------------

/** Every timeout and interval, in milliseconds. */
export interface Timings {
  /** Time a new connection has to send its hello. */
  helloMs: number;
  /** Time a server waits for the next request on an idle connection before closing it. */
  idleMs: number;
  /** Time a client waits for a reply to a request. */
  replyMs: number;
  /** Time a TCP connect may take. */
  connectMs: number;
  /** Longest pause a server allows while it sends chunk bytes before it gives up. */
  stallMs: number;
  /** Longest a chunk may take to arrive before its source is dropped. */
  chunkMs: number;
  /** How often peers tell the tracker they are alive (the tracker tells them). */
  heartbeatMs: number;
  /** Heartbeats a peer may miss before the tracker drops it. */
  heartbeatMisses: number;
  /** Delays between attempts to reach a tracker that went away (the last repeats). */
  reconnectDelaysMs: readonly number[];
  /** How often a peer looks at its share again for files added, changed or removed. */
  rescanMs: number;
  /** How long a watched share stays quiet after a change before it is looked at again. */
  watchDebounceMs: number;
  /**
   * Longest a peer's listener lets one write to a client stay blocked (a reply, or a slice of a
   * chunk, `RATE_SLICE_BYTES`) before it closes the connection and frees its upload slot: a
   * client that does not read what it asked for is cut off this soon.
   */
  sendMs: number;
  /** Age under which a connection is never closed to make room for a newcomer. */
  graceMs: number;
  /** Longest a downloader waits for a queued chunk to move up in a seeder's queue, or arrive. */
  queueMs: number;
  /** Delays before a source that answered BUSY is tried again; one retry per entry. */
  busyDelaysMs: readonly number[];
  /**
   * Downloader: time after which the next holder is also asked for a descriptor while the
   * ones asked before have not answered (a holder that fails makes the next one start at once).
   */
  describeStaggerMs: number;
  /**
   * Swarming, downloader: how long a source that holds the content in part and has nothing
   * wanted now is left before its have-map is asked again.
   */
  haveWaitMs: number;
  /**
   * Swarming, downloader: longest a partial source may go without a chunk this download wants
   * before it is closed (it may be found again by the next holder lookup).
   */
  haveIdleMs: number;
  /** Swarming, downloader: how often the tracker is asked again for holders during a download. */
  holdersRefreshMs: number;
  /** Swarming, peer: least time between two reports of its partial contents to the tracker. */
  partialsReportMs: number;
  /**
   * Hand-in: the longest a collector spends on one hand-in (fetching all its files from the
   * sender); files not in by then are answered `not_received`. A sender waits this long, and
   * `replyMs` more, for each answer.
   */
  handInMs: number;
  /**
   * Push: how long an offer waits for its answer at the target, from its arrival (waiting its
   * turn behind another question included); no answer counts as declined.
   */
  pushAnswerMs: number;
  /** Uploads: how long after its last chunk request an upload ends (a new one is told again). */
  uploadIdleMs: number;
}

/** The timings rede-p2p runs with. */
export const DEFAULT_TIMINGS: Readonly<Timings> = Object.freeze({
  helloMs: 10_000,
  idleMs: 120_000,
  replyMs: 15_000,
  connectMs: 5_000,
  stallMs: 30_000,
  chunkMs: 30_000,
  heartbeatMs: 5_000,
  heartbeatMisses: 3,
  reconnectDelaysMs: [250, 500, 1_000, 2_000],
  rescanMs: 30_000,
  watchDebounceMs: 300,
  sendMs: 5_000,
  graceMs: 1_000,
  queueMs: 300_000,
  busyDelaysMs: [1_000, 2_000, 4_000, 8_000, 16_000],
  describeStaggerMs: 250,
  haveWaitMs: 250,
  haveIdleMs: 30_000,
  holdersRefreshMs: 250,
  partialsReportMs: 250,
  handInMs: 15 * 60_000,
  pushAnswerMs: 60_000,
  uploadIdleMs: 5_000,
});

/** The default timings with some replaced. */
export function timings(over: Partial<Timings> = {}): Timings {
  return { ...DEFAULT_TIMINGS, ...over };
}
