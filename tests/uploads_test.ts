/**
 * Who downloads from you (issue 10, fault 7): the line told when a peer starts fetching a file,
 * once however many chunks and connections it takes, and never with `--quiet`; the `uploads`
 * table; `quit`'s question, asked only at a terminal while uploads run. Real `serve` and `join`
 * processes on 127.0.0.1; the terminal is a real pseudo-terminal (`script`). No sleeps: every
 * wait is on a printed line.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CATALOGUES, LANGS, type MessageKey, pattern, type Plural } from "../core/i18n.ts";
import { HAVE_SCRIPT, ptyProc } from "../testing/tty.ts";
import {
  joinArgs,
  langEnv,
  type Proc,
  run,
  Scene,
  sceneTest,
  SOURCE,
  writeRandomFile,
} from "../testing/harness.ts";
import { Uploads } from "../net/uploads.ts";
import { peerLabel } from "../app/uploads.ts";
import { quitQuestion } from "../commands/quit.ts";
import { isYes } from "../commands/_push_view.ts";
import { duration, uploadStartedLine } from "../commands/uploads.ts";

const MIB = 1024 * 1024;
const SUMMARY = /^(\d+) uploads? to (\d+) peers?$|^No uploads now/;
const STARTED = /started fetching/;

/** A seeder `ana` sharing `big.bin` of `size` bytes, with `extra` join options. */
async function seeder(s: Scene, trackerPort: number, size: number, extra: string[]) {
  const home = await s.home();
  await writeRandomFile(join(home.dir, "big.bin"), size, 7);
  await Deno.writeTextFile(home.manifest, "big.bin share/big.bin\n");
  return await s.peer(trackerPort, home, ["--name", "ana", ...extra]);
}

/** The row of the `uploads` table that names `peer`, if any. */
function rowOf(lines: string[], peer: string): string | undefined {
  return lines.find((l) => new RegExp(`^│ ${peer} +│`).test(l));
}

/** Runs `uploads` at `p` until a row names `peer` (each round waits on the table printed). */
async function untilListed(p: Proc, peer: string): Promise<string[]> {
  for (let i = 0; i < 2000; i++) {
    const out = await run(p, "uploads", SUMMARY);
    if (rowOf(out, peer)) return out;
  }
  throw new Error(`'uploads' never listed ${peer}:\n${p.lines.join("\n")}`);
}

sceneTest(
  SOURCE,
  "uploads: a download is told once at the seeder and listed by 'uploads'",
  async (s) => {
    const t = await s.tracker();
    const ana = await seeder(s, t.port, 3 * MIB, ["--max-upload-rate", "1MiB"]);
    const bruno = await s.peer(t.port, await s.home(), ["--name", "bruno"]);

    const mark = ana.mark();
    const got = bruno.mark();
    await bruno.send(`get 127.0.0.1:${ana.port} big.bin`);
    await ana.waitFor(/^bruno started fetching 'big\.bin' \(3 MiB\) from you$/, mark);
    const table = await run(ana, "uploads", SUMMARY);
    const row = rowOf(table, "bruno");
    assert.ok(row, table.join("\n"));
    assert.match(
      row,
      new RegExp(
        `│ 127\\.0\\.0\\.1:${bruno.port} +│ big\\.bin +│ [\\d.]+ (?:B|KiB|MiB) of 3 MiB +│`,
      ),
    );
    assert.match(row, /│ [\d.]+ (?:B|KiB|MiB)\/s +│ \d\d:\d\d:\d\d \(\d+s\) +│$/);
    assert.match(table.at(-1)!, /^1 upload to 1 peer$/);

    await bruno.waitFor(/^Saved 'big\.bin'/, got, 30_000);
    // Three chunks, on more than one connection: still one line. `uploads` answers after every
    // start line due, so the count below is final.
    await run(ana, "uploads", SUMMARY);
    assert.equal(ana.since(mark).filter((l) => STARTED.test(l)).length, 1, ana.lines.join("\n"));
  },
);

