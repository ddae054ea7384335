import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.js";

// Two entry points: the runtime-neutral library, and `./node` (createNodeFetch on node:http), kept apart so browser bundles never see node:http.
export default defineConfig(packageBuild({ entry: ["src/index.ts", "src/node.ts"], removeNodeProtocol: false, external: [/^node:/] }));
