/**
 * Push, collect and hand-in in Brazilian Portuguese (issue 10): real `serve` and `join`
 * processes whose environment asks for Portuguese, an offer asked and answered at a prompt, a
 * drop box that takes a hand-in and prints its receipt line; and, in process, that the English
 * lines read as they did.
 */
import assert from "node:assert/strict";
import { pattern, setLang } from "../core/i18n.ts";
import { isYes, offerText, pushEventLine, summary } from "../commands/_push_view.ts";
import type { IncomingOffer } from "../app/push_receiver.ts";
import type { Offer, Target } from "../app/push.ts";
import { run, sceneTest, SOURCE } from "../testing/harness.ts";

const ROOT = "a".repeat(64);

sceneTest(
  SOURCE,
  "i18n push: an offer asked and accepted in Portuguese, sim for yes",
  async (s) => {
    const t = await s.tracker();
    const anaHome = await s.home({ "notas.txt": "apenas uma" });
    const ana = await s.peer(t.port, anaHome, ["--name", "ana"]);
    const dani = await s.peer(t.port, await s.home(), ["--name", "dani"]);

    const mark = ana.mark();
    const daniMark = dani.mark();
    await ana.send("push notas.txt dani");
    await dani.waitFor(/^ana oferece 'notas\.txt' \(10 B\)\. Aceitar\? \[s\/N\]$/, daniMark);
    await dani.send("sim");
    await dani.waitFor(/^Oferta aceita: baixando 'notas\.txt' \(10 B\) de ana$/, daniMark);
    await dani.waitFor(pattern("push.received", "pt", { line: true }), daniMark, 30_000);
    assert.ok(
      dani.since(daniMark).some((l) =>
        /^ana enviou 'notas\.txt' \(10 B\): tudo recebido e conferido em \d+,\d s$/.test(l)
      ),
      dani.since(daniMark).join("\n"),
    );
    await ana.waitFor(pattern("push.summary", "pt", { line: true }), mark, 30_000);
    const out = ana.since(mark);
    assert.equal(
      out.at(-1),
      "Você enviou 'notas.txt' (10 B) para 1 par: 1 com o conteúdo intacto, 0 com recusa, 0 com falha",
    );
    assert.ok(out.some((l) => /^│ Par +│ Endereço +│ Estado +│ Taxa +│$/.test(l)), out.join("\n"));
    assert.ok(out.some((l) => /^│ dani +│ \S+ +│ concluído +│/.test(l)), out.join("\n"));

    // Declined in Portuguese: any other answer says no, and both sides say so.
    const again = ana.mark();
    const daniAgain = dani.mark();
    await ana.send("push notas.txt dani");
    await dani.waitFor(pattern("push.ask", "pt", { line: true }), daniAgain);
    await dani.send("não");
    await dani.waitFor(/^Oferta de 'notas\.txt' feita por ana recusada$/, daniAgain);
    await ana.waitFor(/^Recusaram: dani \(127\.0\.0\.1:\d+\)$/, again, 30_000);
    await ana.waitFor(/: 0 com o conteúdo intacto, 1 com recusa, 0 com falha$/, again, 30_000);

    // An error of push, in Portuguese.
    const err = await run(ana, "push nada.txt", /^erro: /);
    assert.equal(err.at(-1), "erro: Este par não compartilha arquivo ou pasta chamado 'nada.txt'");
  },
  "pt",
);

sceneTest(
  SOURCE,
  "i18n push: a drop box and a hand-in in Portuguese, with the receipt line",
  async (s) => {
    const t = await s.tracker();
    const profHome = await s.home({});
    const prof = await s.peer(t.port, profHome, ["--name", "prof"]);
    const ana = await s.peer(t.port, await s.home({ "trabalho.txt": "meu trabalho\n" }), [
      "--name",
      "ana",
    ]);
    const at = `127.0.0.1:${prof.port}`;

    let out = await run(prof, "collect prova1", /^(Caixa 'prova1' aberta|erro: )/);
    assert.match(
      out.at(-1)!,
      /^Caixa 'prova1' aberta em 127\.0\.0\.1:\d+: as entregas vão para .*prova1\/<remetente>\/ e não são compartilhadas; 'collect prova1' as mostra, 'collect --close prova1' fecha a caixa$/,
    );
    out = await run(
      ana,
      `hand-in ${at} prova1 trabalho.txt`,
      /entregues? na caixa|^erro: /,
      30_000,
    );
    assert.match(
      out.join("\n"),
      /^'trabalho\.txt' entregue \(13 B, raiz [0-9a-f]{12}\) na caixa 'prova1' de \S+; recibo \S+\.json$/m,
    );
    assert.match(
      out.at(-1)!,
      /^1 de 1 arquivo entregue na caixa 'prova1' em prof \(127\.0\.0\.1:\d+\)$/,
    );

    out = await run(prof, "collect prova1", pattern("collect.summary", "pt"));
    const shown = out.join("\n");
    assert.match(shown, /│ Remetente +│ Arquivo +│ Tamanho +│ Raiz +│ Hora \(UTC\) +│/);
    // The time as Brazilians write it: day first.
    assert.match(
      shown,
      /│ ana +│ trabalho\.txt +│ 13 B +│ [0-9a-f]{12} +│ \d\d\/\d\d\/\d{4}, \d\d:\d\d:\d\d/,
    );
    assert.match(shown, /^Todos os pares presentes já entregaram algo$/m);
    assert.equal(out.at(-1), "Caixa 'prova1' (aberta): 1 arquivo de 1 remetente");

    out = await run(prof, "collect --close prova1", /^Caixa 'prova1' fechada/);
    assert.equal(
      out.at(-1),
      "Caixa 'prova1' fechada: chegou 1 arquivo de 1 remetente; 'collect prova1' a abre de novo",
    );
    // The refusal the collector sends is in its language, under the sender's "erro:".
    out = await run(ana, `hand-in ${at} prova1 trabalho.txt`, /^erro: /, 30_000);
    assert.equal(out.at(-1), "erro: A caixa 'prova1' está fechada");
  },
  "pt",
);

