/**
 * Messages of `rede-p2p doctor`: its checks, verdicts and fixes; in Brazilian Portuguese, key for key as `en_doctor.ts`. Spread into `pt.ts`.
 * See `core/i18n.ts` for the rules and the glossary.
 */
import type { enDoctor } from "./en_doctor.ts";
import type { Entry } from "./types.ts";

export const ptDoctor: Record<keyof typeof enDoctor, Entry> = {};
