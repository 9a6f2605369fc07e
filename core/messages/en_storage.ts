/**
 * Messages of the disk and the identity: the errors of storage/ and core/; in English, the source `pt_storage.ts` translates key for key. Spread into
 * `en.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
export const enStorage = {} as const;
