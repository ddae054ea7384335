import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.js";

// Five entry points: the runtime-neutral library; the same for Node.js (the `node` export
// condition), with node:http as the default transport; `./public-surface`, the names both client
// flavours re-export; `./server`, signature verification for servers (the emulator); and `./node`
// (createNodeFetch on node:http). Browser, worker, Deno and Bun bundles load the first and never
// see node:http. Splitting (ESM and CJS alike) puts the modules entries share in shared chunks, so
// each class exists once: an error thrown by the main entry is `instanceof` the class a client
// re-exported from `./public-surface`.
export default defineConfig(
  packageBuild({
    entry: ["src/index.ts", "src/index.node.ts", "src/public-surface.ts", "src/server.ts", "src/node.ts"],
    splitting: true,
    removeNodeProtocol: false,
    external: [/^node:/],
  }),
);
