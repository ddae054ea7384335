import { stringify } from "yaml";
import type { Generator } from "../lib/generated-file.js";

/**
 * The spec as data for tools in other languages: JSON and YAML, in
 * packages/spec. The spec is a single file with only internal references, so
 * the bundle is the document itself, re-serialized canonically.
 */
export const specBundle: Generator = {
  name: "spec bundle",
  outDir: "packages/spec/src/generated",
  async generate(spec) {
    const dir = this.outDir;
    return [
      { path: `${dir}/openapi.json`, content: JSON.stringify(spec.document, null, 2) },
      { path: `${dir}/openapi.yaml`, content: stringify(spec.document, { lineWidth: 0 }) },
      // A typed module too: declarations tools emit for an imported JSON file are not valid .d.ts.
      {
        path: `${dir}/openapi-document.ts`,
        content: `/** The OpenAPI document, as a plain object. */\nexport const openapiDocument = ${JSON.stringify(spec.document, null, 2)} as const;\n`,
      },
    ];
  },
};
