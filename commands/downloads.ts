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
        d.status,
        `${pct} ${d.size !== undefined ? bytes(d.size) : ""}`,
        speed,
        sources || (d.note ?? ""),
      ];
    });
    ctx.out(table(["#", "Name", "Status", "Progress", "Rate", "Sources"], rows));
    const active = session.fetcher.records.filter((d) => d.status === "active").length;
    const queued = session.fetcher.records.filter((d) => d.status === "queued").length;
    ctx.out(`${session.fetcher.records.length} download(s): ${active} active, ${queued} queued`);
    return Promise.resolve();
  },
};
