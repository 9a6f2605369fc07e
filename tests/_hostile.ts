/**
 * Hostile peers, built inside the tests from the product's own net layer: the product has no
 * switch that makes it misbehave.
 */
import type { Channel } from "../net/channel.ts";
import type { SharedContent } from "../net/peer_server.ts";
import { PeerServer } from "../net/peer_server.ts";
import { TrackerClient } from "../net/tracker_client.ts";
import { Server } from "../net/transport.ts";
import { ShareIndex } from "../storage/share_index.ts";
import { type PeerSetup, type Scene, WAIT_MS } from "../testing/harness.ts";

/** Reads chunk `i` of `root` into `buf` the honest way; returns its length. */
export type ReadChunk = (root: string, i: number, buf: Uint8Array) => Promise<number>;

/**
 * A peer running in this process that shares `setup`'s files through a real share index and
 * peer server, registered with the tracker at `trackerPort` like any peer, ending with the scene.
 * `readChunk` stands between the index and the server: it gets the honest read and may delay,
 * count or change what is served.
 *
 * @returns The port it serves on.
 */
export async function startInProcessPeer(
  s: Scene,
  trackerPort: number,
  setup: PeerSetup,
  name: string,
  readChunk: (read: ReadChunk, root: string, i: number, buf: Uint8Array) => Promise<number>,
): Promise<number> {
  const index = new ShareIndex(setup.dir, setup.manifest);
  await index.refresh();
  const honest: ReadChunk = (root, i, buf) => index.readChunk(root, i, buf);
  const content: SharedContent = {
    refresh: () => index.refresh(),
    list: () => index.list(),
    describe: (name) => index.describe(name),
    describeRoot: (root) => index.describeRoot(root),
    checkChunk: (root, i) => index.checkChunk(root, i),
    readChunk: (root, i, buf) => readChunk(honest, root, i, buf),
  };
  const server = new PeerServer({ host: "127.0.0.1", port: 0, content });
  const tracker = new TrackerClient({
    tracker: { host: "127.0.0.1", port: trackerPort },
    port: server.address.port,
    name,
    files: () => index.list(),
    log: () => {},
  });
  s.defer(async () => {
    await tracker.close();
    server.close();
    await server.done;
  });
  await tracker.start();
  if (!tracker.registered) throw new Error(`the in-process peer '${name}' could not register`);
  return server.address.port;
}

/**
 * A peer, running in this process, that shares `setup`'s files honestly in every respect but
 * one: it flips the first byte of every chunk it serves.
 *
 * @returns The port it serves on.
 */
export function startLyingPeer(s: Scene, trackerPort: number, setup: PeerSetup): Promise<number> {
  return startInProcessPeer(s, trackerPort, setup, "liar", async (read, root, i, buf) => {
    const n = await read(root, i, buf);
    if (n > 0) buf[0] ^= 0xff;
    return n;
  });
}

/**
 * A hand-built server in this process on 127.0.0.1: the product's transport, with `handle`
 * speaking for it (after its own `accept`, or not at all). It ends with the scene.
 *
 * @returns Its port.
 */
export function hostileServer(s: Scene, handle: (ch: Channel) => Promise<void>): number {
  const server = new Server({
    host: "127.0.0.1",
    port: 0,
    maxConnections: 16,
    writeMs: WAIT_MS,
    onError: () => {},
    handle,
  });
  s.defer(async () => {
    server.close();
    await server.done;
  });
  return server.address.port;
}
