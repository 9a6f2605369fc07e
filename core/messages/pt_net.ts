/**
 * Messages of joining and the connections: commands/join.ts, _session.ts, _shell.ts and the errors of net/; in Brazilian Portuguese, key for key as `en_net.ts`. Spread into `pt.ts`.
 * See `core/i18n.ts` for the rules and the glossary.
 */
import type { enNet } from "./en_net.ts";
import type { Entry } from "./types.ts";

export const ptNet: Record<keyof typeof enNet, Entry> = {};
