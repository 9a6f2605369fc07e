/**
 * End-to-end scenarios against the TypeScript sources, one test each, once in each language:
 * every process of a scene speaks it (its locale says so, as a user's would), and the scenario
 * reads the lines of that language.
 */
import { LANGS } from "../core/i18n.ts";
import { sceneTest, SOURCE } from "../testing/harness.ts";
import { SCENARIOS } from "./_e2e_scenarios.ts";

for (const lang of LANGS) {
  for (const { name, fn } of SCENARIOS) sceneTest(SOURCE, `source [${lang}]: ${name}`, fn, lang);
}
