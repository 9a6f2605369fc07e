/**
 * Messages of finding the tracker on the LAN by UDP multicast (serve's announcements, the listening of join and the one-shot verbs); in Brazilian Portuguese, key for key as `en_discover.ts`. Spread into `pt.ts`.
 * See `core/i18n.ts` for the rules and the glossary.
 */
import type { enDiscover } from "./en_discover.ts";
import type { Entry } from "./types.ts";

export const ptDiscover: Record<keyof typeof enDiscover, Entry> = {};
