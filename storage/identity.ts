/**
 * Long-lived identities: an ECDSA P-256 key pair and a self-signed certificate, made on first
 * use and kept in a per-user folder. An identity's ID is the SHA-256 of its certificate (DER),
 * shown in base32 in groups. A peer's identity belongs to its shared folder, so two peers on one
 * machine (two folders) have two IDs; the tracker has one of its own. See docs/SECURITY.md.
 */
import { Buffer } from "node:buffer";
import { createHash, webcrypto, X509Certificate } from "node:crypto";
import { promises as fsp } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";

/** An identity: its certificate and key (PEM), and its ID. */
export interface Identity {
  /** The SHA-256 of the certificate's DER bytes, 64 hex digits. */
  fingerprint: string;
  certPem: string;
  keyPem: string;
}

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const CERT_FILE = "cert.pem";

/**
 * The one name every identity's certificate carries (as its DNS subject alternative name): a
 * peer's listener is checked against the certificate the tracker listed for it, under this
 * name. No public CA may issue for `.invalid` (RFC 6761), so no CA-signed certificate passes.
 */
export const TLS_NAME = "rede-p2p.invalid";
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
export function loadIdentity(home: string, name: string): Promise<Identity> {
  // One load at a time per identity in a process; `#readOrMake` keeps processes apart.
  const key = join(home, "identities", name);
  let p = loading.get(key);
  if (!p) {
    p = readOrMake(home, name);
    loading.set(key, p);
    p.catch(() => loading.delete(key));
  }
  return p;
}

const loading = new Map<string, Promise<Identity>>();

async function readOrMake(home: string, name: string, tries = 3): Promise<Identity> {
  const dir = join(home, "identities", name);
  const certPath = join(dir, CERT_FILE);
  let certPem: string | undefined;
  let keyPem: string | undefined;
  try {
    [certPem, keyPem] = await Promise.all([
      fsp.readFile(certPath, "utf8"),
      fsp.readFile(join(dir, KEY_FILE), "utf8"),
    ]);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== "ENOENT") {
      const message = t("identity.unreadable", { dir, code: code ?? "error" });
      throw new RedeError("BAD_INPUT", message, { cause: err });
    }
  }
  if (certPem !== undefined && keyPem !== undefined) {
    let named: boolean;
    let fingerprint: string;
    try {
      fingerprint = fingerprintOf(certPem);
      named = new X509Certificate(certPem).checkHost(TLS_NAME) !== undefined;
    } catch (err) {
      throw new RedeError("BAD_INPUT", t("identity.damaged", { dir }), { cause: err });
    }
    if (!named) throw new RedeError("BAD_INPUT", t("identity.old", { dir, name: TLS_NAME }));
    return { fingerprint, certPem, keyPem };
  }
  if (keyPem !== undefined) throw new RedeError("BAD_INPUT", t("identity.keyOnly", { dir }));
  // Made whole in a folder of its own, then renamed into place in one step: a crash leaves no
  // identity, and of two processes making it at once, one wins and the other reads its.
  const made = await makeIdentity();
  await fsp.mkdir(join(home, "identities"), { recursive: true, mode: 0o700 });
  const temp = await fsp.mkdtemp(join(home, "identities", `.${name}.`));
  try {
    await fsp.chmod(temp, 0o700);
    await fsp.writeFile(join(temp, KEY_FILE), made.keyPem, { mode: 0o600 });
    await fsp.writeFile(join(temp, CERT_FILE), made.certPem, { mode: 0o600 });
    await fsp.rename(temp, dir);
    return made;
  } catch (err) {
    await fsp.rm(temp, { recursive: true, force: true });
    const code = (err as { code?: string }).code;
    const lost = code === "ENOTEMPTY" || code === "EEXIST" || code === "EPERM";
    if (!lost || tries <= 0) throw err;
    return readOrMake(home, name, tries - 1); // Another process made it first.
  }
}

