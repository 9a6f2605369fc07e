import type { Command } from "./_command.ts";
import { needSession } from "./_shell.ts";
import { bytes, shortHash, table } from "./_ui.ts";

export const find: Command = {
  name: "find",
  scopes: ["shell"],
  summary: "Search file names across all peers",
  description: "Lists every file whose name contains TEXT (any case, with or without\n" +
    "accents), one row per content:\n" +
    "name, size, short root hash, and how many peers hold it. 'get #N' downloads row N from\n" +
    "all of them.",
  args: [{ name: "text", description: "part of a file name" }],
  examples: ["find relatorio", 'find "aula 3"'],
  async run({ args: [text] }, ctx) {
    const session = needSession(ctx);
    const results = await session.node.tracker.find(text);
    session.lastFound = results;
    for (const f of results) session.knownNames.add(f.name);
    ctx.out(table(
      ["#", "Name", "Size", "Root", "Peers"],
      results.map((f, i) => [i + 1, f.name, bytes(f.size), shortHash(f.root), f.peers.length]),
    ));
    ctx.out(`${results.length} file(s) match '${text}'; 'get #N' downloads one`);
  },
};
