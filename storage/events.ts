/** The events of a download (`download.ts`), for whoever shows its progress, and its sources. */
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
  /**
   * Bytes in hand, verified (resumed ones included), bytes of chunks still arriving (not yet
   * verified), and sources still working. Sent when the transfer starts, at each chunk, and at
   * most every `PROGRESS_MS` while chunks arrive.
   */
  | { kind: "progress"; received: number; arriving: number; sources: number };

/** One peer serving chunks of the content being downloaded. */
export interface Source {
  readonly label: string;
  /** Asks for a chunk; its bytes come later through {@link receive}, in request order. */
  request(index: number): Promise<void>;
  /** Reads the next requested chunk into `buf`, telling `onBytes` of its bytes as they come. */
  receive(buf: Uint8Array, onBytes?: (n: number) => void): Promise<{ index: number; size: number }>;
  /**
   * Waits until the next chunk begins to arrive, telling `onQueued` the source's place in a busy
   * peer's queue meanwhile; a buffer is taken for it only then. Optional.
   */
  ready?(onQueued: (position: number) => void): Promise<void>;
  /**
   * Asks the source again which chunks it has, and returns those it did not have before (all,
   * the first time). Without this method, or with {@link whole}, it has the whole content.
   */
  haves?(): Promise<number[]>;
  /** Whether the source has chunk `index` (as of its last {@link haves}). */
  has?(index: number): boolean;
  /** It holds the whole content: {@link has} is only the chunks it suggests (super-seeding). */
  whole?: boolean;
  close(): void;
}

/** Opens a source; see `DownloadOptions.sources` (`download.ts`). */
export type OpenSource = (signal: AbortSignal) => Promise<Source>;

/** Told of a download's verified chunks on disk, so that they can be served before it ends. */
export interface SwarmHooks {
  /** The partial file is open, with these chunks (checked) in it already. */
  opened(dataPath: string, have: ReadonlySet<number>): void;
  /** Chunk `index` is verified and written. */
  added(index: number): void;
}