/**
 * A new key pair and self-signed certificate. `@peculiar/x509` is loaded only here: a process
 * that finds its identity made never pays for it.
 */
export async function makeIdentity(): Promise<Identity> {
  await import("reflect-metadata"); // @peculiar/x509 needs it, before it is loaded.
  const x509 = await import("@peculiar/x509");
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
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
      new x509.SubjectAlternativeNameExtension([{ type: "dns", value: TLS_NAME }]),
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
  return createHash("sha256").update(certDer(certPem)).digest("hex");
}

/** A certificate's DER bytes as PEM text. */
export function pemOf(der: Uint8Array): string {
  const lines = Buffer.from(der).toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** The DER bytes of a PEM certificate. */
export function certDer(certPem: string): Buffer {
  const body = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/
    .exec(certPem);
  if (!body) throw new Error(t("identity.noPem"));
  const der = Buffer.from(body[1].replace(/\s+/g, ""), "base64");
  if (der.length < 64) throw new Error(t("identity.certShort"));
  return der;
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
  const temp = `${path}.${Deno.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fsp.writeFile(temp, text, { mode: 0o600 });
  await fsp.rename(temp, path);
}

/**
 * The tracker IDs this user has met, one file per tracker address (trust on first use): a
 * tracker at a known address with another ID is refused until its pin is forgotten.
 */
export class TrackerPins {
  #dir: string;

  constructor(home: string) {
    this.#dir = join(home, "trackers");
  }

  /** The ID pinned for `where` (`host:port` as typed), if any. */
  async get(where: string): Promise<string | undefined> {
    try {
      const id = (await fsp.readFile(this.#path(where), "utf8")).trim();
      return /^[0-9a-f]{64}$/.test(id) ? id : undefined;
    } catch {
      return undefined;
    }
  }

  /** Pins `id` for `where`. */
  async set(where: string, id: string): Promise<void> {
    await fsp.mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const path = this.#path(where);
    const temp = `${path}.${Deno.pid}.tmp`;
    await fsp.writeFile(temp, `${id}\n`, { mode: 0o600 });
    await fsp.rename(temp, path);
  }

  /** Forgets the pin of `where`; whether there was one. */
  async forget(where: string): Promise<boolean> {
    try {
      await fsp.unlink(this.#path(where));
      return true;
    } catch {
      return false;
    }
  }

  /** One file per address, named so that any system takes it (`[::1]:9450` → `__1_-9450`). */
  #path(where: string): string {
    return join(this.#dir, `${where.toLowerCase().replace(/[^a-z0-9.-]/g, "_")}.id`);
  }
}

/** What a tracker keeps between its runs on one port: its join code (none: open) and network. */
export interface NetworkRecord {
  code?: string;
  net: string;
}

/**
 * The network a tracker ran on `port` before, if it left one: a restarted tracker keeps its
 * code and network, so its peers come back by themselves (docs/SECURITY.md).
 */
export async function loadNetwork(home: string, port: number): Promise<NetworkRecord | undefined> {
  try {
    const v = JSON.parse(await fsp.readFile(networkPath(home, port), "utf8"));
    if (typeof v?.net !== "string" || !/^[0-9a-f]{32}$/.test(v.net)) return undefined;
    if (v.code !== undefined && typeof v.code !== "string") return undefined;
    return { code: v.code, net: v.net };
  } catch {
    return undefined;
  }
}

/** Keeps the network of a tracker on `port` for its next run (privately: it holds the code). */
export async function saveNetwork(home: string, port: number, rec: NetworkRecord): Promise<void> {
  const path = networkPath(home, port);
  await fsp.mkdir(join(home, "identities", TRACKER_IDENTITY), { recursive: true, mode: 0o700 });
  await writePrivately(path, JSON.stringify(rec));
}

function networkPath(home: string, port: number): string {
  return join(home, "identities", TRACKER_IDENTITY, `network-${port}.json`);
}
