/**
 * Hand-in receipts (issue 9; docs/SECURITY.md, Hand-in receipts) and the rule on box names.
 * Pure: no I/O.
 *
 * A receipt says: "the collector with ID C received in its box B, from the sender with ID S
 * listed as N, the file F of size Z and root R, at time T". It carries the collector's
 * certificate (DER, base64), so anyone can check it offline: the certificate's SHA-256 must be
 * C, and its key must verify `sig`, the ECDSA P-256 / SHA-256 signature (DER, base64) of
 * {@link receiptBytes}. Signing and checking are `node:crypto`'s; nothing here is hand-rolled.
 */
import { Buffer } from "node:buffer";
import { createHash, createPrivateKey, sign, verify, X509Certificate } from "node:crypto";
import * as v from "valibot";
import { Count, Hash, ShareName } from "./content.ts";
import { RedeError } from "./errors.ts";
import { t } from "./i18n.ts";
import {
  MAX_BOX_NAME_BYTES,
  MAX_PEER_NAME_CHARS,
  MAX_RECEIPT_BYTES,
  QUOTED_NAME_CHARS,
} from "./limits.ts";
import { shareNameProblem } from "./names.ts";
import { hasUnsafeChars, remoteText } from "./terminal.ts";

const encoder = new TextEncoder();

/**
 * Why a box name is refused, or `undefined`: a box name is one part of a shared name (a plain
 * file name, `core/names.ts`) of at most {@link MAX_BOX_NAME_BYTES} bytes.
 *
 * @example
 * ```ts
 * import { boxNameProblem } from "./receipt.ts";
 * boxNameProblem("prova1"); // undefined
 * boxNameProblem("a/b"); // "must not contain '/' or '\\'"
 * ```
 */
export function boxNameProblem(name: string): string | undefined {
  const problem = shareNameProblem(name);
  if (problem !== undefined) return problem;
  if (encoder.encode(name).length > MAX_BOX_NAME_BYTES) {
    return t("names.tooLong", { max: MAX_BOX_NAME_BYTES });
  }
  return undefined;
}

/**
 * Refuses a box name that breaks the rule.
 *
 * @throws {RedeError} `BAD_NAME`, saying why.
 */
export function assertBoxName(name: string): void {
  const problem = boxNameProblem(name);
  if (problem !== undefined) {
    throw new RedeError(
      "BAD_NAME",
      t("core.receipt.badBox", { name: remoteText(name, QUOTED_NAME_CHARS), problem }),
    );
  }
}

/** A box name (see {@link boxNameProblem}). */
export const BoxName = v.pipe(
  v.string(),
  v.check(
    (name: string) => boxNameProblem(name) === undefined,
    (issue) => t("core.receipt.badBoxField", { problem: boxNameProblem(String(issue.input))! }),
  ),
);

const Id = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, () => t("core.receipt.notId")));
const Base64 = (min: number, max: number, not: () => string) =>
  v.pipe(v.string(), v.regex(new RegExp(`^[A-Za-z0-9+/=]{${min},${max}}$`), not));

/** ISO 8601 in UTC, as `Date.prototype.toISOString` writes it (milliseconds optional). */
const UtcTime = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, () => t("core.receipt.notUtc")),
  v.check((s: string) => !Number.isNaN(Date.parse(s)), () => t("core.receipt.notDate")),
);

/** A peer's name as its tracker lists it: cut, and printable as it is. */
const SenderName = v.pipe(
  v.string(),
  v.minLength(1, () => t("core.receipt.emptyName")),
  v.maxLength(MAX_PEER_NAME_CHARS, () => t("core.receipt.longName", { max: MAX_PEER_NAME_CHARS })),
  v.check((s: string) => !hasUnsafeChars(s), () => t("core.receipt.unsafeName")),
);

/** Every field of a receipt, checked one by one (the wire message `receipt` is these). */
export const RECEIPT_FIELDS = {
  /** The receipt format: 1. */
  v: v.literal(1),
  box: BoxName,
  sender_id: Id,
  sender_name: SenderName,
  /** The file's name as the sender shares it. */
  name: ShareName,
  size: Count,
  root: Hash,
  /** When the file was in and verified. */
  time: UtcTime,
  collector_id: Id,
  /** The collector's certificate, DER in base64: its SHA-256 is `collector_id`. */
  collector_cert: Base64(16, 4096, () => t("core.receipt.notCert")),
  /** The collector's signature of {@link receiptBytes}, DER in base64. */
  sig: Base64(8, 200, () => t("core.receipt.notSig")),
};

