import { t } from "../core/i18n.ts";
import type { Command } from "./_command.ts";
import { ONE_SHOT_OPTIONS } from "./_oneshot.ts";
import { needSession } from "./_shell.ts";
import { bytes, shortHash, table } from "./_ui.ts";

export const find: Command = {
  name: "find",
  scopes: ["shell", "cli"],
  args: [{ name: "text" }],
  options: { ...ONE_SHOT_OPTIONS },
  examples: ["find relatorio", 'find "aula 3"'],
  oneShot: () => "look",
  async run({ args: [text] }, ctx) {
    const session = needSession(ctx);
    const results = await session.link.tracker.find(text);
    session.lastFound = results;
    for (const f of results) session.knownNames.add(f.name);
    if (ctx.json) {
      return ctx.json({
        text,
        files: results.map((f, i) => ({
          row: i + 1,
          name: f.name,
          size: f.size,
          root: f.root,
          peers: f.peers.map((p) => ({ ip: p.ip, port: p.port, id: p.id })),
        })),
      });
    }
    ctx.out(table(
      ["#", t("table.name"), t("table.size"), t("table.root"), t("table.peers")],
      results.map((f, i) => [i + 1, f.name, bytes(f.size), shortHash(f.root), f.peers.length]),
    ));
    ctx.out(t("find.summary", { count: results.length, text }));
  },
};
