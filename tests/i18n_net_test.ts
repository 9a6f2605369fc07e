/**
 * Joining and the connections in both languages (issue 10): a peer started in Portuguese says
 * its start lines, its registration and its goodbye in Portuguese; a wrong join code and an
 * unreachable tracker are one Portuguese line; an `error` sent over the wire carries the
 * sender's language, and an internal one still hides its details. The English reads as before.
 */
import assert from "node:assert/strict";
import { RedeError } from "../core/errors.ts";
import { pattern, setLang, t } from "../core/i18n.ts";
import { toWire, wireError } from "../net/channel.ts";
import { joinArgs, langEnv, Proc, run, type Scene, sceneTest, SOURCE } from "../testing/harness.ts";
import { closedPort } from "../testing/ports.ts";

/** A peer's lines before its first registration, and its registration line. */
async function startLines(s: Scene, extra: string[] = []) {
  const tracker = await s.tracker();
  const home = await s.home({ "a.txt": "alpha\n" });
  const peer = await s.peer(tracker.port, home, ["--name", "ana", ...extra]);
  return { tracker, home, peer };
}

sceneTest(
  SOURCE,
  "i18n net: a Portuguese peer starts, registers and leaves in Portuguese",
  async (s) => {
    const { home, peer } = await startLines(s);
    // startPeer waited on the Portuguese registration line (pattern("net.registered", "pt")).
    const all = peer.lines.join("\n");
    assert.ok(
      peer.lines.includes(`Compartilhando 1 arquivo listado em ${home.manifest}`),
      all,
    );
    assert.ok(
      peer.lines.includes(`Servindo os pares em 127.0.0.1:${peer.port} como "ana"`),
      all,
    );
    assert.ok(
      peer.lines.some((l) =>
        new RegExp(
          `^Registrado no rastreador 127\\.0\\.0\\.1:\\d+ como 127\\.0\\.0\\.1:${peer.port}, com o nome "ana"$`,
        ).test(l)
      ),
      all,
    );
    assert.ok(!peer.lines.some((l) => /Registered|Sharing|Serving/.test(l)), all);
    await peer.send("sair");
    assert.equal((await peer.done).code, 0);
    assert.equal(peer.lines.filter((l) => l !== "").at(-1), "Você saiu do rastreador. Até logo.");
  },
  "pt",
);

sceneTest(
  SOURCE,
  "i18n net: a Portuguese peer sharing a folder without a manifest counts its files in Portuguese",
  async (s) => {
    const tracker = await s.tracker();
    const home = await s.home({});
    await Deno.writeTextFile(`${home.dir}/a.txt`, "a\n");
    await Deno.writeTextFile(`${home.dir}/b.txt`, "b\n");
    await Deno.remove(home.manifest);
    const peer = await s.peer(tracker.port, home, ["--no-shell"]);
    await peer.waitFor(pattern("join.untilSignal", "pt", { line: true }));
    assert.ok(
      peer.lines.includes(
        `Nenhum manifesto em ${home.manifest}: compartilhando todos os arquivos de ${home.dir} (2 arquivos)`,
      ),
      peer.lines.join("\n"),
    );
  },
  "pt",
);

sceneTest(
  SOURCE,
  "i18n net: a wrong join code is one Portuguese line",
  async (s) => {
    const tracker = await s.tracker();
    const home = await s.home({});
    const wrong = s.track(
      new Proc(SOURCE, joinArgs(tracker.port, home, ["--code", "1234-5678"]), {
        stdin: true,
        cwd: home.home,
        env: langEnv("pt"),
      }),
    );
    await wrong.endInput();
    assert.equal((await wrong.done).code, 1);
    const errors = wrong.lines.filter((l) => l.startsWith("erro: "));
    assert.deepEqual(
      errors,
      [`erro: Código de acesso errado para a rede em 127.0.0.1:${tracker.port}`],
      wrong.lines.join("\n"),
    );
  },
  "pt",
);

sceneTest(
  SOURCE,
  "i18n net: an unreachable tracker is said in Portuguese, and so is 'peers' meanwhile",
  async (s) => {
    const port = closedPort();
    const home = await s.home({});
    const p = s.track(
      new Proc(SOURCE, joinArgs(port, home), { stdin: true, cwd: home.home, env: langEnv("pt") }),
    );
    await p.waitFor(
      new RegExp(
        `^Não foi possível alcançar o rastreador em 127\\.0\\.0\\.1:${port}: conexão recusada; tentando de novo em segundo plano$`,
      ),
    );
    const out = await run(p, "peers", /^erro: /);
    assert.ok(
      out.includes(
        `erro: O rastreador em 127.0.0.1:${port} está inacessível (tentando de novo em segundo plano)`,
      ),
      out.join("\n"),
    );
    await p.send("sair");
    assert.equal((await p.done).code, 1);
  },
  "pt",
);

sceneTest(SOURCE, "i18n net: in English the start lines read as before", async (s) => {
  const { home, peer } = await startLines(s);
  const all = peer.lines.join("\n");
  assert.ok(peer.lines.includes(`Sharing 1 file listed in ${home.manifest}`), all);
  assert.ok(peer.lines.includes(`Serving peers on 127.0.0.1:${peer.port} as "ana"`), all);
  assert.ok(
    peer.lines.some((l) =>
      new RegExp(
        `^Registered with tracker 127\\.0\\.0\\.1:\\d+ as 127\\.0\\.0\\.1:${peer.port}, named "ana"$`,
      ).test(l)
    ),
    all,
  );
  await peer.send("quit");
  assert.equal((await peer.done).code, 0);
  assert.equal(peer.lines.filter((l) => l !== "").at(-1), "Left the tracker. Bye.");
});

Deno.test("i18n net: an error sent carries the sender's language; an internal one hides its details", () => {
  try {
    setLang("pt");
    const busy = toWire(new RedeError("BUSY", t("peer.slotsBusy")));
    assert.deepEqual(busy, {
      t: "error",
      code: "BUSY",
      message: "Todas as vagas de envio estão ocupadas; tente de novo mais tarde",
    });
    const internal = toWire(new RedeError("NO_SPACE", "/home/ana/segredo: disk full"));
    assert.deepEqual(internal, { t: "error", code: "INTERNAL", message: "Erro interno" });
    assert.deepEqual(toWire(new Error("boom")), {
      t: "error",
      code: "INTERNAL",
      message: "Erro interno",
    });
    // The receiver (in English here) shows the text as it came, made printable.
    setLang("en");
    const got = wireError({ t: "error", code: "BUSY", message: "Ocupado\x1b[2J agora" });
    assert.equal(got.code, "BUSY");
    assert.equal(got.message, "Ocupado\\x1b[2J agora");
    assert.deepEqual(toWire(new Error("boom")).message, "Internal error");
  } finally {
    setLang("en");
  }
});
