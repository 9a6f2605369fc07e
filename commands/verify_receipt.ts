import { RedeError } from "../core/errors.ts";
import { receiptProblem } from "../core/receipt.ts";
import { formatId } from "../storage/identity.ts";
import { readReceipt } from "../storage/receipts.ts";
import { type Command, UsageError } from "./_command.ts";
import { bytes } from "./_ui.ts";

export const verifyReceipt: Command = {
  name: "verify-receipt",
  scopes: ["cli"],
  summary: "Check a hand-in receipt: the collector's signature, and who the collector is",
  description:
    "Checks a receipt file, offline: its fields, that the certificate it carries is the\n" +
    "collector's (its SHA-256 is the collector's ID) and that its key signed these fields.\n" +
    "With --collector, also that the collector is the peer you expect: give its ID as\n" +
    "'rede-p2p id' shows it (or its first groups, as 'peers' shows them; fewer groups are a\n" +
    "weaker check). Prints the receipt and 'valid', exit status 0; a changed, damaged or\n" +
    "foreign receipt gets one line and exit status 1.",
  args: [{ name: "file", description: "a receipt (see 'receipts' at the prompt)" }],
  options: {
    collector: {
      type: "string",
      value: "ID",
      description: "the collector's ID you expect (full, or its first three groups or more)",
    },
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
    if (problem) throw new RedeError("BAD_INPUT", `Receipt '${file}' is not valid: ${problem}`);
    const collector = formatId(r.collector_id);
    if (expected && !expected.matches(r.collector_id)) {
      throw new RedeError(
        "IDENTITY",
        `Receipt '${file}' was signed by the collector ${collector}, not ${expected.text}`,
      );
    }
    ctx.out(`Box:        ${r.box}`);
    ctx.out(`File:       ${r.name}`);
    ctx.out(`Size:       ${bytes(r.size)} (${r.size} bytes)`);
    ctx.out(`Root:       ${r.root}`);
    ctx.out(`Sender:     ${r.sender_name} (ID ${formatId(r.sender_id)})`);
    ctx.out(`Collector:  ${collector}`);
    ctx.out(`Received:   ${r.time}`);
    ctx.out("valid");
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
    throw new UsageError(
      `Invalid collector ID '${text}': give it as 'rede-p2p id' shows it, or its first three ` +
        "groups or more",
      verifyReceipt,
    );
  }
  return { text, matches: (id) => formatId(id).replace(/-/g, "").startsWith(b32) };
}
