import { type PlainKey, t } from "../core/i18n.ts";
import type { DownloadRecord } from "../app/fetch.ts";
import type { Command } from "./_command.ts";
import { needSession } from "./_shell.ts";
import { bytes, rate, table } from "./_ui.ts";

export const downloads: Command = {
  name: "downloads",
  scopes: ["shell"],
  args: [],
  run(_input, ctx) {
    const session = needSession(ctx);
    const rows = session.fetcher.records.map((d, i) => {
      const pct = d.size ? `${Math.floor((d.received / d.size) * 100)}%` : "";
      const speed = d.ms ? rate(d.received, d.ms) : "";
      const sources = [...d.bySource].map(([label, n]) => `${label} ${bytes(n)}`).join(", ");
      return [
        i + 1,
        d.name,
        t(STATUS[d.status]),
        `${pct} ${d.size !== undefined ? bytes(d.size) : ""}`,
        speed,
        sources || (d.note ?? ""),
      ];
    });
    ctx.out(table(
      [
        "#",
        t("table.name"),
        t("table.status"),
        t("table.progress"),
        t("table.rate"),
        t("table.sources"),
      ],
      rows,
    ));
    const active = session.fetcher.records.filter((d) => d.status === "active").length;
    const queued = session.fetcher.records.filter((d) => d.status === "queued").length;
    ctx.out(t("downloads.summary", { count: session.fetcher.records.length, active, queued }));
    return Promise.resolve();
  },
};

/** The word for each state of a download. */
const STATUS: Record<DownloadRecord["status"], PlainKey> = {
  queued: "downloads.status.queued",
  active: "downloads.status.active",
  done: "downloads.status.done",
  failed: "downloads.status.failed",
  cancelled: "downloads.status.cancelled",
  skipped: "downloads.status.skipped",
};
