import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import fc from "fast-check";
import {
  appendManifestEntry,
  formatManifestLine,
  parseManifest,
  readManifest,
} from "../storage/manifest.ts";
import { shareNameProblem } from "../core/names.ts";

const M = resolve("/home/ana"); // folder holding the manifest
const S = resolve("/home/ana/arquivos_compartilhaveis"); // shared folder
const parse = (text: string) => parseManifest(text, M, S);
const posix = Deno.build.os !== "windows";

Deno.test("plain lines, comments, blank lines", () => {
  const { entries, problems } = parse(
    "# comment\n\na.txt arquivos_compartilhaveis/a.txt\n   # indented comment\n\tb.txt\tb.txt  \n",
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(entries, [
    { name: "a.txt", path: join(S, "a.txt"), line: 3 },
    { name: "b.txt", path: join(M, "b.txt"), line: 5 },
  ]);
});

Deno.test("quoted names and paths with spaces", () => {
  const { entries, problems } = parse('"meu arquivo.txt" "pasta x/meu arquivo.txt"\n"b c" d\n');
  assert.deepEqual(problems, []);
  assert.equal(entries[0].name, "meu arquivo.txt");
  assert.equal(entries[0].path, join(M, "pasta x", "meu arquivo.txt"));
  assert.equal(entries[1].name, "b c");
});

Deno.test("a field glued after a closing quote is an error, on either field", () => {
  const { entries, problems } = parse('"a b"c x\nok.txt "p q"r\n"a b"\t"c d"\n');
  assert.deepEqual(problems.map((p) => p.message), [
    "Line 1: text right after a closing quote",
    "Line 2: text right after a closing quote",
  ]);
  assert.deepEqual(entries.map((e) => [e.name, e.path]), [["a b", join(M, "c d")]]);
});

Deno.test("a quoted path keeps spaces at its edges", () => {
  const { entries, problems } = parse('a.txt "  pasta/ nota.txt  "\n"b c" " b c"\n');
  assert.deepEqual(problems, []);
  assert.deepEqual(entries.map((e) => [e.name, e.path]), [
    ["a.txt", join(M, "  pasta", " nota.txt  ")],
    ["b c", join(M, " b c")],
  ]);
});

Deno.test("BOM, CRLF and lone CR line ends", () => {
  const { entries, problems } = parse("\uFEFFa.txt a.txt\r\nb.txt b.txt\rc.txt c.txt\r\n");
  assert.deepEqual(problems, []);
  assert.deepEqual(entries.map((e) => [e.name, e.line]), [["a.txt", 1], ["b.txt", 2], [
    "c.txt",
    3,
  ]]);
});

Deno.test("a name alone is the file of that name in the shared folder", () => {
  assert.deepEqual(parse("notas.txt\n").entries, [
    { name: "notas.txt", path: join(S, "notas.txt"), line: 1 },
  ]);
});

Deno.test({
  name: "Windows separators, absolute paths, and Windows drive paths on POSIX",
  ignore: !posix,
  fn() {
    const { entries, problems } = parse(
      "a.txt sub\\dir\\a.txt\nb.txt /srv/files/b.txt\nc.txt C:\\Users\\ana\\c.txt\nd.txt ..\\up\\d.txt\n",
    );
    assert.deepEqual(entries.map((e) => e.path), [
      "/home/ana/sub/dir/a.txt",
      "/srv/files/b.txt",
      "/home/up/d.txt",
    ]);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /^Line 3: 'C:\\Users\\ana\\c.txt' is a Windows path$/);
  },
});

Deno.test("bad lines are reported with their number and skipped", () => {
  const text = [
    'ok1.txt "unterminated', // 1
    "a b c", // 2
    "../x x", // 3
    "a/b x", // 4
    '"" x', // 5
    "a\u0000b x", // 6
    '"a b"c x', // 7
    "ok2.txt ok2.txt", // 8
    "ok2.txt other.txt", // 9
    "..\\..\\etc x", // 10
  ].join("\n");
  const { entries, problems } = parse(text);
  assert.deepEqual(entries.map((e) => e.name), ["ok2.txt"]);
  assert.deepEqual(problems.map((p) => p.line), [1, 2, 3, 4, 5, 6, 7, 9, 10]);
  for (const p of problems) assert.ok(p.message.startsWith(`Line ${p.line}: `), p.message);
  assert.match(problems[0].message, /unterminated quote/);
  assert.match(problems[1].message, /quote names with spaces/);
  assert.match(problems[2].message, /invalid name '\.\.\/x'/);
  assert.equal(problems[6].message, "Line 7: text right after a closing quote");
  assert.match(problems[7].message, /duplicate name 'ok2.txt' \(first on line 8\)/);
});

Deno.test("formatManifestLine quotes only when needed and round-trips", () => {
  assert.equal(formatManifestLine("a.txt", "dir/a.txt"), "a.txt dir/a.txt");
  assert.equal(formatManifestLine("a b.txt", "dir/a b.txt"), '"a b.txt" "dir/a b.txt"');
  assert.equal(formatManifestLine("#x", "#x"), '"#x" "#x"');
  assert.throws(() => formatManifestLine("a", 'we"ird'), TypeError);
});

Deno.test("parsing never throws and line numbers stay in range (property)", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (text) => {
      const lines = text.split(/\r\n|\n|\r/).length;
      const { entries, problems } = parse(text);
      for (const x of [...entries, ...problems]) assert.ok(x.line >= 1 && x.line <= lines);
    }),
    { numRuns: 500 },
  );
});

Deno.test("any valid name round-trips through a manifest line (property)", () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 40 }).filter((n) => !shareNameProblem(n)),
      (name) => {
        const { entries, problems } = parse(formatManifestLine(name, `files/${name}`) + "\n");
        assert.deepEqual(problems, []);
        assert.equal(entries[0].name, name);
        assert.equal(entries[0].path, join(M, "files", name));
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("appendManifestEntry creates, adds a missing newline, keeps CRLF", async () => {
  const home = await Deno.makeTempDir({ prefix: "rede-p2p-manifest-" });
  try {
    const share = join(home, "share");
    const m1 = join(home, "m1.txt");
    await appendManifestEntry(m1, "a b.txt", join(share, "a b.txt"));
    assert.equal(await Deno.readTextFile(m1), '"a b.txt" "share/a b.txt"\n');

    const m2 = join(home, "m2.txt");
    await Deno.writeTextFile(m2, "x.txt share/x.txt");
    await appendManifestEntry(m2, "y.txt", join(share, "y.txt"));
    assert.equal(await Deno.readTextFile(m2), "x.txt share/x.txt\ny.txt share/y.txt\n");

    const m3 = join(home, "m3.txt");
    await Deno.writeTextFile(m3, "x.txt share/x.txt\r\n");
    await appendManifestEntry(m3, "y.txt", join(share, "y.txt"));
    assert.equal(await Deno.readTextFile(m3), "x.txt share/x.txt\r\ny.txt share/y.txt\r\n");

    const parsed = await readManifest(m3, share);
    assert.deepEqual(parsed?.entries.map((e) => e.path), [
      join(share, "x.txt"),
      join(share, "y.txt"),
    ]);
    assert.equal(await readManifest(join(home, "none.txt"), share), undefined);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
