/**
 * The limits of finding the tracker on the LAN (issue 11; docs/PROTOCOL.md, Discovery): the
 * multicast group and port, the size of a datagram, how long `join` listens, and how much a
 * tracker answers. Every datagram is hostile: these bound what one costs.
 */

/**
 * The multicast group of discovery: in 239.255.0.0/16, the IPv4 organisation-local scope
 * (RFC 2365), which routers do not forward beyond the site; in practice it stays on the LAN.
 */
export const DISCOVERY_GROUP = "239.255.94.50";
/** The UDP port of discovery, next to the tracker's TCP port. */
export const DEFAULT_DISCOVERY_PORT = 9451;
/** The version of the discovery datagrams; a datagram of another version is ignored. */
export const DISCOVERY_VERSION = 1;
/** Largest datagram sent or read; a longer one is dropped unread. */
export const MAX_DISCOVERY_BYTES = 512;
/** TTL of a query: one hop, so it never leaves the link. */
export const DISCOVERY_TTL = 1;
/** How long `join` (and the one-shot verbs) listen for trackers when no address is given (ms). */
export const DISCOVERY_LISTEN_MS = 2_000;
/**
 * When, within the listening, a query is sent again (as shares of the listening time): UDP may
 * lose one, and a tracker that starts meanwhile is found too.
 */
export const DISCOVERY_QUERY_AT = [0, 0.25, 0.5] as const;
/** Different trackers kept from one listening; answers beyond are dropped. */
export const MAX_DISCOVERED_TRACKERS = 32;
/** Datagrams read in one listening, at most; the rest are dropped unread. */
export const MAX_DISCOVERY_DATAGRAMS = 1_000;
/** Interfaces a query goes out on, at most. */
export const MAX_DISCOVERY_INTERFACES = 16;
/** Answers a tracker sends a second, at most, whoever asks. */
export const DISCOVERY_ANSWERS_PER_SECOND = 20;
/** Answers a tracker sends one source address a second, at most. */
export const DISCOVERY_ANSWERS_PER_SOURCE = 4;
