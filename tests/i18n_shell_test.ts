/**
 * The shell's browsing and download verbs in Brazilian Portuguese (issue 10): `peers`, `ls`,
 * `find`, `get`, `downloads`, `uploads` and `quit` print their tables, summaries, results and
 * questions from the catalogue, sizes and times with a decimal comma; the English reads as before.
 * Real `serve` and `join` processes on 127.0.0.1 whose environment says Portuguese (the quit
 * question on a pseudo-terminal, in each language, is `uploads_test.ts`'s). No sleeps: every wait
 * is on a printed line.
 */
import assert from "node:assert/strict";
import { formatBytes, pattern, setLang } from "../core/i18n.ts";
import { progressRow, type RowState } from "../commands/_progress.ts";
import { quitQuestion } from "../commands/quit.ts";
import { contributions, run, sceneTest, SOURCE } from "../testing/harness.ts";

const MIB = 1024 * 1024;
const ERROR = /^(erro|error): /;

/** A download half done: 1.5 of 3 MiB, at 512 KiB/s, from two sources. */
const HALF: RowState = {
  name: "aula.mp4",
  total: 3 * MIB,
  done: 1.5 * MIB,
  rate: 512 * 1024,
  sources: 2,
};

/** Runs `fn` with the texts in Portuguese, English again afterwards whatever happens. */
function inPortuguese(fn: () => void): void {
  setLang("pt");
  try {
    fn();
  } finally {
    setLang("en");
  }
}

Deno.test("i18n shell: quit's question and the progress rows in Portuguese, in English as before", () => {
  const three = [{ peer: "carla" }, { peer: "bruno" }, { peer: "carla" }];
  const five = ["a", "b", "c", "d", "e"].map((peer) => ({ peer }));
  inPortuguese(() => {
    assert.equal(
      quitQuestion(true, false, three),
      "3 uploads em andamento (para carla, bruno); sair mesmo assim? [s/N]",
    );
    assert.equal(
      quitQuestion(true, false, [{ peer: "carla" }]),
      "1 upload em andamento (para carla); sair mesmo assim? [s/N]",
    );
    assert.equal(
      quitQuestion(true, false, five),
      "5 uploads em andamento (para a, b, c e mais 2); sair mesmo assim? [s/N]",
    );
    assert.match(
      progressRow(HALF, 120),
      /50% \| 1,5 MiB\/3 MiB \| 512 KiB\/s \| falta 3s \| 2 fontes$/,
    );
    assert.match(
      progressRow({ ...HALF, sources: 1 }, 48),
      / 1,5\/3 MiB 512 KiB\/s falta 3s 1 fonte$/,
    );
    assert.match(
      progressRow({ ...HALF, phase: "checking" }, 120),
      /50% \| conferindo 1,5 MiB\/3 MiB$/,
    );
  });
  // English, as it read before the catalogues (and plurals where it said "(s)").
  assert.equal(
    quitQuestion(true, false, three),
    "3 uploads running (to carla, bruno); quit anyway? [y/N]",
  );
  assert.match(progressRow(HALF, 120), /50% \| 1\.5 MiB\/3 MiB \| 512 KiB\/s \| ETA 3s \| 2 src$/);
  assert.match(
    progressRow({ ...HALF, phase: "checking" }, 120),
    /50% \| checking 1\.5 MiB\/3 MiB$/,
  );
});

Deno.test("i18n shell: contributions() reads the sources line of either language", () => {
  const pt = [
    "Salvo 'f.bin' (1,5 MiB) de 2 fontes em 0,4 s (3,75 MiB/s); raiz 0123456789ab conferida",
    "  fontes: ana (127.0.0.1:4000) 1,5 MiB, 127.0.0.1:4001 1.023 B",
  ];
  assert.deepEqual(
    contributions(pt, "pt"),
    new Map([["127.0.0.1:4000", 1.5 * MIB], ["127.0.0.1:4001", 1023]]),
  );
  assert.deepEqual(
    contributions(["  sources: ana (127.0.0.1:4000) 1.5 MiB, 127.0.0.1:4001 1023 B"]),
    new Map([["127.0.0.1:4000", 1.5 * MIB], ["127.0.0.1:4001", 1023]]),
  );
});

