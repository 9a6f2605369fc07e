/**
 * The shape of a catalogue entry (see `core/i18n.ts` for how entries are chosen and filled).
 *
 * An entry is a text with `{name}` placeholders, or a plural: one text per CLDR plural category
 * of the language, `other` always, chosen by the `count` parameter. `zero` is not CLDR's
 * category here but an exact-zero form (like ICU's `=0`), used for a count of 0 when present.
 */
export interface Plural {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}

export type Entry = string | Plural;
