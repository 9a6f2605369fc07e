/**
 * Messages of the disk and the identity: the errors of storage/ and core/; in Brazilian Portuguese, key for key as `en_storage.ts`. Spread into `pt.ts`.
 * See `core/i18n.ts` for the rules and the glossary.
 */
import type { enStorage } from "./en_storage.ts";
import type { Entry } from "./types.ts";

export const ptStorage: Record<keyof typeof enStorage, Entry> = {};