/** An offer of a file and one of a folder, and targets of each end. */
function offers(): { file: IncomingOffer; folder: Offer; targets: Target[] } {
  const from = { name: "ana", address: { host: "127.0.0.1", port: 4000 } };
  const file = { from, name: "prova.pdf", files: [], size: 3 * 1024 * 1024, folder: false };
  const f = (name: string) => ({ name, size: 1500, root: ROOT });
  const folder = { name: "fotos", files: [f("fotos/a"), f("fotos/b")], size: 3000, folder: true };
  const target = (name: string, port: number, state: Target["state"], note?: string): Target => ({
    name,
    address: { host: "127.0.0.1", port },
    state,
    received: 0,
    rate: 0,
    note,
  });
  return {
    file,
    folder,
    targets: [
      target("bruno", 4001, "done"),
      target("carla", 4002, "declined"),
      target("dani", 4003, "declined", "No answer in time"),
      target("eva", 4004, "failed"),
    ],
  };
}

Deno.test("i18n push: the lines of push, in English as before and in Portuguese", () => {
  const { file, folder, targets } = offers();
  try {
    setLang("en");
    assert.equal(offerText(folder), "the folder 'fotos' (2 files, 2.93 KiB)");
    assert.equal(
      pushEventLine({ kind: "accepted", offer: file, auto: false }),
      "Accepted; downloading 'prova.pdf' (3 MiB) from ana",
    );
    assert.equal(
      pushEventLine({ kind: "received", offer: file, ms: 1234, already: false }),
      "Received 'prova.pdf' (3 MiB) pushed by ana in 1.2 s; verified",
    );
    assert.equal(
      pushEventLine({ kind: "declined", offer: file, why: "timeout" }),
      "No answer to ana's offer of 'prova.pdf' in time: declined",
    );
    assert.deepEqual(summary(folder, targets), [
      "Declined: carla (127.0.0.1:4002) and dani (127.0.0.1:4003) (No answer in time)",
      "Failed: eva (127.0.0.1:4004): no reason given",
      "Pushed the folder 'fotos' (2 files, 2.93 KiB) to 4 peers: 1 got it intact, 2 declined, 1 failed",
    ]);

    setLang("pt");
    assert.equal(offerText(folder), "a pasta 'fotos' (2 arquivos, 2,93 KiB)");
    assert.equal(
      pushEventLine({ kind: "accepted", offer: file, auto: true }),
      "Oferta de ana aceita (--accept-push): baixando 'prova.pdf' (3 MiB)",
    );
    assert.equal(
      pushEventLine({ kind: "withdrawn", offer: file }),
      "ana retirou a oferta de 'prova.pdf'",
    );
    assert.equal(
      pushEventLine({ kind: "declined", offer: file, why: "policy" }),
      "Oferta de 'prova.pdf' feita por ana recusada: sem shell, envios só são aceitos com --accept-push",
    );
    assert.deepEqual(summary(folder, targets), [
      "Recusaram: carla (127.0.0.1:4002) e dani (127.0.0.1:4003) (No answer in time)",
      "Falhou: eva (127.0.0.1:4004): nenhum motivo informado",
      "Você enviou a pasta 'fotos' (2 arquivos, 2,93 KiB) para 4 pares: 1 com o conteúdo intacto, 2 com recusa, 1 com falha",
    ]);
    // A yes in either language, whatever the language shown.
    for (const yes of ["y", "yes", "s", "sim", " SIM "]) assert.ok(isYes(yes), yes);
    for (const no of ["n", "não", "nao", "", null]) assert.ok(!isYes(no), String(no));
  } finally {
    setLang("en");
  }
});
