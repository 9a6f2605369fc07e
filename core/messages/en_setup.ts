/**
 * Messages of installing the `rede-p2p` command and running the tasks from another folder; in English, the source `pt_setup.ts` translates key for key. Spread into
 * `en.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
export const enSetup = {} as const;
