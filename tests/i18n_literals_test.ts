/**
 * No English sentence reaches the user from outside the catalogues (issue 10): every error the
 * program raises for a user and every line it prints is a `t()` text, so it exists in Portuguese
 * and in English. The check reads the product's sources: the message of `new RedeError(CODE, …)`
 * and `new UsageError(…)`, and the text given to the printing calls of the commands, may not be
 * a string or template literal with words in it (a literal of placeholders and punctuation
 * alone, such as `${name}: ${size}`, is fine). A line marked `// i18n: not a message` (a
 * product name, a text no user sees) is let through.
 */
import assert from "node:assert/strict";
import { productSources } from "../testing/sources.ts";

/**
 * The literal that starts at `code[at]` (a quote or a backtick), or `undefined`. Template
 * placeholders are dropped, nested literals inside them included.
 */
function literalAt(code: string, at: number): string | undefined {
  const quote = code[at];
  if (quote !== '"' && quote !== "'" && quote !== "`") return undefined;
  let text = "";
  for (let i = at + 1; i < code.length; i++) {
    const c = code[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === quote) return text;
    if (quote === "`" && c === "$" && code[i + 1] === "{") {
      let depth = 0;
      for (i++; i < code.length; i++) {
        if (code[i] === "{") depth++;
        else if (code[i] === "}" && --depth === 0) break;
      }
      text += " ";
      continue;
    }
    text += c;
  }
  return undefined;
}

/** Whether a literal holds words: two letters in a row, in any script. */
const WORDY = /\p{L}{2}/u;

/** Calls whose argument (after the prefix matched) is text for the user. */
const SINKS: RegExp[] = [
  /new RedeError\(\s*"[A-Z_]+",\s*/g,
  /new RedeError\(\s*\w+,\s*/g,
  /new UsageError\(\s*/g,
  /\b(?:ctx|session|this\.ctx)\.(?:out|note|warn|err)\(\s*/g,
  /\b(?:say|notice)\(\s*/g,
];

/** Where a sink is given a literal with words: `path:line: text`. */
function findLiterals(sources: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [path, code] of sources) {
    for (const sink of SINKS) {
      for (const m of code.matchAll(sink)) {
        const at = m.index! + m[0].length;
        const text = literalAt(code, at);
        const line = code.slice(0, at).split("\n").length;
        const marked = code.split("\n")[line - 1].includes("// i18n: not a message");
        if (text !== undefined && WORDY.test(text) && !marked) {
          found.push(`${path}:${line}: ${text.slice(0, 60)}`);
        }
      }
    }
  }
  return found;
}

Deno.test("literals: no error or printed line is an English literal outside the catalogues", async () => {
  assert.deepEqual(findLiterals(await productSources()), []);
});

Deno.test("literals: the check finds a literal message, and passes a t() text or placeholders", () => {
  const sources = new Map([
    ["a.ts", 'throw new RedeError("NOT_FOUND", `No file named ${name}`);'],
    ["b.ts", 'ctx.out("Left the tracker. Bye.");'],
    ["c.ts", 'throw new RedeError("NOT_FOUND", t("get.noFile", { name }));'],
    ["d.ts", "ctx.out(`${name}: ${bytes(size)}`);"],
    ["e.ts", "throw new UsageError('Não há arquivo');"],
    ["f.ts", "ctx.out(`rede-p2p ${VERSION}`); // i18n: not a message (the name and version)"],
  ]);
  assert.deepEqual(findLiterals(sources), [
    "a.ts:1: No file named  ",
    "b.ts:1: Left the tracker. Bye.",
    "e.ts:1: Não há arquivo",
  ]);
});
