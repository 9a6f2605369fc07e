/**
 * Messages of joining and the connections: commands/join.ts, _session.ts, _shell.ts and the errors of net/; in English, the source `pt_net.ts` translates key for key. Spread into
 * `en.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
export const enNet = {} as const;
