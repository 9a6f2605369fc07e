import type { Command } from "./_command.ts";

export const id: Command = {
  name: "id",
  scopes: ["cli"],
  summary: "Show this machine's rede-p2p IDs (made on first use)",
  description:
    "Shows the ID of the peer that shares DIR and the ID of a tracker run by this user, making\n" +
    "each on first use: a key pair and a certificate, kept in a per-user folder (REDE_P2P_HOME\n" +
    "sets another). An ID is the SHA-256 of the certificate, in base32 groups; its first three\n" +
    "groups are how peers are shown. Each shared folder has its own peer ID.",
  args: [],
  options: {
    dir: {
      type: "string",
      value: "DIR",
      description: "shared folder of the peer",
      default: "./arquivos_compartilhaveis",
    },
  },
  examples: ["id", "id --dir ./shared"],
  async run({ options }, ctx) {
    // Loaded only here: the certificate library costs every other process 8 MB and 70 ms.
    const { formatId, identityHome, loadIdentity, peerIdentityName, TRACKER_IDENTITY } =
      await import("../storage/identity.ts");
    const home = identityHome();
    const dir = options.dir as string;
    const peer = await loadIdentity(home, peerIdentityName(dir));
    const tracker = await loadIdentity(home, TRACKER_IDENTITY);
    ctx.out(`Peer ID (${dir}): ${formatId(peer.fingerprint)}`);
    ctx.out(`Tracker ID:       ${formatId(tracker.fingerprint)}`);
    ctx.note(`Identities are kept in ${home}`);
  },
};
