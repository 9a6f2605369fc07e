/**
 * Messages of the shell's browsing and download verbs: peers, ls, find, get (and its progress rows and result lines), downloads, uploads, quit; app/fetch.ts, app/swarm.ts, app/node.ts, app/suggest.ts, app/uploads.ts; in English, the source `pt_shell.ts` translates key for key. Spread into
 * `en.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
export const enShell = {} as const;
