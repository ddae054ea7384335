import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.js";

// The library (src/index.ts) and the bin (src/bin.ts, shebang kept); types for the library only.
// Splitting keeps what bin.ts imports lazily (run-bin.ts: the CLI and the client) in chunks of its
// own, so `geminidb-sessions --version` loads none of them.
export default defineConfig(
  packageBuild({ entry: ["src/index.ts", "src/bin.ts"], dts: { entry: "src/index.ts" }, platform: "node", splitting: true }),
);