sceneTest(
  SOURCE,
  "uploads: --quiet tells nothing; piped 'quit' leaves at once while uploads run",
  async (s) => {
    const t = await s.tracker();
    const ana = await seeder(s, t.port, 4 * MIB, ["--quiet", "--max-upload-rate", "200KiB"]);
    const bruno = await s.peer(t.port, await s.home(), ["--name", "bruno"]);

    const mark = ana.mark();
    await bruno.send(`get 127.0.0.1:${ana.port} big.bin`);
    const table = await untilListed(ana, "bruno");
    assert.match(rowOf(table, "bruno")!, /│ big\.bin +│/);
    assert.ok(!ana.since(mark).some((l) => STARTED.test(l)), ana.lines.join("\n"));

    // A script's `quit` is never asked about, uploads or not.
    await ana.send("quit");
    await ana.waitFor(/^Left the tracker\. Bye\.$/, mark);
    const { code } = await ana.done;
    assert.equal(code, 0);
    assert.ok(!ana.since(mark).some((l) => /quit anyway/.test(l)), ana.lines.join("\n"));
  },
);

for (const lang of LANGS) {
  const [quit, yes] = lang === "pt" ? ["sair", "sim"] : ["quit", "y"];
  Deno.test({
    name:
      `uploads [${lang}]: at a terminal, '${quit}' asks while uploads run; 'n' stays, '${yes}' leaves`,
    ignore: !HAVE_SCRIPT,
    fn: async () => {
      const scene = new Scene(SOURCE, lang);
      const line = (key: MessageKey, params?: Record<string, string | number>) =>
        pattern(key, lang, { params });
      try {
        const t = await scene.tracker();
        const anaHome = await scene.home();
        await writeRandomFile(join(anaHome.dir, "big.bin"), 4 * MIB, 7);
        await Deno.writeTextFile(anaHome.manifest, "big.bin share/big.bin\n");
        const args = joinArgs(t.port, anaHome, ["--name", "ana", "--max-upload-rate", "200KiB"]);
        const ana = scene.track(ptyProc(SOURCE, args, { cwd: anaHome.home, env: langEnv(lang) }));
        await ana.waitFor(line("net.registered", { name: "ana" }));
        await ana.waitFor(line("join.typeHelp"));
        const bruno = await scene.peer(t.port, await scene.home(), ["--name", "bruno"]);

        const mark = ana.mark();
        await bruno.send("get --from ana big.bin");
        const started = { peer: "bruno", file: "big.bin", size: "4 MiB" };
        await ana.waitFor(line("uploads.startedSize", started), mark);
        await ana.send(quit);
        await ana.waitFor(line("quit.question", { count: 1, to: "bruno" }), mark);
        await ana.send("n");
        await ana.waitFor(line("quit.notLeaving"), mark);
        const still = ana.mark();
        await ana.send("uploads");
        const peers = (CATALOGUES[lang]["uploads.peerCount"] as Plural).one!.replace(
          "{count}",
          "1",
        );
        await ana.waitFor(line("uploads.summary", { count: 1, peers }), still);
        const head = (["table.peer", "table.address", "table.file", "table.sent"] as const)
          .map((key) => `${CATALOGUES[lang][key]}\\s+│ `).join("");
        assert.ok(
          ana.since(still).some((l) => new RegExp(`│ ${head}`).test(l)),
          ana.lines.join("\n"),
        );
        await ana.send(quit);
        await ana.waitFor(line("quit.question"), still);
        await ana.send(yes);
        await ana.waitFor(line("join.bye"), still);
        assert.equal((await ana.done).code, 0);
        // The answers were taken as answers, never run as verbs.
        const unknown = line("shell.unknownVerb");
        assert.ok(!ana.since(mark).some((l) => unknown.test(l)), ana.lines.join("\n"));
      } finally {
        await scene.close();
      }
    },
  });
}

