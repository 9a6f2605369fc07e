/** Addresses: a host and a port, as typed by users and as shown to them. */
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";

/** A host and port; `host` is bare (no brackets) even for IPv6. */
export interface Address {
  host: string;
  port: number;
  /** The identity expected there (a peer as the tracker listed it), when one is. */
  id?: string;
  /** The peer's name, as the tracker listed it (checked and printable), when known. */
  name?: string;
}

/** Formats an address as `host:port`, bracketing IPv6 hosts. */
export function formatAddress(a: Address): string {
  return a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/**
 * A peer as messages name it: `carla (192.168.0.7:50123)`, or its address alone when its name
 * is not known.
 */
export function formatPeer(a: Address): string {
  return a.name ? `${a.name} (${formatAddress(a)})` : formatAddress(a);
}

/** Parses a port number; `undefined` when the text is not one. */
export function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * Parses `HOST`, `HOST:PORT`, `[IPv6]:PORT`, `[IPv6]` or a bare IPv6 address.
 *
 * @param text What the user typed.
 * @param defaultPort The port when none is given; `undefined` leaves it out.
 * @returns The host and, when known, the port.
 * @throws {RedeError} `BAD_INPUT` for an empty host or a bad port.
 */
export function parseHostPort(
  text: string,
  defaultPort?: number,
): { host: string; port: number | undefined } {
  let host = text;
  let portText: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracket) {
    host = bracket[1];
    portText = bracket[2];
  } else if (text.split(":").length === 2) {
    [host, portText] = text.split(":");
  }
  if (host === "" || /\s/.test(host)) throw new RedeError("BAD_INPUT", t("net.badHost", { text }));
  if (portText === undefined) return { host, port: defaultPort };
  const port = parsePort(portText);
  if (port === undefined) {
    throw new RedeError("BAD_INPUT", t("net.badPortIn", { port: portText, text }));
  }
  return { host, port };
}

/** Turns an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) into the IPv4 address it maps. */
export function normalizeIp(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}

/**
 * The source a per-address limit counts: an IPv4 address as it is, an IPv6 address by its /64
 * network, since one IPv6 host may take any number of addresses in its own /64.
 *
 * @example
 * ```ts
 * import { sourceKey } from "./address.ts";
 * sourceKey("192.0.2.7"); // "192.0.2.7"
 * sourceKey("2001:db8::1"); // "2001:db8:0:0::/64"
 * ```
 */
export function sourceKey(ip: string): string {
  const bare = normalizeIp(ip).replace(/%.*$/, ""); // A zone names an interface, not a host.
  if (!bare.includes(":")) return bare;
  const [head, tail = ""] = bare.toLowerCase().split("::");
  const left = head === "" ? [] : head.split(":");
  const right = bare.includes("::") && tail !== "" ? tail.split(":") : [];
  const groups = bare.includes("::")
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
    : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
