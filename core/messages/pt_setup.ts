/**
 * Messages of installing the `rede-p2p` command and running the tasks from another folder; in Brazilian Portuguese, key for key as `en_setup.ts`. Spread into `pt.ts`.
 * See `core/i18n.ts` for the rules and the glossary.
 */
import type { enSetup } from "./en_setup.ts";
import type { Entry } from "./types.ts";

export const ptSetup: Record<keyof typeof enSetup, Entry> = {};
