/**
 * Have-maps: which chunks of a content a peer holds, as a bit field (bit `i` is the most
 * significant bit of byte `i >> 3` first), sent in base64 (docs/PROTOCOL.md, Swarming).
 */
import { Buffer } from "node:buffer";
import { RedeError } from "./errors.ts";
import { t } from "./i18n.ts";

/** The have-map of `have` among `total` chunks. */
export function encodeHaveMap(have: Iterable<number>, total: number): string {
  const bits = new Uint8Array(Math.ceil(total / 8));
  for (const i of have) {
    if (i >= 0 && i < total) bits[i >> 3] |= 0x80 >> (i & 7);
  }
  return Buffer.from(bits).toString("base64");
}

/**
 * The chunks a have-map names, checked against the content's `total` chunks.
 *
 * @throws {RedeError} `BAD_PEER` when the map is not exactly `total` bits long (rounded up to
 * a byte, the spare bits zero).
 */
export function decodeHaveMap(map: string, total: number): Set<number> {
  const bits = Buffer.from(map, "base64");
  const spare = bits.length * 8 - total;
  if (bits.length !== Math.ceil(total / 8) || (spare > 0 && (bits.at(-1)! & ((1 << spare) - 1)))) {
    throw new RedeError("BAD_PEER", t("core.haveMap.bad", { count: total }));
  }
  const have = new Set<number>();
  for (let i = 0; i < total; i++) {
    if (bits[i >> 3] & (0x80 >> (i & 7))) have.add(i);
  }
  return have;
}
