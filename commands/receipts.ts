import { basename } from "node:path";
import { receiptProblem } from "../core/receipt.ts";
import { formatId, identityHome } from "../storage/identity.ts";
import { listReceipts, receiptsDir } from "../storage/receipts.ts";
import type { Command } from "./_command.ts";
import { bytes, shortHash, table } from "./_ui.ts";

export const receipts: Command = {
  name: "receipts",
  scopes: ["shell"],
  summary: "List the receipts of your hand-ins",
  description:
    "Shows every receipt kept in the receipts folder beside your identities (REDE_P2P_HOME\n" +
    "sets another folder): when, which collector (its ID's first groups), box, file, size,\n" +
    "root, whether its signature holds, and its file, which 'rede-p2p verify-receipt FILE'\n" +
    "checks anywhere, offline.",
  args: [],
  examples: ["receipts"],
  async run(_input, ctx) {
    const home = identityHome();
    const { receipts: list, left } = await listReceipts(home);
    const rows = list.map((e, i) => {
      const r = e.receipt;
      const file = basename(e.path);
      if (!r) return [i + 1, "", "", "", "", "", "", "not a receipt", file];
      return [
        i + 1,
        r.time.replace("T", " ").replace(/\.\d+Z$/, ""),
        formatId(r.collector_id, true),
        r.box,
        r.name,
        bytes(r.size),
        shortHash(r.root),
        receiptProblem(r) ? "INVALID" : "valid",
        file,
      ];
    });
    ctx.out(table(
      ["#", "Time (UTC)", "Collector", "Box", "File", "Size", "Root", "Check", "Receipt"],
      rows,
    ));
    const older = left > 0 ? ` (and ${left} older ones not shown)` : "";
    ctx.out(
      `${list.length} receipt(s)${older} in ${receiptsDir(home)}; ` +
        "'rede-p2p verify-receipt FILE' checks one",
    );
  },
};
