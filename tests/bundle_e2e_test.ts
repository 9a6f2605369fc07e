/**
 * The same end-to-end scenarios against the bundle: `deno bundle` writes one JavaScript file,
 * which is run from a folder with nothing else in it, proving the program is self-contained.
 * One test owns the bundle (built first, removed last); each scenario is a step of it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Scene } from "../testing/harness.ts";
import { SCENARIOS } from "./_e2e_scenarios.ts";

Deno.test("bundle: the end-to-end scenarios against one bundled file", async (t) => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const dir = await Deno.makeTempDir({ prefix: "rede-p2p-bundle-" });
  try {
    const entry = join(dir, "rede-p2p.js");
    const built = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--platform", "deno", "--output", entry, join(root, "main.ts")],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(built.code, 0, new TextDecoder().decode(built.stderr));
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["rede-p2p.js"]);
    for (const { name, fn } of SCENARIOS) {
      await t.step(name, async () => {
        const scene = new Scene({ entry });
        try {
          await fn(scene);
        } finally {
          await scene.close();
        }
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
