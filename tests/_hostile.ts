/**
 * Hostile peers, built inside the tests from the product's own net layer: the product has no
 * switch that makes it misbehave.
 */
import type { SharedContent } from "../net/peer_server.ts";
import { PeerServer } from "../net/peer_server.ts";
import { TrackerClient } from "../net/tracker_client.ts";
import { ShareIndex } from "../storage/share_index.ts";
import type { PeerSetup, Scene } from "../testing/harness.ts";

/**
 * A peer, running in this process, that shares `setup`'s files honestly in every respect but
 * one: it flips the first byte of every chunk it serves. It registers with the tracker at
 * `trackerPort` like any peer and ends with the scene.
 *
 * @returns The port it serves on.
 */
export async function startLyingPeer(
  s: Scene,
  trackerPort: number,
  setup: PeerSetup,
): Promise<number> {
  const index = new ShareIndex(setup.dir, setup.manifest);
  await index.refresh();
  const lying: SharedContent = {
    refresh: () => index.refresh(),
    list: () => index.list(),
    describe: (name) => index.describe(name),
    describeRoot: (root) => index.describeRoot(root),
    readChunk: async (root, i, buf) => {
      const n = await index.readChunk(root, i, buf);
      if (n > 0) buf[0] ^= 0xff;
      return n;
    },
  };
  const server = new PeerServer({ host: "127.0.0.1", port: 0, content: lying });
  const tracker = new TrackerClient({
    tracker: { host: "127.0.0.1", port: trackerPort },
    port: server.address.port,
    name: "liar",
    files: () => index.list(),
    log: () => {},
  });
  s.defer(async () => {
    await tracker.close();
    server.close();
    await server.done;
  });
  await tracker.start();
  if (!tracker.registered) throw new Error("the lying peer could not register");
  return server.address.port;
}
