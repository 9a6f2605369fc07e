/**
 * The storage area in two languages (issue 10): the manifest's warnings, refused names, a full
 * disk, a share's skipped entries, receipts and system errors read in Brazilian Portuguese when
 * it is asked for, and as before in English. In-process tests set the language and put it back;
 * the scenes run the real program with the environment of a Portuguese user.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import * as v from "valibot";
import { Descriptor } from "../core/content.ts";
import { errorLine } from "../core/errors.ts";
import { currentLang, type Lang, pattern, setLang, t } from "../core/i18n.ts";
import { assertShareName } from "../core/names.ts";
import { peerNameProblem } from "../core/peer_name.ts";
import { parseReceipt } from "../core/receipt.ts";
import { assertRoom, diskStopError } from "../storage/disk.ts";
import { parseManifest } from "../storage/manifest.ts";
import { listShare } from "../storage/share_list.ts";
import { joinArgs, langEnv, Proc, sceneTest, SOURCE } from "../testing/harness.ts";

const MIB = 1024 * 1024;

/** Runs `fn` with the texts in `lang`, then puts the language back. */
async function inLang<T>(lang: Lang, fn: () => T | Promise<T>): Promise<T> {
  const before = currentLang();
  setLang(lang);
  try {
    return await fn();
  } finally {
    setLang(before);
  }
}

/** The message of what `fn` throws. */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("nothing was thrown");
}

const M = resolve("/home/ana");
const S = resolve("/home/ana/arquivos_compartilhaveis");
const BAD_MANIFEST = 'a b c\n"sem fim\n.oculto x\nd.txt\nd.txt\n';

Deno.test("storage i18n: the manifest's bad lines in Portuguese, and in English as before", async () => {
  const pt = await inLang("pt", () => parseManifest(BAD_MANIFEST, M, S).problems);
  assert.deepEqual(pt.map((p) => p.message), [
    "Linha 1: esperado 'NAME PATH', mas há 3 campos (ponha entre aspas os nomes com espaços)",
    "Linha 2: aspas não fechadas",
    "Linha 3: nome inválido '.oculto': não pode começar com '.' (oculto)",
    "Linha 5: nome repetido 'd.txt' (primeiro na linha 4); ignorado",
  ]);
  const en = await inLang("en", () => parseManifest(BAD_MANIFEST, M, S).problems);
  assert.deepEqual(en.map((p) => p.message), [
    "Line 1: expected 'NAME PATH' but found 3 fields (quote names with spaces)",
    "Line 2: unterminated quote",
    "Line 3: invalid name '.oculto': must not start with '.' (hidden)",
    "Line 5: duplicate name 'd.txt' (first on line 4); skipped",
  ]);
});

Deno.test("storage i18n: a refused name says which part and why, in either language", async () => {
  assert.equal(
    await inLang("pt", () => thrown(() => assertShareName("fotos/../x"))),
    "Nome de arquivo inválido 'fotos/../x': a parte '..' não pode ser '.' nem '..'",
  );
  assert.equal(
    await inLang("en", () => thrown(() => assertShareName("fotos/../x"))),
    "Invalid file name 'fotos/../x': part '..' must not be '.' or '..'",
  );
  assert.equal(
    await inLang("pt", () => peerNameProblem("Ana Maria")),
    "só pode ter letras, dígitos, '-' e '_' (não um espaço)",
  );
  assert.equal(
    await inLang("pt", () => peerNameProblem("x".repeat(65))),
    "tem mais de 64 caracteres",
  );
});

