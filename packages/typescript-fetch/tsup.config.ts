import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.js";

// No `/// <reference lib="dom" />` banner: the generated runtime is rewritten by
// scripts/generators/typescript-fetch.ts to name no DOM-only type, so the declarations
// hold in Node-only projects without adding DOM globals to them (ecosystem/ checks both).
export default defineConfig(packageBuild());
