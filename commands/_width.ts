/**
 * Widths on a terminal, in columns: a wide character (CJK, most emoji) takes two, a combining
 * accent none. Text is cut by grapheme, never inside one, and a cut is marked with `…`.
 */
import stringWidth from "string-width";

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The columns `text` takes. */
export function widthOf(text: string): number {
  return stringWidth(text);
}

/** `text` cut to at most `max` columns, ending in `…` when it was cut. */
export function cut(text: string, max: number): string {
  if (widthOf(text) <= max) return text;
  if (max <= 0) return "";
  let out = "";
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = widthOf(segment);
    if (used + w > max - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/** `text` cut in the middle to at most `max` columns (a file name keeps its end: `rel…al.pdf`). */
export function cutMiddle(text: string, max: number): string {
  if (widthOf(text) <= max) return text;
  if (max <= 1) return cut(text, max);
  const parts = [...graphemes.segment(text)].map((s) => s.segment);
  const tailRoom = Math.floor((max - 1) / 2);
  let tail = "";
  let used = 0;
  for (let i = parts.length - 1; i >= 0; i--) {
    const w = widthOf(parts[i]);
    if (used + w > tailRoom) break;
    tail = parts[i] + tail;
    used += w;
  }
  return `${cut(text, max - used).slice(0, -1)}…${tail}`;
}

/** `text` padded with spaces to `width` columns. */
export function padTo(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - widthOf(text)));
}

/**
 * A line wider than `width` broken at spaces, the rows after the first indented by two: a long
 * `Saved ...` line reads as one item instead of being cut mid-word by the terminal. A table row
 * (it starts with a box-drawing character) or a word longer than a row is left to the terminal.
 */
export function wrap(line: string, width: number): string[] {
  if (widthOf(line) <= width || /^[\u2500-\u257f]/.test(line)) return [line];
  const rows: string[] = [];
  let row = "";
  for (const word of line.split(" ")) {
    const next = row === "" ? word : `${row} ${word}`;
    if (widthOf(next) <= width || row.trim() === "") row = next;
    else {
      rows.push(row);
      row = `  ${word}`;
    }
  }
  rows.push(row);
  return rows;
}
