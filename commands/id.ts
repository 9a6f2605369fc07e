import { RedeError } from "../core/errors.ts";
import { DEFAULT_TRACKER_PORT } from "../core/limits.ts";
import { formatAddress, parseHostPort } from "../net/address.ts";
import {
  formatId,
  identityHome,
  loadIdentity,
  peerIdentityName,
  TRACKER_IDENTITY,
  TrackerPins,
} from "../storage/identity.ts";
import type { Command } from "./_command.ts";

export const id: Command = {
  name: "id",
  scopes: ["cli"],
  summary: "Show this machine's rede-p2p IDs, or forget a tracker's",
  description:
    "Shows the ID of the peer that shares DIR and the ID of a tracker run by this user, making\n" +
    "each on first use: a key pair and a certificate, kept in a per-user folder (REDE_P2P_HOME\n" +
    "sets another). An ID is the SHA-256 of the certificate, in base32 groups; its first three\n" +
    "groups are how peers are shown. Each shared folder has its own peer ID.\n" +
    "A peer remembers the ID of every tracker it joined and refuses one that changed; after a\n" +
    "change you trust (the tracker's machine was reinstalled), --forget HOST[:PORT] lets the\n" +
    "next join remember the new one.",
  args: [],
  options: {
    dir: {
      type: "string",
      value: "DIR",
      description: "shared folder of the peer",
      default: "./arquivos_compartilhaveis",
    },
    forget: {
      type: "string",
      value: "HOST[:PORT]",
      description: "forget the remembered ID of the tracker there",
    },
  },
  examples: ["id", "id --dir ./shared", "id --forget 192.168.0.10"],
  async run({ options }, ctx) {
    const home = identityHome();
    if (options.forget !== undefined) {
      const { host, port } = parseHostPort(options.forget as string, DEFAULT_TRACKER_PORT);
      const where = formatAddress({ host, port: port! });
      if (!(await new TrackerPins(home).forget(where))) {
        throw new RedeError("BAD_INPUT", `No tracker ID is remembered for ${where}`);
      }
      ctx.out(`Forgot the ID of the tracker at ${where}; the next join remembers the new one`);
      return;
    }
    const dir = options.dir as string;
    const peer = await loadIdentity(home, peerIdentityName(dir));
    const tracker = await loadIdentity(home, TRACKER_IDENTITY);
    ctx.out(`Peer ID (${dir}): ${formatId(peer.fingerprint)}`);
    ctx.out(`Tracker ID:       ${formatId(tracker.fingerprint)}`);
    ctx.note(`Identities are kept in ${home}`);
  },
};
