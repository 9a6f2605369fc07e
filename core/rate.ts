/**
 * Transfer rates as people write them (`--max-upload-rate`): bytes or bits per second, with the
 * units of file managers and of network gear. Byte units are binary (as the sizes this program
 * shows: 1 MB = 1 MiB = 1,048,576 bytes); bit units are decimal, as links are sold (10 Mbit/s =
 * 10,000,000 bits = 1,250,000 bytes a second). A lower-case `b` alone (`10mb`) is refused: it
 * says bits to some and bytes to others.
 */
import { t } from "./i18n.ts";

/** Bytes a second for each unit, by the unit's text (lower case; `/s` and spaces removed). */
const BYTE_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};
const BIT_UNITS: Record<string, number> = {
  bit: 1 / 8,
  bps: 1 / 8,
  kbit: 1000 / 8,
  kbps: 1000 / 8,
  mbit: 1e6 / 8,
  mbps: 1e6 / 8,
  gbit: 1e9 / 8,
  gbps: 1e9 / 8,
};

/**
 * Bytes per second for a rate such as `500KB`, `2 MiB/s`, `10Mbps` or `100mbit`.
 *
 * @returns The rate, rounded down to whole bytes, or an explanation of why it is not one.
 */
export function parseRate(text: string): { bytesPerSecond: number } | { problem: string } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*(?:\/\s*s)?\s*$/.exec(text);
  if (!m) return { problem: t("rate.notRate", { text }) };
  const value = Number(m[1]);
  const unit = m[2];
  const lower = unit.toLowerCase();
  let factor: number | undefined;
  if (/^[kmgKMG]b$/.test(unit)) {
    const bits = `${unit[0].toUpperCase()}bit`;
    return { problem: t("rate.ambiguous", { text, bytes: unit.toUpperCase(), bits }) };
  }
  if (lower in BIT_UNITS) factor = BIT_UNITS[lower];
  else if (lower in BYTE_UNITS) factor = BYTE_UNITS[lower];
  if (factor === undefined) {
    return { problem: t("rate.unknownUnit", { text, unit, units: t("rate.units") }) };
  }
  const bytesPerSecond = Math.floor(value * factor);
  if (bytesPerSecond < 1) return { problem: t("rate.tooSmall", { text }) };
  if (!Number.isSafeInteger(bytesPerSecond)) return { problem: t("rate.tooLarge", { text }) };
  return { bytesPerSecond };
}
