/** End-to-end scenarios against the TypeScript sources, one test each. */
import { sceneTest, SOURCE } from "../testing/harness.ts";
import { SCENARIOS } from "./_e2e_scenarios.ts";

for (const { name, fn } of SCENARIOS) sceneTest(SOURCE, `source: ${name}`, fn);
