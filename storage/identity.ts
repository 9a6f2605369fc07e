/**
 * Long-lived identities: an ECDSA P-256 key pair and a self-signed certificate, made on first
 * use and kept in a per-user folder. An identity's ID is the SHA-256 of its certificate (DER),
 * shown in base32 in groups. A peer's identity belongs to its shared folder, so two peers on one
 * machine (two folders) have two IDs; the tracker has one of its own. See docs/SECURITY.md.
 */
import "reflect-metadata"; // @peculiar/x509 needs it, before it is loaded.
import * as x509 from "@peculiar/x509";
import { createHash, webcrypto } from "node:crypto";
import { promises as fsp } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { RedeError } from "../core/errors.ts";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** An identity: its certificate and key (PEM), and its ID. */
export interface Identity {
  /** The SHA-256 of the certificate's DER bytes, 64 hex digits. */
  fingerprint: string;
  certPem: string;
  keyPem: string;
}

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const CERT_FILE = "cert.pem";
const KEY_FILE = "key.pem";

/**
 * The folder rede-p2p keeps identities in: `REDE_P2P_HOME` when set, else the usual per-user
 * configuration folder of the system (`%APPDATA%\rede-p2p`, `~/Library/Application
 * Support/rede-p2p`, `$XDG_CONFIG_HOME/rede-p2p` or `~/.config/rede-p2p`).
 */
export function identityHome(): string {
  const env = (name: string) => Deno.env.get(name) || undefined;
  const own = env("REDE_P2P_HOME");
  if (own) return resolve(own);
  if (Deno.build.os === "windows") {
    return join(env("APPDATA") ?? join(homedir(), "AppData", "Roaming"), "rede-p2p");
  }
  if (Deno.build.os === "darwin") {
    return join(homedir(), "Library", "Application Support", "rede-p2p");
  }
  return join(env("XDG_CONFIG_HOME") ?? join(homedir(), ".config"), "rede-p2p");
}

/** The name of the identity of the peer that shares `dir`: one per shared folder. */
export function peerIdentityName(dir: string): string {
  const digest = createHash("sha256").update(resolve(dir)).digest("hex");
  return `peer-${digest.slice(0, 16)}`;
}

/** The name of a tracker's identity. */
export const TRACKER_IDENTITY = "tracker";

/**
 * The identity `name` under `home`, made (key pair, certificate, both written privately) when
 * there is none yet.
 *
 * @throws {RedeError} `BAD_INPUT` with one line when the files are there but unreadable or
 * damaged (they are never overwritten: an identity others have pinned must not change silently).
 */
export async function loadIdentity(home: string, name: string): Promise<Identity> {
  const dir = join(home, "identities", name);
  const certPath = join(dir, CERT_FILE);
  const unusable = (why: string, cause: unknown) =>
    new RedeError("BAD_INPUT", `The identity in ${dir} ${why}; move it away to make a new one`, {
      cause,
    });
  let certPem: string | undefined;
  let keyPem: string | undefined;
  try {
    [certPem, keyPem] = await Promise.all([
      fsp.readFile(certPath, "utf8"),
      fsp.readFile(join(dir, KEY_FILE), "utf8"),
    ]);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== "ENOENT") throw unusable(`cannot be read (${code ?? "error"})`, err);
  }
  if (certPem !== undefined && keyPem !== undefined) {
    try {
      return { fingerprint: fingerprintOf(certPem), certPem, keyPem };
    } catch (err) {
      throw unusable("is damaged (its certificate cannot be read)", err);
    }
  }
  const made = await makeIdentity();
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  // The key first, then the certificate, each complete before it has its name: a crash leaves
  // no identity or a whole one (a key without a certificate is made again).
  await writePrivately(join(dir, KEY_FILE), made.keyPem);
  await writePrivately(certPath, made.certPem);
  return made;
}

/** A new key pair and self-signed certificate. */
export async function makeIdentity(): Promise<Identity> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: createHash("sha256").update(String(now)).digest("hex").slice(0, 16),
    name: "CN=rede-p2p",
    notBefore: new Date(now - 24 * 3600_000),
    notAfter: new Date(now + 100 * 365 * 24 * 3600_000),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  const certPem = cert.toString("pem");
  return {
    fingerprint: fingerprintOf(certPem),
    certPem,
    keyPem: x509.PemConverter.encode(pkcs8, "PRIVATE KEY"),
  };
}

/** The SHA-256 of a PEM certificate's DER bytes, in hex. */
export function fingerprintOf(certPem: string): string {
  const der = new Uint8Array(new x509.X509Certificate(certPem).rawData);
  return createHash("sha256").update(der).digest("hex");
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * An ID as people read it: the fingerprint in base32 (52 characters), in groups of four.
 * `short` keeps the first three groups (60 bits), enough to tell the peers of a network apart.
 *
 * @example
 * ```ts
 * import { formatId } from "./identity.ts";
 * formatId("00".repeat(32), true); // "AAAA-AAAA-AAAA"
 * ```
 */
export function formatId(fingerprint: string, short = false): string {
  let bits = "";
  for (const byte of fingerprint.match(/../g) ?? []) {
    bits += parseInt(byte, 16).toString(2).padStart(8, "0");
  }
  let text = "";
  for (let i = 0; i < bits.length; i += 5) {
    text += BASE32[parseInt(bits.slice(i, i + 5).padEnd(5, "0"), 2)];
  }
  const groups = text.match(/.{1,4}/g) ?? [];
  return (short ? groups.slice(0, 3) : groups).join("-");
}

async function writePrivately(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`;
  await fsp.writeFile(temp, text, { mode: 0o600 });
  await fsp.rename(temp, path);
}
