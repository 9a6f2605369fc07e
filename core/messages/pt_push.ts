/**
 * Messages of push, collect and hand-in: commands/push.ts, collect.ts, hand_in.ts, _push_view.ts and app/push.ts, push_receiver.ts, collect.ts, hand_in.ts; in Brazilian Portuguese, key for key as `en_push.ts`. Spread into `pt.ts`.
 * See `core/i18n.ts` for the rules and the glossary.
 */
import type { enPush } from "./en_push.ts";
import type { Entry } from "./types.ts";

export const ptPush: Record<keyof typeof enPush, Entry> = {};
