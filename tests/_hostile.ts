/**
 * Hostile peers, built inside the tests from the product's own net layer: the product has no
 * switch that makes it misbehave. Over TLS like every peer, each with an identity of the test
 * home, and a member of the tracker's network where the attack needs one.
 */
import { chunkCount } from "../core/content.ts";
import { encodeHaveMap } from "../core/have_map.ts";
import { CHUNK_BYTES } from "../core/limits.ts";
import type { Channel } from "../net/channel.ts";
import type { Credentials } from "../net/secure.ts";
import type { Trust } from "../net/membership.ts";
import { Network } from "../net/membership.ts";
import type { SharedContent } from "../net/peer_server.ts";
import { PeerServer } from "../net/peer_server.ts";
import type { MessageOf } from "../net/protocol.ts";
import { TrackerClient } from "../net/tracker_client.ts";
import { Server } from "../net/transport.ts";
import { ShareIndex } from "../storage/share_index.ts";
import {
  codeOf,
  credentials,
  guard,
  memoryPins,
  type PeerSetup,
  type Scene,
  WAIT_MS,
} from "../testing/harness.ts";
import { RawClient } from "../testing/raw_client.ts";

/** Reads chunk `i` of `root` into `buf` the honest way; returns its length. */
export type ReadChunk = (root: string, i: number, buf: Uint8Array) => Promise<number>;

/**
 * A peer running in this process that shares `setup`'s files through a real share index and
 * peer server, registered with the tracker at `trackerPort` like any peer (admitted with the
 * code the harness knows, as the identity `name`), ending with the scene. `readChunk` stands
 * between the index and the server: it gets the honest read and may delay, count or change what
 * is served.
 *
 * @returns The port it serves on.
 */
export async function startInProcessPeer(
  s: Scene,
  trackerPort: number,
  setup: PeerSetup,
  name: string,
  readChunk: (read: ReadChunk, root: string, i: number, buf: Uint8Array) => Promise<number>,
  /** Tells the tracker it holds its files in part (every chunk), not whole. */
  partial = false,
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
    haveMap: async (root) => {
      const total = chunkCount(await index.describeRoot(root));
      return encodeHaveMap(Array.from({ length: total }, (_, i) => i), total);
    },
  };
  // One trust for both: the tracker client sets the network on it once admitted, and from then
  // on the server serves members of that network.
  const trust: Trust = { creds: await credentials(name) };
  const server = await PeerServer.start({ host: "127.0.0.1", port: 0, content, trust });
  const tracker = new TrackerClient({
    tracker: { host: "127.0.0.1", port: trackerPort },
    port: server.address.port,
    name,
    files: () => partial ? [] : index.list(),
    log: () => {},
    trust,
    code: () => Promise.resolve(codeOf(trackerPort) ?? ""),
    pins: memoryPins(),
  });
  s.defer(async () => {
    await tracker.close();
    server.close();
    await server.done;
  });
  await tracker.start();
  if (!tracker.registered) throw new Error(`the in-process peer '${name}' could not register`);
  if (!trust.network) throw new Error(`the in-process peer '${name}' was not admitted`);
  if (partial) {
    tracker.notifyPartials(
      index.list().map((f) => ({
        root: f.root,
        size: f.size,
        have: chunkCount({ size: f.size, chunk_size: CHUNK_BYTES }),
      })),
    );
  }
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
 * A hand-built peer listener in this process on 127.0.0.1: the product's transport (TLS, showing
 * the identity `identity`), with `handle` speaking for it (after its own `accept`, or not at
 * all; it checks no client's proof).
 * It ends with the scene.
 *
 * @returns Its port.
 */
export async function hostileServer(
  s: Scene,
  handle: (ch: Channel) => Promise<void>,
  identity: string | Credentials = "mallory",
): Promise<number> {
  const server = await Server.open({
    host: "127.0.0.1",
    port: 0,
    maxConnections: 16,
    writeMs: WAIT_MS,
    creds: typeof identity === "string" ? await credentials(identity) : identity,
    peerTls: true, // Like a peer's listener: clients prove who they are in their hello.
    helloMs: WAIT_MS,
    onError: () => {},
    handle,
  });
  s.defer(async () => {
    server.close();
    await server.done;
  });
  return server.address.port;
}

/**
 * Registers a peer at `port` with the tracker at `trackerPort` by hand: a raw client admitted
 * as the identity `identity` (with the code the harness knows), then `register`, answered by
 * `registered`. The connection ends with the scene. The tracker lists the peer under that
 * identity's ID, so a server showing it in TLS is the one downloaders expect.
 *
 * @returns The member's trust: what a hostile server of that identity shows to peers.
 */
export async function registerByHand(
  s: Scene,
  trackerPort: number,
  identity: string,
  register: Omit<MessageOf<"register">, "t">,
): Promise<Trust> {
  const c = await RawClient.hello(trackerPort, undefined, { identity, code: codeOf(trackerPort) });
  s.defer(() => c.close());
  const reply = await guard(c.ask({ t: "register", ...register }), "the tracker's 'registered'");
  if (reply?.t !== "registered") throw new Error(`not registered: ${JSON.stringify(reply)}`);
  const creds = await credentials(identity);
  return {
    creds,
    network: new Network(c.theirId, c.theirCert, c.member!, creds.fingerprint),
  };
}