Deno.test("storage i18n: a full disk, with sizes and counts the Portuguese way", async () => {
  const full = Object.assign(new Error("No space left on device (os error 28)"), {
    code: "ENOSPC",
  });
  const stop = () =>
    diskStopError("big.bin", 2, 1032, { err: full, short: { still: 1.5 * MIB, free: 512 * 1024 } })
      .message;
  assert.equal(
    await inLang("pt", stop),
    "Disco cheio ao gravar 'big.bin' (1,5 MiB ainda por gravar, 512 KiB livres): download interrompido; 2 de 1.032 blocos guardados para retomar",
  );
  assert.equal(
    await inLang("en", stop),
    "Disk full while writing 'big.bin' (1.5 MiB still to write, 512 KiB free): download stopped; 2 of 1,032 chunks kept to resume",
  );
  // Not enough room for a download: said before it starts.
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-i18n-" });
  try {
    const refused = await inLang("pt", () => thrown(() => assertRoom(dir, "enorme.iso", 2 ** 60)));
    const m = refused.match(pattern("disk.noRoom", "pt", { line: true }));
    assert.ok(m, refused);
    assert.deepEqual([m[1], m[2], m[4]], ["enorme.iso", "1 EiB", dir]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("storage i18n: a share's skipped entries, with their manifest line", async () => {
  const home = await Deno.makeTempDir({ prefix: "rede-p2p-i18n-" });
  try {
    const dir = join(home, "share");
    await Deno.mkdir(dir);
    await Deno.mkdir(join(dir, ".rede-p2p"));
    await Deno.writeTextFile(join(dir, ".rede-p2p", "state"), "x");
    const manifest = join(home, "meus_arquivos.txt");
    await Deno.writeTextFile(manifest, "falta.txt share/falta.txt\nestado share/.rede-p2p/state\n");
    const { problems } = await inLang("pt", () => listShare(dir, manifest));
    assert.deepEqual(problems, [
      `Linha 1: 'falta.txt': arquivo não encontrado (${join(dir, "falta.txt")}); ignorado`,
      `Linha 2: 'estado': o estado do próprio rede-p2p nunca é compartilhado (${
        join(dir, ".rede-p2p", "state")
      }); ignorado`,
    ]);
    const en = await inLang("en", () => listShare(dir, manifest));
    assert.equal(
      en.problems[0],
      `Line 1: 'falta.txt': file not found (${join(dir, "falta.txt")}); skipped`,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("storage i18n: receipts, descriptors and system errors in Portuguese", async () => {
  assert.equal(
    await inLang("pt", () => thrown(() => parseReceipt("{"))),
    "Não é um recibo do rede-p2p: não é JSON",
  );
  // A valibot message is made when the check fails, in the language of that moment.
  const bad = { size: 0, chunk_size: 3, chunks: [], root: "0".repeat(64) };
  const issue = await inLang("pt", () => v.safeParse(Descriptor, bad).issues?.[0].message);
  assert.equal(issue, "tamanho de bloco não suportado (só 1048576, 2097152 ou 4194304)");
  let notFound: unknown;
  try {
    await Deno.readTextFile("/nao/existe/rede-p2p");
  } catch (err) {
    notFound = err;
  }
  assert.equal(
    await inLang("pt", () => errorLine(notFound)),
    "Arquivo ou pasta inexistente (erro do sistema 2): readfile '/nao/existe/rede-p2p'",
  );
  // English reads as Deno words it.
  assert.equal(await inLang("en", () => errorLine(notFound)), (notFound as Error).message);
});

sceneTest(
  SOURCE,
  "storage i18n: verify-receipt of a file that is no receipt, in Portuguese",
  async (s) => {
    const home = await s.home();
    const file = join(home.home, "recibo.json");
    await Deno.writeTextFile(file, "isto não é JSON");
    const { code, lines } = await s.cli(["verify-receipt", file]);
    assert.equal(code, 1);
    const m = lines.join("\n").match(pattern("storage.receipt.notReceipt", "pt"));
    assert.ok(m, lines.join("\n"));
    assert.equal(m[1], file);
    assert.ok(lines.join("\n").includes("não é JSON"), lines.join("\n"));
  },
  "pt",
);

sceneTest(SOURCE, "storage i18n: join with a bad manifest line warns in Portuguese", async (s) => {
  const tracker = await s.tracker();
  const home = await s.home({ "a.txt": "a" });
  await Deno.writeTextFile(home.manifest, '"a.txt" "share/a.txt"\nfalta.txt share/falta.txt\n');
  const p = s.track(
    new Proc(SOURCE, joinArgs(tracker.port, home), {
      stdin: true,
      cwd: home.home,
      env: langEnv("pt"),
    }),
  );
  const path = join(home.dir, "falta.txt");
  const expected = await inLang(
    "pt",
    () =>
      t("manifest.atLine", { line: 2, problem: t("share.notFound", { name: "falta.txt", path }) }),
  );
  const m = await p.waitFor(pattern("manifest.atLine", "pt"));
  assert.ok(m.input!.endsWith(expected), m.input);
}, "pt");

sceneTest(
  SOURCE,
  "storage i18n: join refuses a bad --name with the reason in Portuguese",
  async (s) => {
    const { code, lines } = await s.cli(["join", "127.0.0.1:9", "--name", "Ana Maria"]);
    assert.notEqual(code, 0);
    const reason = await inLang("pt", () => t("names.peer.space"));
    assert.ok(lines.some((l) => l.includes(reason)), lines.join("\n"));
  },
  "pt",
);
