/**
 * Messages of `rede-p2p doctor`: its checks, verdicts and fixes; in English, the source `pt_doctor.ts` translates key for key. Spread into
 * `en.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
export const enDoctor = {} as const;