Deno.test("uploads: quit asks only at a terminal, without --force, while uploads run", () => {
  const two = [{ peer: "carla" }, { peer: "bruno" }, { peer: "carla" }];
  assert.equal(
    quitQuestion(true, false, two),
    "3 uploads running (to carla, bruno); quit anyway? [y/N]",
  );
  assert.equal(quitQuestion(false, false, two), undefined); // Piped input: scripts go on.
  assert.equal(quitQuestion(true, true, two), undefined); // --force
  assert.equal(quitQuestion(true, false, []), undefined); // Nothing to break.
  const five = ["a", "b", "c", "d", "e"].map((peer) => ({ peer }));
  assert.equal(
    quitQuestion(true, false, five),
    "5 uploads running (to a, b, c and 2 more); quit anyway? [y/N]",
  );
  for (const yes of ["y", "yes", "Y", " sim ", "s"]) assert.ok(isYes(yes), yes);
  for (const no of ["", "n", "no", "quit", "yess"]) assert.ok(!isYes(no), no);
  assert.ok(!isYes(null)); // Ctrl-C takes the question back: stay.
});

Deno.test("uploads: one upload per peer and file, whatever its requests; ends when idle", () => {
  const up = new Uploads(0);
  const starts: string[] = [];
  up.onStart((u) => starts.push(`${u.peer.id} ${u.root}`));
  const bruno = { id: "B", host: "127.0.0.1" };
  // Several requests at once (several connections), each served and sending.
  const tickets = [up.begin(bruno, "r1"), up.begin(bruno, "r1"), up.begin(bruno, "r2")];
  assert.deepEqual(up.list(), []); // Waiting for a slot does not start an upload.
  for (const t of tickets) {
    t.served();
    t.sent(1000);
  }
  assert.deepEqual(starts, ["B r1", "B r2"]);
  const list = up.list();
  assert.deepEqual(list.map((u) => [u.root, u.sent]), [["r1", 2000], ["r2", 1000]]);
  assert.ok(list.every((u) => u.rate > 0));
  // A request under way keeps it going; once all end, idle 0 ms, it is gone.
  tickets[0].end();
  tickets[2].end();
  assert.deepEqual(up.list().map((u) => u.root), ["r1"]);
  tickets[1].end();
  tickets[1].end(); // Twice is once.
  assert.deepEqual(up.list(), []);
  // A new request after the end starts a new upload, told again.
  const again = up.begin(bruno, "r1");
  again.served();
  assert.equal(starts.length, 3);
  again.end();
});

Deno.test("uploads: the registry is bounded; the idlest upload makes room", () => {
  const up = new Uploads(60_000);
  for (let i = 0; i < 300; i++) {
    const t = up.begin({ id: `P${i}`, host: "10.0.0.1" }, "r");
    t.served();
    t.end();
  }
  const list = up.list();
  assert.equal(list.length, 256);
  assert.equal(list[0].peer.id, "P44"); // The first 44 made room.
});

Deno.test("uploads: how a downloader is called, and the start line", () => {
  assert.equal(peerLabel({ name: "carla" }, "10.0.0.7"), "carla");
  assert.equal(peerLabel(undefined, "10.0.0.7"), "10.0.0.7");
  assert.equal(peerLabel({ name: "" }, "10.0.0.7"), "10.0.0.7");
  assert.equal(peerLabel({ name: "evil\x1b[2J" }, "10.0.0.7"), "evil\\x1b[2J");
  assert.equal(
    uploadStartedLine({
      peer: "carla",
      address: "10.0.0.7:4000",
      file: "aula 3.pdf",
      size: 12 * MIB,
      sent: 0,
      rate: 0,
      since: 0,
    }),
    "carla started fetching 'aula 3.pdf' (12 MiB) from you",
  );
  assert.equal(duration(45_000), "45s");
  assert.equal(duration(185_000), "3m 05s");
  assert.equal(duration(2 * 3600_000 + 7 * 60_000), "2h 07m");
});
