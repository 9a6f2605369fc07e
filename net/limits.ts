/**
 * Every limit and timeout of the wire protocol and its servers, in one place.
 * docs/PROTOCOL.md quotes these values; keep the two in step.
 */

/** Largest frame payload accepted, in bytes. Checked before anything is allocated. */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;
/** Bytes of a frame header: 2 magic bytes and a 32-bit big-endian payload length. */
export const FRAME_HEADER_BYTES = 6;
/** Magic bytes that open every frame: ASCII "RP". */
export const FRAME_MAGIC = [0x52, 0x50] as const;

/** Version of the protocol spoken; a hello with another major version is refused. */
export const PROTOCOL_VERSION = 2;
/** Application name carried in every hello. */
export const PROTOCOL_APP = "rede-p2p";

/** Time a new connection has to send its hello. */
export const HELLO_TIMEOUT_MS = 10_000;
/** Time a server waits for the next request on an idle connection before closing it. */
export const IDLE_TIMEOUT_MS = 120_000;
/** Time a client waits for a reply to a request. */
export const REPLY_TIMEOUT_MS = 15_000;
/** Time a TCP connect may take. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** Longest pause allowed in the middle of a file transfer before it is abandoned. */
export const TRANSFER_STALL_MS = 30_000;

/** How often a peer tells the tracker it is alive. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** Heartbeats a peer may miss before the tracker drops it. */
export const HEARTBEAT_MISSES = 3;
/** Delays between attempts to reach a tracker that went away (the last repeats). */
export const RECONNECT_DELAYS_MS = [250, 500, 1_000, 2_000] as const;

/** How often a peer looks at its share again for files added, changed or removed. */
export const RESCAN_INTERVAL_MS = 30_000;

/** Connections a tracker serves at once; more are refused with BUSY. */
export const TRACKER_MAX_CONNECTIONS = 1024;
/** Connections a peer serves at once; more are refused with BUSY. */
export const PEER_MAX_CONNECTIONS = 64;
/** Longest peer name kept by the tracker (longer names are cut). */
export const MAX_PEER_NAME_CHARS = 64;
/** Longest shared file name, in UTF-8 bytes. */
export const MAX_FILE_NAME_BYTES = 255;

/**
 * Size of a chunk, the unit of hashing, transfer, resume and multi-source scheduling: 4 MiB.
 * A 1 GiB file has 256 chunk hashes (a 16 KiB descriptor); an interrupted download loses at
 * most the chunks in flight; and hashing in 4 MiB blocks ran about 15% faster than in 1 MiB.
 */
export const CHUNK_BYTES = 4 * 1024 * 1024;
/** Chunk buffers a download may hold at once, across all its sources. */
export const DOWNLOAD_BUFFERS = 6;
/** Most sources one download uses at once. */
export const MAX_SOURCES = 8;
/** Chunk requests kept in flight on one source connection. */
export const REQUESTS_PER_SOURCE = 2;
/** Uploads a peer serves at once; more requests wait in a queue. */
export const UPLOAD_SLOTS = 4;
/** Requests that may wait for an upload slot before the peer answers BUSY. */
export const UPLOAD_QUEUE = 64;
/** Longest a chunk may take to arrive before its source is dropped. */
export const CHUNK_TIMEOUT_MS = 30_000;
/** Downloads a shell runs at once; more wait in a queue. */
export const MAX_ACTIVE_DOWNLOADS = 3;
