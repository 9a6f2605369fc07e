import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { receiptProblem } from "../core/receipt.ts";
import { formatId } from "../storage/identity.ts";
import { readReceipt } from "../storage/receipts.ts";
import { type Command, UsageError } from "./_command.ts";
import { bytes } from "./_ui.ts";

export const verifyReceipt: Command = {
  name: "verify-receipt",
  scopes: ["cli"],
  args: [{ name: "file" }],
  options: {
    collector: { type: "string", value: "ID" },
    json: { type: "boolean" },
  },
  examples: [
    "verify-receipt ~/.config/rede-p2p/receipts/20261124T100211Z-3f2a9c1b7d4e.json",
    "verify-receipt recibo.json --collector UJV3-MBRL-GO7Z",
  ],
  async run({ args, options }, ctx) {
    const expected = options.collector === undefined
      ? undefined
      : expectedId(options.collector as string);
    const file = args[0];
    const r = await readReceipt(file);
    const problem = receiptProblem(r);
    if (problem) throw new RedeError("BAD_INPUT", t("verifyReceipt.notValid", { file, problem }));
    const collector = formatId(r.collector_id);
    if (expected && !expected.matches(r.collector_id)) {
      throw new RedeError(
        "IDENTITY",
        t("verifyReceipt.otherCollector", { file, collector, expected: expected.text }),
      );
    }
    if (ctx.json) return ctx.json({ valid: true, file, receipt: r });
    ctx.out(t("verifyReceipt.box", { box: r.box }));
    ctx.out(t("verifyReceipt.file", { name: r.name }));
    ctx.out(t("verifyReceipt.size", { size: bytes(r.size), count: r.size }));
    ctx.out(t("verifyReceipt.root", { root: r.root }));
    ctx.out(t("verifyReceipt.sender", { name: r.sender_name, id: formatId(r.sender_id) }));
    ctx.out(t("verifyReceipt.collector", { id: collector }));
    ctx.out(t("verifyReceipt.received", { time: r.time }));
    ctx.out(t("receipts.valid"));
  },
};

/**
 * The collector ID given with `--collector`: 64 hex digits, or the base32 groups of
 * `formatId` (at least the three that `peers` shows), dashes and case free.
 *
 * @throws {UsageError} for anything else.
 */
function expectedId(text: string): { text: string; matches(id: string): boolean } {
  const hex = text.trim().toLowerCase();
  if (/^[0-9a-f]{64}$/.test(hex)) return { text, matches: (id) => id === hex };
  const b32 = text.replace(/[-\s]/g, "").toUpperCase();
  if (!/^[A-Z2-7]{12,52}$/.test(b32)) {
    throw new UsageError(t("verifyReceipt.badCollector", { id: text }), verifyReceipt);
  }
  return { text, matches: (id) => formatId(id).replace(/-/g, "").startsWith(b32) };
}
