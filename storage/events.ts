/** The events of a download (`download.ts`), for whoever shows its progress. */
/** What a download reports while it runs. */
export type TransferEvent =
  /**
   * Chunks already on disk are being checked: those of a partial file being resumed, or of a
   * complete file found at the target name. `done` of `total` chunks checked; first 0.
   */
  | { kind: "checking"; of: "partial" | "complete"; done: number; total: number }
  /** A partial file of the same content was found; `have` chunks of it are good. */
  | { kind: "resumed"; have: number; total: number }
  /** A partial file of another content was in the way and is started over. */
  | { kind: "discarded" }
  /** A source failed and its chunks went to the others. */
  | { kind: "dropped"; source: string; error: unknown }
  /** A source is queued at a busy peer: its place (1: next); this is not a stall. */
  | { kind: "queued"; source: string; position: number }
  /** A source answered BUSY; its chunks went to the others and it is tried again later. */
  | { kind: "busy"; error: unknown; retryMs: number }
  /** A chunk was verified and written: its index, how many are in, and its source. */
  | { kind: "chunk"; index: number; done: number; total: number; source: string }
  /** Bytes in hand (resumed ones included) and sources still working. */
  | { kind: "progress"; received: number; sources: number };
