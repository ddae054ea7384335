import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.js";

// Three entry points: the runtime-neutral library; the same for Node.js (the `node` export condition),
// with node:http as the default transport; and `./node` (createNodeFetch). Browser, worker, Deno and Bun
// bundles load the first and never see node:http.
export default defineConfig(
  packageBuild({ entry: ["src/index.ts", "src/index.node.ts", "src/node.ts"], removeNodeProtocol: false, external: [/^node:/] }),
);
