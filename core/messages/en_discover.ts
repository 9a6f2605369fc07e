/**
 * Messages of finding the tracker on the LAN by UDP multicast (serve's announcements, the listening of join and the one-shot verbs); in English, the source `pt_discover.ts` translates key for key. Spread into
 * `en.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
export const enDiscover = {} as const;
