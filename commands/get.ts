import { RedeError } from "../net/errors.ts";
import { downloadFile, listFiles } from "../net/peer_client.ts";
import type { PeerInfo } from "../net/protocol.ts";
import { formatAddress } from "../net/transport.ts";
import { appendManifestEntry } from "../storage/manifest.ts";
import { shareNameProblem } from "../storage/names.ts";
import type { Command } from "./_command.ts";
import { needSession } from "./_shell.ts";
import { bytes, Progress, rate, shortHash } from "./_ui.ts";

export const get: Command = {
  name: "get",
  scopes: ["shell"],
  summary: "Download a file from a peer into the shared folder",
  description:
    "Downloads FILE from the peer named as 'IP', 'IP:PORT' or the '#' of a row from 'peers'.\n" +
    "The data goes to a temporary file, its SHA-256 is checked against what the peer\n" +
    "announced, and only then does it get its name in the shared folder, where it is added to\n" +
    "the manifest and shared on. An existing file is never replaced: a free name such as\n" +
    "'a (1).txt' is used, and said. Quote names with spaces. Ctrl-C cancels the download.",
  args: [
    { name: "peer", description: "IP, IP:PORT or # from 'peers'" },
    { name: "file", description: "the name shown by 'ls'" },
  ],
  examples: ["get 192.168.0.7 a.txt", 'get 192.168.0.7:50123 "my notes.txt"', "get 2 b.txt"],
  async run({ args: [peerText, name] }, ctx) {
    const session = needSession(ctx);
    const problem = shareNameProblem(name);
    if (problem) throw new RedeError("BAD_NAME", `Invalid file name '${name}': ${problem}`);
    const { index, tracker } = session.peer;
    const addr = await session.resolvePeer(
      peerText,
      undefined,
      (candidates) => holderOf(candidates, name),
    );
    const self = tracker.self;
    if (self && self.ip === addr.host && self.port === addr.port) {
      throw new RedeError(
        "BAD_REQUEST",
        `${formatAddress(addr)} is this peer; pick another one in 'peers'`,
      );
    }
    let progress: Progress | undefined;
    let saved;
    const started = performance.now();
    try {
      saved = await downloadFile(addr, name, {
        dir: index.dir,
        taken: (n) => index.has(n),
        signal: ctx.signal,
        onStart: (info) => {
          const live = Deno.stdout.isTerminal();
          progress = new Progress(name, info.size, live);
          if (!live) {
            ctx.note(`Downloading '${name}' (${bytes(info.size)}) from ${formatAddress(addr)}`);
          }
        },
        onProgress: (n) => progress?.update(n),
      });
    } finally {
      progress?.stop();
    }
    const ms = performance.now() - started;
    await index.remember(saved.path, saved.info.sha256);
    if (saved.name !== name) {
      ctx.note(`A file named '${name}' is already here; saved as '${saved.name}'`);
    }
    if (await exists(index.manifestPath)) {
      await appendManifestEntry(index.manifestPath, saved.name, saved.path);
    }
    await index.refresh();
    tracker.notifyFiles();
    ctx.out(
      `Saved '${saved.name}' (${bytes(saved.info.size)}) from ${formatAddress(addr)} in ` +
        `${(ms / 1000).toFixed(1)} s (${rate(saved.info.size, ms)}); ` +
        `SHA-256 ${shortHash(saved.info.sha256)} verified`,
    );
  },
};

/** Among several peers on one IP, the only one that shares `name`, if exactly one does. */
async function holderOf(candidates: PeerInfo[], name: string): Promise<PeerInfo | undefined> {
  const holders = await Promise.all(candidates.map(async (p) => {
    try {
      const files = await listFiles({ host: p.ip, port: p.port });
      return files.some((f) => f.name === name) ? p : undefined;
    } catch {
      return undefined;
    }
  }));
  const found = holders.filter((p) => p !== undefined);
  return found.length === 1 ? found[0] : undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