export const Receipt = v.object(RECEIPT_FIELDS);
export type Receipt = v.InferOutput<typeof Receipt>;

/** What the collector states in a receipt (the signed fields). */
export type ReceiptClaims = Omit<Receipt, "v" | "collector_cert" | "sig">;

/** The domain of the signed bytes: a signature by an identity key means nothing else. */
const DOMAIN = "rede-p2p receipt v1";

/**
 * The bytes a collector signs: the UTF-8 JSON array of the domain and the claims in a fixed
 * order, so that no two receipts share their bytes whatever their fields hold.
 */
export function receiptBytes(c: ReceiptClaims): Buffer {
  const fields = [c.box, c.sender_id, c.sender_name, c.name, c.size, c.root, c.time];
  return Buffer.from(JSON.stringify([DOMAIN, ...fields, c.collector_id]));
}

/**
 * A receipt for `claims`, signed with the collector's identity.
 *
 * @param key The collector's private key (PEM) and its certificate (DER).
 */
export function signReceipt(
  claims: Omit<ReceiptClaims, "collector_id">,
  key: { keyPem: string; certDer: Uint8Array },
): Receipt {
  const collector_id = createHash("sha256").update(key.certDer).digest("hex");
  const full: ReceiptClaims = { ...claims, collector_id };
  const sig = sign("sha256", receiptBytes(full), createPrivateKey(key.keyPem));
  return {
    v: 1,
    ...full,
    collector_cert: Buffer.from(key.certDer).toString("base64"),
    sig: sig.toString("base64"),
  };
}

/**
 * Why a receipt does not hold, or `undefined` when it does: its certificate is the collector's
 * (SHA-256 = `collector_id`), an ECDSA P-256 one, and its key verifies `sig` over the claims.
 */
export function receiptProblem(r: Receipt): string | undefined {
  const der = Buffer.from(r.collector_cert, "base64");
  if (der.toString("base64") !== r.collector_cert) return t("core.receipt.certNotBase64");
  if (createHash("sha256").update(der).digest("hex") !== r.collector_id) {
    return t("core.receipt.certNotCollector");
  }
  let key;
  try {
    key = new X509Certificate(der).publicKey;
  } catch {
    return t("core.receipt.certUnreadable");
  }
  if (key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    return t("core.receipt.certNotP256");
  }
  const sig = Buffer.from(r.sig, "base64");
  if (sig.toString("base64") !== r.sig) return t("core.receipt.sigNotBase64");
  try {
    if (verify("sha256", receiptBytes(r), key, sig)) return undefined;
  } catch {
    // A signature that is not DER: as good as a wrong one.
  }
  return t("core.receipt.sigMismatch");
}

/**
 * A receipt read from its JSON text, every field checked and no other field allowed (a field
 * the signature does not cover could mislead a reader). The signature is not checked here.
 *
 * @returns The receipt, or why the text is not one (one fragment, after "not a receipt: ").
 */
export function receiptFromText(text: string): Receipt | { why: string } {
  if (encoder.encode(text).length > MAX_RECEIPT_BYTES) {
    return { why: t("core.receipt.tooLarge", { max: MAX_RECEIPT_BYTES }) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { why: t("core.receipt.notJson") };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { why: t("core.receipt.notObject") };
  }
  const extra = Object.keys(value).find((k) => !Object.hasOwn(RECEIPT_FIELDS, k));
  if (extra !== undefined) {
    return { why: t("core.receipt.extraField", { field: remoteText(extra, 40) }) };
  }
  const parsed = v.safeParse(Receipt, value);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const field = v.getDotPath(issue) ?? "?";
    return { why: t("core.receipt.field", { field, problem: remoteText(issue.message, 120) }) };
  }
  return parsed.output;
}

/**
 * A receipt read from its JSON text (see {@link receiptFromText}).
 *
 * @throws {RedeError} `BAD_INPUT`, one line saying what is wrong.
 */
export function parseReceipt(text: string): Receipt {
  const r = receiptFromText(text);
  if ("why" in r) throw new RedeError("BAD_INPUT", t("core.receipt.not", { why: r.why }));
  return r;
}
