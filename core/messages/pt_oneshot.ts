/**
 * Messages of the one-shot verbs of the command line and their JSON output; in Brazilian Portuguese, key for key as `en_oneshot.ts`. Spread into `pt.ts`.
 * See `core/i18n.ts` for the rules and the glossary.
 */
import type { enOneshot } from "./en_oneshot.ts";
import type { Entry } from "./types.ts";

export const ptOneshot: Record<keyof typeof enOneshot, Entry> = {};
