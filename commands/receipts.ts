import { basename } from "node:path";
import { formatDate, t } from "../core/i18n.ts";
import { receiptProblem } from "../core/receipt.ts";
import { formatId, identityHome } from "../storage/identity.ts";
import { listReceipts, receiptsDir } from "../storage/receipts.ts";
import type { Command } from "./_command.ts";
import { bytes, shortHash, table } from "./_ui.ts";

export const receipts: Command = {
  name: "receipts",
  scopes: ["shell", "cli"],
  args: [],
  options: { json: { type: "boolean", scopes: ["cli"] } },
  examples: ["receipts"],
  async run(_input, ctx) {
    const home = identityHome();
    const { receipts: list, left } = await listReceipts(home);
    if (ctx.json) {
      return ctx.json({
        dir: receiptsDir(home),
        receipts: list.map((e) => ({
          file: e.path,
          valid: e.receipt ? receiptProblem(e.receipt) === undefined : false,
          receipt: e.receipt ?? null,
        })),
        older: left,
      });
    }
    const rows = list.map((e, i) => {
      const r = e.receipt;
      const file = basename(e.path);
      if (!r) return [i + 1, "", "", "", "", "", "", t("receipts.notReceipt"), file];
      return [
        i + 1,
        when(r.time),
        formatId(r.collector_id, true),
        r.box,
        r.name,
        bytes(r.size),
        shortHash(r.root),
        receiptProblem(r) ? t("receipts.invalid") : t("receipts.valid"),
        file,
      ];
    });
    ctx.out(table(
      [
        "#",
        t("receipts.col.time"),
        t("receipts.col.collector"),
        t("receipts.col.box"),
        t("receipts.col.file"),
        t("receipts.col.size"),
        t("receipts.col.root"),
        t("receipts.col.check"),
        t("receipts.col.receipt"),
      ],
      rows,
    ));
    const dir = receiptsDir(home);
    ctx.out(
      left > 0
        ? t("receipts.summaryOlder", { shown: list.length, count: list.length + left, dir })
        : t("receipts.summary", { count: list.length, dir }),
    );
  },
};

/** A receipt's time (ISO 8601, UTC) as the language writes it, or as it is if not a date. */
function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : formatDate(d, { utc: true });
}
