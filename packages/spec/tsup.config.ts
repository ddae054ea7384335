import { writeFile } from "node:fs/promises";
import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.js";
import { dataFiles } from "./src/data-files.js";
import { openapiDocument } from "./src/generated/openapi-document.gen.js";

// Besides the module, the build writes the document as dist/openapi.json and
// dist/openapi.yaml (the package's `./openapi.json` and `./openapi.yaml` exports),
// so the repository commits the document once, as src/generated/openapi-document.gen.ts.
export default defineConfig(
  packageBuild({
    async onSuccess() {
      for (const file of dataFiles(openapiDocument)) await writeFile(new URL(`dist/${file.name}`, import.meta.url), file.content);
    },
  }),
);
