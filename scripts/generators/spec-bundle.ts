import type { Generator } from "../lib/generated-file.js";

/**
 * The spec as a typed module for packages/spec: `openapiDocument`, the document as a
 * plain object typed exactly (`as const`), which is what TypeScript users import.
 * It is the package's only committed form of the spec: its build writes the JSON and
 * YAML files it ships (`@geminidb-sessions/spec/openapi.json`, `/openapi.yaml`) into
 * dist/ from this module (packages/spec/src/data-files.ts), so the document is
 * committed once here besides spec/openapi.yaml. A typed module, not a JSON import:
 * TypeScript widens an imported JSON file's literals, and the declarations tools emit
 * for one are not valid .d.ts.
 */
export const specBundle: Generator = {
  name: "spec bundle",
  outDir: "packages/spec/src/generated",
  async generate(spec) {
    return [
      {
        path: `${this.outDir}/openapi-document.gen.ts`,
        content: `/** The OpenAPI document, as a plain object. */\nexport const openapiDocument = ${JSON.stringify(spec.document, null, 2)} as const;\n`,
      },
    ];
  },
};
