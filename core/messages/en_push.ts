/**
 * Messages of push, collect and hand-in: commands/push.ts, collect.ts, hand_in.ts, _push_view.ts and app/push.ts, push_receiver.ts, collect.ts, hand_in.ts; in English, the source `pt_push.ts` translates key for key. Spread into
 * `en.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
export const enPush = {} as const;
