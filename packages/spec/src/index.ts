import { openapiDocument } from "./generated/openapi-document.gen.js";

/**
 * The OpenAPI 3.1 document of GeminiDB's close-all-sessions operation, as a plain
 * object typed exactly (`as const`). The same document ships as
 * `@geminidb-sessions/spec/openapi.json` and `@geminidb-sessions/spec/openapi.yaml`
 * for tools in other languages (written into dist/ by the build, from this module).
 *
 * @example
 * import { openapiDocument } from "@geminidb-sessions/spec";
 * console.log(openapiDocument.info.version);
 */
// Named export only: a default export next to it makes the CommonJS build ambiguous (Rollup warns).
export { openapiDocument };
