import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.js";

// The library (src/index.ts) and the bin (src/bin.ts, shebang kept); types for the library only.
export default defineConfig(packageBuild({ entry: ["src/index.ts", "src/bin.ts"], dts: { entry: "src/index.ts" }, platform: "node" }));
