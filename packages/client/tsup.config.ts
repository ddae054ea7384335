import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.js";

// The one build that keeps tsup's rollup pass (`treeshake`): it rewrites the CommonJS build's default import
// of openapi-fetch with interop that honours `__esModule`. esbuild alone, in a `"type": "module"` package,
// hands `require("openapi-fetch")` itself to the default import, and `createSessionsClient` then fails
// under `require` (the ecosystem suite's Node.js CommonJS run catches it).
export default defineConfig(packageBuild({ treeshake: true }));
