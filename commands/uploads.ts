/**
 * `uploads`: who downloads what from this peer now; and the line that tells, between prompts,
 * that someone started fetching a file from you (off with `join --quiet`).
 */
import { t } from "../core/i18n.ts";
import { UPLOAD_NOTICES_PER_SECOND } from "../core/limits.ts";
import type { UploadView } from "../app/uploads.ts";
import type { Command } from "./_command.ts";
import { FoldedLog } from "./_log_fold.ts";
import type { Session } from "./_session.ts";
import { needSession } from "./_shell.ts";
import { bytes, table } from "./_ui.ts";

export const uploads: Command = {
  name: "uploads",
  scopes: ["shell"],
  args: [],
  async run(_input, ctx) {
    const list = await needSession(ctx).uploads.list();
    if (list.length === 0) {
      ctx.out(t("uploads.none"));
      return;
    }
    const now = Date.now();
    ctx.out(table(
      [
        t("table.peer"),
        t("table.address"),
        t("table.file"),
        t("table.sent"),
        t("table.rate"),
        t("table.since"),
      ],
      list.map((u) => [
        u.peer,
        u.address,
        u.file,
        u.size === undefined
          ? bytes(u.sent)
          : t("uploads.sentOf", { sent: bytes(u.sent), size: bytes(u.size) }),
        `${bytes(u.rate)}/s`,
        `${clock(u.since)} (${duration(now - u.since)})`,
      ]),
    ));
    const peers = new Set(list.map((u) => u.address)).size;
    ctx.out(
      t("uploads.summary", {
        count: list.length,
        peers: t("uploads.peerCount", { count: peers }),
      }),
    );
  },
};

/** The line told when a peer starts fetching a file from you. */
export function uploadStartedLine(u: UploadView): string {
  return u.size === undefined
    ? t("uploads.started", { peer: u.peer, file: u.file })
    : t("uploads.startedSize", { peer: u.peer, file: u.file, size: bytes(u.size) });
}

/**
 * Tells `log` each upload that starts, one line each, at most {@link UPLOAD_NOTICES_PER_SECOND}
 * a second (the rest are counted in one line).
 */
export function tellUploads(session: Session, log: (line: string) => void): void {
  const folded = new FoldedLog({
    out: log,
    perSecond: UPLOAD_NOTICES_PER_SECOND,
    kinds: { upload: (count) => t("uploads.fold.started", { count }) },
    summary: (list, perSecond) => t("serve.fold.summary", { list, perSecond }),
  });
  session.uploads.onStart((u) => folded.line("upload", uploadStartedLine(u)));
}

/** `10:02:11`, local time. */
function clock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `45s`, `3m 05s`, `2h 07m`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}
