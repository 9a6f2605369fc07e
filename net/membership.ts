/**
 * Membership of a network (docs/SECURITY.md): a tracker admits a peer (after the join code's
 * PAKE on a private network, at once on an open one) and signs a statement, "the identity with
 * this ID is a member of network NET", with its own identity's key. NET is a random number the
 * tracker draws each time it starts, so statements of an earlier run are worth nothing.
 *
 * Peers check each other's statements against the key of the tracker they joined, and against
 * the certificate the other side showed in TLS: a statement is worth nothing on another
 * identity's connection.
 */
import { Buffer } from "node:buffer";
import {
  createPrivateKey,
  type KeyObject,
  randomBytes,
  sign,
  verify,
  X509Certificate,
} from "node:crypto";
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import type { Membership } from "./protocol.ts";
import type { Credentials } from "./secure.ts";

/**
 * A tracker's signed statement that an identity belongs to its network (in `hello`): `net`, the
 * network (32 hex digits drawn by the tracker at its start), and `sig`, the ECDSA P-256 /
 * SHA-256 signature (DER, base64) of {@link statement}.
 */
export type { Membership };

/** The bytes a tracker signs for a member. */
function statement(net: string, memberId: string): Buffer {
  return Buffer.from(`rede-p2p member v4\n${net}\n${memberId}`);
}

/** The tracker's side: draws the network's number and signs statements. */
export class MembershipSigner {
  readonly net: string;
  #key: KeyObject;

  /** @param net The network's number: a new one unless a restarted tracker keeps its own. */
  constructor(keyPem: string, net = randomBytes(16).toString("hex")) {
    this.#key = createPrivateKey(keyPem);
    this.net = net;
  }

  /** The statement for `memberId` (a certificate fingerprint the tracker saw in TLS). */
  sign(memberId: string): Membership {
    return {
      net: this.net,
      sig: sign("sha256", statement(this.net, memberId), this.#key).toString("base64"),
    };
  }
}

/** What a peer knows of the network it joined, to check others' statements. */
export class Network {
  /** The tracker's ID (its certificate's fingerprint). */
  readonly trackerId: string;
  /** This peer's own statement, shown in every `hello` to another peer. */
  readonly mine: Membership;
  #key: KeyObject;

  /**
   * @param trackerCert The certificate (DER) the tracker showed in TLS.
   * @param mine The statement it handed this peer, checked here against `myId`.
   * @throws {RedeError} `BAD_PEER` when the tracker's statement does not hold.
   */
  constructor(trackerId: string, trackerCert: Uint8Array, mine: Membership, myId: string) {
    this.trackerId = trackerId;
    this.mine = mine;
    try {
      this.#key = new X509Certificate(Buffer.from(trackerCert)).publicKey;
    } catch (err) {
      throw new RedeError("BAD_PEER", t("net.member.noKey"), {
        cause: err,
      });
    }
    if (!this.check(mine, myId)) {
      throw new RedeError("BAD_PEER", t("net.member.badSignature"));
    }
  }

  /** The network's number. */
  get net(): string {
    return this.mine.net;
  }

  /** Whether `m` says, with this network's tracker's signature, that `peerId` is a member. */
  check(m: Membership | undefined, peerId: string | undefined): boolean {
    if (m === undefined || peerId === undefined || m.net !== this.mine.net) return false;
    try {
      return verify("sha256", statement(m.net, peerId), this.#key, Buffer.from(m.sig, "base64"));
    } catch {
      return false;
    }
  }
}

/** A peer's trust: its own identity, and once a tracker admitted it, the network. */
export interface Trust {
  creds: Credentials;
  network?: Network;
  /**
   * The certificate (PEM) of the peer with this ID, as the tracker lists it: what a client needs
   * to reach that peer (`peer_tls.ts`). Set with `network`.
   *
   * @throws {RedeError} when the tracker does not know the peer or cannot be asked.
   */
  certOf?: (id: string) => Promise<string>;
}
