/**
 * Messages of the one-shot verbs of the command line and their JSON output; in English, the source `pt_oneshot.ts` translates key for key. Spread into
 * `en.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
export const enOneshot = {} as const;
