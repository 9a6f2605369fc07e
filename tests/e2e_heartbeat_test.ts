/**
 * A peer that stops answering (frozen with SIGSTOP, so its connection stays open) is dropped
 * by the tracker after three missed heartbeats, and registers again by itself once it runs.
 */
import assert from "node:assert/strict";
import { makeHome, SOURCE, startPeer, startTracker } from "./_harness.ts";

Deno.test({
  name: "a frozen peer misses its heartbeats, is dropped, and comes back when it runs again",
  ignore: Deno.build.os === "windows",
  async fn() {
    const home = await makeHome({ "a.txt": "alpha" });
    const tracker = await startTracker(SOURCE);
    const peer = await startPeer(SOURCE, tracker.port, home);
    try {
      const key = `127.0.0.1:${peer.port}`;
      const mark = tracker.mark();
      peer.kill("SIGSTOP");
      const left = await tracker.waitFor(new RegExp(`leave ${key} .*\\((.+)\\)`), mark);
      assert.equal(left[1], "missed heartbeats");
      const back = peer.mark();
      peer.kill("SIGCONT");
      await peer.waitFor(/registered again as 127\.0\.0\.1:\d+/, back);
      await tracker.waitFor(new RegExp(`join  ${key} `), mark);
    } finally {
      peer.kill("SIGCONT");
      await peer.stop();
      await tracker.stop();
      await Deno.remove(home.home, { recursive: true });
    }
  },
});
