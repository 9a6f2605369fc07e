/**
 * The receipts of this user's hand-ins (issue 9): one JSON file each in `receipts/`, beside the
 * identities in the per-user folder (`identityHome()`; `REDE_P2P_HOME` sets another). A file is
 * written whole under a temporary name and renamed into place, and never replaced: its name is
 * the receipt's time and the start of the SHA-256 of its signature.
 */
import { createHash } from "node:crypto";
import { promises as fsp } from "node:fs";
import { join } from "node:path";
import { errorLine, RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { readFull } from "../core/io.ts";
import { MAX_RECEIPT_BYTES, MAX_RECEIPTS_LISTED } from "../core/limits.ts";
import { type Receipt, receiptFromText } from "../core/receipt.ts";

/** The folder of the receipts under `home`. */
export function receiptsDir(home: string): string {
  return join(home, "receipts");
}

/**
 * Keeps a receipt in `home`'s receipts folder.
 *
 * @returns The path of its file.
 */
export async function saveReceipt(home: string, r: Receipt): Promise<string> {
  const dir = receiptsDir(home);
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = r.time.replace(/[-:]/g, "").replace(/\.\d+/, "");
  const tag = createHash("sha256").update(r.sig).digest("hex").slice(0, 12);
  const path = join(dir, `${stamp}-${tag}.json`);
  const temp = join(dir, `.${stamp}-${tag}.${Deno.pid}.tmp`);
  await fsp.writeFile(temp, `${JSON.stringify(r, null, 2)}\n`, { mode: 0o600 });
  try {
    await fsp.link(temp, path); // Never over a file already there (the same receipt, kept).
  } catch (err) {
    if ((err as { code?: string }).code !== "EEXIST") throw err;
  } finally {
    await fsp.rm(temp, { force: true });
  }
  return path;
}

/**
 * A receipt file, read (at most {@link MAX_RECEIPT_BYTES}) and checked field by field; its
 * signature is not checked here.
 *
 * @throws {RedeError} `BAD_INPUT`, one line naming the file and what is wrong.
 */
export async function readReceipt(path: string): Promise<Receipt> {
  let text: string;
  try {
    // Checked before it is opened: opening a named pipe would wait for a writer.
    if (!(await Deno.stat(path)).isFile) {
      throw new RedeError("BAD_INPUT", t("storage.receipt.notFile", { path }));
    }
    using file = await Deno.open(path, { read: true });
    const buf = new Uint8Array(MAX_RECEIPT_BYTES + 1);
    const n = await readFull(file, buf);
    if (n > MAX_RECEIPT_BYTES) {
      throw new RedeError(
        "BAD_INPUT",
        t("storage.receipt.tooLarge", { path, max: MAX_RECEIPT_BYTES }),
      );
    }
    text = new TextDecoder("utf-8", { fatal: true }).decode(buf.subarray(0, n));
  } catch (err) {
    if (err instanceof RedeError) throw err;
    if (err instanceof Deno.errors.NotFound) {
      throw new RedeError("BAD_INPUT", t("storage.receipt.noFile", { path }), { cause: err });
    }
    if (err instanceof TypeError) {
      throw new RedeError("BAD_INPUT", t("storage.receipt.notUtf8", { path }), { cause: err });
    }
    const error = errorLine(err);
    throw new RedeError("BAD_INPUT", t("storage.receipt.unreadable", { path, error }), {
      cause: err,
    });
  }
  const r = receiptFromText(text);
  if ("why" in r) {
    throw new RedeError("BAD_INPUT", t("storage.receipt.notReceipt", { path, why: r.why }));
  }
  return r;
}

/** A receipt file as `listReceipts` found it: the receipt, or why it is not one. */
export interface ListedReceipt {
  path: string;
  receipt?: Receipt;
  problem?: string;
}

/**
 * The receipts in `home`, oldest first: at most {@link MAX_RECEIPTS_LISTED}, the newest.
 *
 * @returns Them, and how many older ones were left out.
 */
export async function listReceipts(
  home: string,
): Promise<{ receipts: ListedReceipt[]; left: number }> {
  const dir = receiptsDir(home);
  let names: string[];
  try {
    names = (await Array.fromAsync(Deno.readDir(dir)))
      .filter((e) => e.isFile && e.name.endsWith(".json") && !e.name.startsWith("."))
      .map((e) => e.name)
      .sort();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return { receipts: [], left: 0 };
    throw err;
  }
  const shown = names.slice(-MAX_RECEIPTS_LISTED);
  const receipts: ListedReceipt[] = [];
  for (const name of shown) {
    const path = join(dir, name);
    try {
      receipts.push({ path, receipt: await readReceipt(path) });
    } catch (err) {
      receipts.push({ path, problem: (err as Error).message });
    }
  }
  return { receipts, left: names.length - shown.length };
}
