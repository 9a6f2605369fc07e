/**
 * The same end-to-end scenarios against the bundle: `deno bundle` writes one JavaScript file,
 * which is run from a folder with nothing else in it, proving the program is self-contained.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { registerE2E } from "./_e2e_scenarios.ts";

const root = new URL("..", import.meta.url).pathname;
const dir = await Deno.makeTempDir({ prefix: "rede-p2p-bundle-" });
const entry = join(dir, "rede-p2p.js");
const built = await new Deno.Command(Deno.execPath(), {
  args: ["bundle", "--platform", "deno", "--output", entry, join(root, "main.ts")],
  stdout: "piped",
  stderr: "piped",
}).output();
assert.equal(built.code, 0, new TextDecoder().decode(built.stderr));

registerE2E({ entry }, "bundle");

Deno.test("bundle: clean up", async () => {
  await Deno.remove(dir, { recursive: true });
});
