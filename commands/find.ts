import { t } from "../core/i18n.ts";
import type { Command } from "./_command.ts";
import { needSession } from "./_shell.ts";
import { bytes, shortHash, table } from "./_ui.ts";

export const find: Command = {
  name: "find",
  scopes: ["shell"],
  args: [{ name: "text" }],
  examples: ["find relatorio", 'find "aula 3"'],
  async run({ args: [text] }, ctx) {
    const session = needSession(ctx);
    const results = await session.node.tracker.find(text);
    session.lastFound = results;
    for (const f of results) session.knownNames.add(f.name);
    ctx.out(table(
      ["#", t("table.name"), t("table.size"), t("table.root"), t("table.peers")],
      results.map((f, i) => [i + 1, f.name, bytes(f.size), shortHash(f.root), f.peers.length]),
    ));
    ctx.out(t("find.summary", { count: results.length, text }));
  },
};
