/** End-to-end scenarios against the TypeScript sources. */
import { registerE2E } from "./_e2e_scenarios.ts";
import { SOURCE } from "../testing/harness.ts";

registerE2E(SOURCE, "source");
