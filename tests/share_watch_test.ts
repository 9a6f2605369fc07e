/**
 * A peer's views follow its share at once: a file added to the share (and its manifest) is found
 * and fetched by name by another peer moments later, and a file deleted stops counting as
 * "already here" and leaves `find`. The sharing peer watches its share (storage/share_watch.ts);
 * its periodic look is set an hour apart where it runs in this process (so only the watcher can
 * explain what happens), and is the default 30 s for a real `join`, longer than any wait here.
 * Real tracker and peer processes on 127.0.0.1, real folders; every wait is on a line printed,
 * a message answered or a callback called.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Timings } from "../core/limits.ts";
import { Fetcher, type FetchEvent } from "../app/fetch.ts";
import { Node } from "../app/node.ts";
import { ShareIndex } from "../storage/share_index.ts";
import { ShareWatch } from "../storage/share_watch.ts";
import {
  codeOf,
  guard,
  IDENTITY_HOME,
  type PeerSetup,
  run,
  type Scene,
  sceneTest,
  SOURCE,
} from "../testing/harness.ts";

/** The periodic look an hour apart: in these tests only the watcher sees a change. */
const NO_RESCAN: Partial<Timings> = { rescanMs: 3_600_000 };
const SAVED = /^(Saved '|error: )/;
const FOUND = /files? match(?:es)?/;

/** Lines logged, and a wait for one. */
class Log {
  readonly lines: string[] = [];
  #waiters: { re: RegExp; resolve: () => void }[] = [];

  add = (line: string): void => {
    this.lines.push(line);
    this.#waiters = this.#waiters.filter((w) => !w.re.test(line) || (w.resolve(), false));
  };

  /** Waits for a line matching `re` logged from now on. */
  next(re: RegExp): Promise<void> {
    return guard(new Promise((resolve) => this.#waiters.push({ re, resolve })), `a log ${re}`);
  }
}

/** A verbose peer in this process, with its periodic look an hour apart, joined to the tracker. */
async function watchingPeer(
  s: Scene,
  trackerPort: number,
  home: PeerSetup,
  timings: Partial<Timings> = NO_RESCAN,
) {
  const log = new Log();
  const node = await Node.start({
    tracker: { host: "127.0.0.1", port: trackerPort },
    dir: home.dir,
    manifest: home.manifest,
    listenHost: "127.0.0.1",
    listenPort: 0,
    verbose: true,
    log: log.add,
    code: () => Promise.resolve(codeOf(trackerPort)!),
    home: IDENTITY_HOME,
    timings,
  });
  s.defer(() => node.close());
  await node.tracker.start();
  return { node, log };
}

/** Every event of fetching one content by name through the engine `get` runs. */
async function fetchEvents(node: Node, name: string, root: string): Promise<FetchEvent[]> {
  const events: FetchEvent[] = [];
  const failed = await new Fetcher(node).fetch([{ name, root }], {
    signal: new AbortController().signal,
    onEvent: (e) => events.push(e),
  });
  assert.deepEqual(failed, []);
  return events;
}

sceneTest(
  SOURCE,
  "watch: a file added to a share and its manifest is found and fetched by name at once",
  async (s) => {
    const t = await s.tracker();
    const homeA = await s.home({ "velho.txt": "old" });
    const { node: a, log } = await watchingPeer(s, t.port, homeA);
    const homeB = await s.home();
    const b = await s.peer(t.port, homeB);
    assert.match((await run(b, "find novo", FOUND)).at(-1)!, /^0 files match/);

    const changed = log.next(/^Shared files changed: 2 files shared now$/);
    await Deno.writeTextFile(join(homeA.dir, "novo.txt"), "fresh content");
    await Deno.writeTextFile(homeA.manifest, '"novo.txt" "share/novo.txt"\n', { append: true });
    await changed;
    // A's own search goes after its announce on the same connection: the tracker has it now.
    assert.deepEqual((await a.tracker.find("novo")).map((f) => f.name), ["novo.txt"]);

    const found = await run(b, "find novo", FOUND);
    assert.ok(
      found.some((l) => /│ 1 │ novo\.txt │ 13 B +│ [0-9a-f]{12} │ 1 +│/.test(l)),
      found.join("\n"),
    );
    const got = await run(b, "get novo.txt", SAVED);
    assert.match(got.at(-1)!, /^Saved 'novo\.txt' \(13 B\) from \S+ \(127\.0\.0\.1:\d+\)/);
    assert.equal(await Deno.readTextFile(join(homeB.dir, "novo.txt")), "fresh content");
  },
);

sceneTest(
  SOURCE,
  "watch: a file put in a new subfolder of a share without manifest is found and fetched by name",
  async (s) => {
    const t = await s.tracker();
    const homeA = await s.home({ "velho.txt": "old" });
    await Deno.remove(homeA.manifest); // No manifest: the whole folder is shared.
    const a = await s.peer(t.port, homeA, ["--verbose"]);
    const homeB = await s.home();
    const b = await s.peer(t.port, homeB);

    const mark = a.mark();
    await Deno.mkdir(join(homeA.dir, "aula", "3"), { recursive: true });
    await Deno.writeTextFile(join(homeA.dir, "aula", "3", "lista.txt"), "exercises");
    // Within the guard (10 s) of a peer started moments ago: its first periodic look is at 30 s.
    await a.waitFor(/^Shared files changed: 2 files shared now$/, mark);
    // A's own search goes after its announce on the same connection: the tracker has it now.
    assert.match((await run(a, "find lista", FOUND)).at(-1)!, /^1 file matches/);

    const found = await run(b, "find lista", FOUND);
    assert.ok(found.some((l) => /│ 1 │ aula\/3\/lista\.txt │ 9 B +│/.test(l)), found.join("\n"));
    const got = await run(b, "get aula/3/lista.txt", SAVED);
    assert.match(got.at(-1)!, /^Saved 'aula\/3\/lista\.txt' \(9 B\)/);
    assert.equal(await Deno.readTextFile(join(homeB.dir, "aula", "3", "lista.txt")), "exercises");
  },
);

sceneTest(
  SOURCE,
  "watch: a deleted file is no longer 'already here' and leaves find",
  async (s) => {
    const t = await s.tracker();
    const homeA = await s.home({ "doc.txt": "the document" });
    const a = await s.peer(t.port, homeA);
    const homeB = await s.home({ "doc.txt": "the document", "solo.txt": "only at B" });
    const { node: b, log } = await watchingPeer(s, t.port, homeB);

    const [doc] = await b.tracker.find("doc.txt");
    assert.equal(doc.peers.length, 2);
    const before = await fetchEvents(b, "doc.txt", doc.root);
    assert.deepEqual(before.map((e) => e.kind), ["skipped"]);
    assert.match((await run(a, "find solo", FOUND)).at(-1)!, /^1 file matches/);

    const changed = log.next(/^Shared files changed: 0 files shared now$/);
    await Deno.remove(join(homeB.dir, "doc.txt"));
    await Deno.remove(join(homeB.dir, "solo.txt"));
    await changed;
    assert.deepEqual(await b.tracker.find("solo"), []); // After B's announce, on its connection.

    assert.match((await run(a, "find solo", FOUND)).at(-1)!, /^0 files match/);
    const rows = await run(a, "find doc", FOUND);
    assert.ok(
      rows.some((l) => /│ 1 │ doc\.txt │ 12 B +│ [0-9a-f]{12} │ 1 +│/.test(l)),
      rows.join("\n"),
    );
    const after = await fetchEvents(b, "doc.txt", doc.root);
    assert.deepEqual(after.map((e) => e.kind).filter((k) => k !== "transfer"), [
      "started",
      "saved",
    ]);
    assert.equal(await Deno.readTextFile(join(homeB.dir, "doc.txt")), "the document");
  },
);

sceneTest(
  SOURCE,
  "watch: a file deleted a moment ago is not 'already here' even before the share is looked at",
  async (s) => {
    const t = await s.tracker();
    await s.peer(t.port, await s.home({ "doc.txt": "the document" }));
    const homeB = await s.home({ "doc.txt": "the document" });
    // Neither the watcher (its quiet time is an hour) nor the periodic look runs in this test.
    const { node: b } = await watchingPeer(s, t.port, homeB, {
      ...NO_RESCAN,
      watchDebounceMs: 3_600_000,
    });
    const [doc] = await b.tracker.find("doc.txt");
    assert.deepEqual((await fetchEvents(b, "doc.txt", doc.root)).map((e) => e.kind), ["skipped"]);

    await Deno.remove(join(homeB.dir, "doc.txt"));
    const events = await fetchEvents(b, "doc.txt", doc.root);
    assert.deepEqual(events.map((e) => e.kind).filter((k) => k !== "transfer"), [
      "started",
      "saved",
    ]);
    const saved = events.find((e) => e.kind === "saved");
    assert.equal(saved?.kind === "saved" && saved.name, "doc.txt"); // Its own name, not 'doc (1).txt'.
    assert.equal(await Deno.readTextFile(join(homeB.dir, "doc.txt")), "the document");
  },
);

/** A share index over a temporary folder with `files`, no manifest, refreshed once. */
async function folderIndex(
  files: Record<string, string>,
): Promise<{ root: string; dir: string; index: ShareIndex }> {
  const root = await Deno.makeTempDir({ prefix: "rede-p2p-watch-" });
  const dir = join(root, "share");
  await Deno.mkdir(dir);
  for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(join(dir, name), text);
  const index = new ShareIndex(dir, join(root, "meus_arquivos.txt"));
  await index.refresh();
  return { root, dir, index };
}

Deno.test("watch: the shared folder removed and made again is watched again after the next look", async () => {
  const { root, dir, index } = await folderIndex({ "a.txt": "a" });
  const changes: string[][] = [];
  let wake = () => {};
  const changed = () => guard(new Promise<void>((r) => (wake = r)), "a change");
  const watch = new ShareWatch(index, {
    rescanMs: 3_600_000,
    debounceMs: 50,
    onChange: () => {
      changes.push(index.list().map((f) => f.name));
      wake();
    },
  });
  try {
    await watch.ready;
    let next = changed();
    await Deno.remove(dir, { recursive: true });
    await next;
    assert.deepEqual(changes.at(-1), []);

    await Deno.mkdir(dir);
    await Deno.writeTextFile(join(dir, "b.txt"), "b");
    next = changed();
    await watch.rescan(); // The periodic look, here at once: it finds b.txt and watches again.
    await next;
    assert.deepEqual(changes.at(-1), ["b.txt"]);

    next = changed();
    await Deno.writeTextFile(join(dir, "c.txt"), "c");
    await next;
    assert.deepEqual(changes.at(-1), ["b.txt", "c.txt"]);
  } finally {
    await watch.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("watch: the manifest is watched, edited or replaced, and so are files it lists outside the share", async () => {
  const { root, dir } = await folderIndex({ "a.txt": "a", "b.txt": "b" });
  await Deno.mkdir(join(root, "elsewhere"));
  const manifest = join(root, "meus_arquivos.txt");
  await Deno.writeTextFile(manifest, "a.txt share/a.txt\nfora.txt elsewhere/fora.txt\n");
  const index = new ShareIndex(dir, manifest);
  await index.refresh();
  assert.deepEqual(index.list().map((f) => f.name), ["a.txt"]);
  let wake = () => {};
  const changed = () => guard(new Promise<void>((r) => (wake = r)), "a change");
  const watch = new ShareWatch(index, {
    rescanMs: 3_600_000,
    debounceMs: 50,
    onChange: () => wake(),
  });
  const names = () => index.list().map((f) => f.name);
  try {
    await watch.ready;
    let next = changed();
    await Deno.writeTextFile(manifest, "b.txt share/b.txt\n", { append: true });
    await next;
    assert.deepEqual(names(), ["a.txt", "b.txt"]);

    next = changed(); // Saved the way editors do: a new file renamed over the old one.
    await Deno.writeTextFile(
      join(root, "meus_arquivos.txt.tmp"),
      "b.txt share/b.txt\nfora.txt elsewhere/fora.txt\n",
    );
    await Deno.rename(join(root, "meus_arquivos.txt.tmp"), manifest);
    await next;
    assert.deepEqual(names(), ["b.txt"]);

    next = changed(); // Listed, missing at first, outside the shared folder.
    await Deno.writeTextFile(join(root, "elsewhere", "fora.txt"), "out");
    await next;
    assert.deepEqual(names(), ["b.txt", "fora.txt"]);
  } finally {
    await watch.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("watch: bursts make few looks, never two at once; a closed watch makes none", async () => {
  const { root, dir, index } = await folderIndex({});
  let running = 0;
  let most = 0;
  let looks = 0;
  const refresh = index.refresh.bind(index);
  index.refresh = async (signal) => {
    looks++;
    most = Math.max(most, ++running);
    try {
      return await refresh(signal);
    } finally {
      running--;
    }
  };
  let wake = () => {};
  const changed = new Promise<void>((r) => (wake = r));
  const watch = new ShareWatch(index, {
    rescanMs: 3_600_000,
    debounceMs: 200,
    onChange: () => wake(),
  });
  try {
    await watch.ready;
    for (let i = 0; i < 50; i++) await Deno.writeTextFile(join(dir, `f${i}.txt`), `${i}`);
    await Promise.all([watch.rescan(), watch.rescan(), watch.rescan()]);
    await guard(changed, "the burst's change");
    assert.equal(index.count, 50);
    assert.equal(most, 1, "two looks ran at once");
    assert.ok(looks <= 10, `${looks} looks for one burst of 50 files`);
  } finally {
    await watch.close();
  }
  const after = looks;
  await Deno.writeTextFile(join(dir, "late.txt"), "after close");
  await watch.rescan();
  assert.equal(looks, after, "a closed watch looked again");
  await Deno.remove(root, { recursive: true });
});
