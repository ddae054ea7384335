import document from "./generated/openapi.json";

/**
 * The OpenAPI 3.1 document of GeminiDB's close-all-sessions operation, as a plain
 * object. The same document ships as `@geminidb-sessions/spec/openapi.json` and
 * `@geminidb-sessions/spec/openapi.yaml` for tools in other languages.
 */
export const openapiDocument: typeof document = document;
export default openapiDocument;