sceneTest(
  SOURCE,
  "i18n shell: peers, ls, find, get, downloads and uploads speak Portuguese",
  async (s) => {
    const t = await s.tracker();
    const big = "x".repeat(1536);
    const ana = await s.peer(t.port, await s.home({ "a.txt": big, "notas.txt": "olá" }), [
      "--name",
      "ana",
    ]);
    const bruno = await s.peer(t.port, await s.home(), ["--name", "bruno", "--verbose"]);

    const peers = await run(bruno, "peers", pattern("peers.summary", "pt"));
    assert.ok(
      peers.some((l) => /│ #\s+│ IP\s+│ Porta\s+│ Nome\s+│ Arquivos\s+│ ID/.test(l)),
      peers.join("\n"),
    );
    assert.equal(peers.at(-1), "2 pares conectados; * marca você");

    const ls = await run(
      bruno,
      "ls ana",
      new RegExp(`${pattern("ls.summary", "pt").source}|${ERROR.source}`),
    );
    assert.ok(ls.some((l) => /│ Nome\s+│ Tamanho\s+│ Raiz/.test(l)), ls.join("\n"));
    assert.ok(ls.some((l) => /│ a\.txt\s+│ 1,5 KiB\s+│/.test(l)), ls.join("\n"));
    assert.equal(
      ls.at(-1),
      `2 arquivos, ${formatBytes(1540, "pt")} em ana (127.0.0.1:${ana.port})`,
    );

    const found = await run(bruno, "find a.txt", pattern("find.summary", "pt"));
    assert.ok(
      found.some((l) => /│ #\s+│ Nome\s+│ Tamanho\s+│ Raiz\s+│ Pares/.test(l)),
      found.join("\n"),
    );
    assert.equal(found.at(-1), "1 arquivo com 'a.txt' no nome; 'get #N' o baixa");

    // Verbose: the line of the bytes each source sent follows the Saved line.
    const got = await run(bruno, "get #1", new RegExp(`^  fontes: |${ERROR.source}`));
    const saved = got.find((l) => pattern("fetch.saved", "pt").test(l)) ?? got.join("\n");
    assert.match(
      saved,
      /^Salvo 'a\.txt' \(1,5 KiB\) de ana \(127\.0\.0\.1:\d+\) em \d+,\d s \(\S+ \S+\/s\); raiz [0-9a-f]{12} conferida$/,
    );
    assert.deepEqual(contributions(got, "pt"), new Map([[`127.0.0.1:${ana.port}`, 1536]]));

    const downloads = await run(bruno, "downloads", pattern("downloads.summary", "pt"));
    assert.ok(
      downloads.some((l) => /│ Situação\s+│ Progresso\s+│ Taxa\s+│ Fontes/.test(l)),
      downloads.join("\n"),
    );
    assert.ok(
      downloads.some((l) => /│ a\.txt\s+│ concluído\s+│ 100% 1,5 KiB/.test(l)),
      downloads.join("\n"),
    );
    assert.equal(downloads.at(-1), "1 download: 0 em andamento, 0 na fila");

    const uploads = await run(bruno, "uploads", pattern("uploads.none", "pt"));
    assert.equal(uploads.at(-1), "Nenhum upload agora: ninguém está baixando de você.");

    // (With --verbose, an error's stack follows its line.)
    const errorOf = (out: string[]) => out.find((l) => ERROR.test(l)) ?? out.join("\n");
    const noRow = await run(bruno, "get #5", ERROR);
    assert.match(errorOf(noRow), /^erro: Não há linha #5: o último 'find' listou 1/);
    const none = await run(bruno, "get nada.txt", ERROR);
    assert.match(errorOf(none), /^erro: Nenhum arquivo ou pasta chamado 'nada\.txt' na rede$/);
  },
  "pt",
);
