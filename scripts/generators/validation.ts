import type { GeneratedFile, Generator } from "../lib/generated-file.js";
import type { LoadedSpec } from "../lib/repo.js";
import { apiModule, validatorDeclarations, validatorFileBase, validatorModule } from "./validation-api.js";
import { collectHints } from "./validation-hints.js";
import { collectSchemas } from "./validation-schemas.js";
import { compileStandalone } from "./validation-standalone.js";
import { typesModule } from "./validation-types.js";

function errorCatalogModule(document: Record<string, unknown>): string {
  const catalog = document["x-error-catalog"] as Record<string, unknown>;
  return [
    "/** Every error code the operation can answer, from the spec's `x-error-catalog`. */",
    `export const errorCatalog = ${JSON.stringify(catalog, null, 2)} as const;`,
    "",
    "/** One of the error codes the spec's catalog lists. */",
    "export type ErrorCode = keyof typeof errorCatalog;",
    "",
  ].join("\n");
}

function regionsModule(document: Record<string, unknown>): string {
  const servers = document.servers as Array<{ url: string; variables: { region: { enum: string[] } } }>;
  const regions: Record<string, string> = {};
  for (const server of servers) {
    for (const region of server.variables.region.enum) regions[region] = server.url.replace("{region}", region);
  }
  return [
    "/** Every region the spec's `servers` list, with its regional endpoint. */",
    `export const regionEndpoints = ${JSON.stringify(regions, null, 2)} as const;`,
    "",
    "/** A region the spec lists. */",
    "export type Region = keyof typeof regionEndpoints;",
    "",
  ].join("\n");
}

interface SecurityScheme {
  name: string;
  "x-signing"?: Record<string, unknown>;
}

/** The operation's method and path, and how requests authenticate: the spec's securitySchemes and `x-signing`. */
function protocolModule(document: Record<string, unknown>): string {
  const paths = document.paths as Record<string, Record<string, { operationId?: string }>>;
  const operations = Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, operation]) => typeof operation === "object" && operation !== null && typeof operation.operationId === "string")
      .map(([method, operation]) => ({ operationId: operation.operationId, method: method.toUpperCase(), path })),
  );
  if (operations.length !== 1) throw new Error(`the validation generator expects exactly one operation, found ${operations.length}`);
  const schemes = (document.components as { securitySchemes: Record<string, SecurityScheme> }).securitySchemes;
  const { iamToken, akskSignature, akskDate } = schemes;
  if (!iamToken || !akskSignature?.["x-signing"] || !akskDate)
    throw new Error("the spec must define iamToken, akskSignature (with x-signing) and akskDate");
  const auth = {
    tokenHeader: iamToken.name,
    authorizationHeader: akskSignature.name,
    ...akskSignature["x-signing"],
  };
  return [
    "/** The operation this API consists of: its operationId, HTTP method and path template. */",
    `export const operation = ${JSON.stringify(operations[0], null, 2)} as const;`,
    "",
    "/** How a request authenticates: the token header, and the AK/SK signing profile (`x-signing`). */",
    `export const authProfile = ${JSON.stringify(auth, null, 2)} as const;`,
    "",
  ].join("\n");
}

function jsonSchemasModule(entries: ReturnType<typeof collectSchemas>): string {
  const body = Object.fromEntries(entries.map((e) => [e.name, e.jsonSchema]));
  return [
    "/**",
    " * The JSON Schemas (draft 2020-12) the validators check, one per schema: each is",
    " * self-contained (what it references is under `$defs`), exactly as the spec writes it.",
    " */",
    `export const schemas = ${JSON.stringify(body, null, 2)} as const;`,
    "",
  ].join("\n");
}

/** Everything the validation generator writes, from a loaded spec; pure, so tests can run it on a modified copy. */
export function generateValidation(spec: LoadedSpec, outDir: string): GeneratedFile[] {
  const document = spec.document;
  const entries = collectSchemas(document);
  const files: GeneratedFile[] = [
    { path: `${outDir}/error-catalog.ts`, content: errorCatalogModule(document) },
    { path: `${outDir}/regions.ts`, content: regionsModule(document) },
    { path: `${outDir}/protocol.ts`, content: protocolModule(document) },
    { path: `${outDir}/json-schemas.ts`, content: jsonSchemasModule(entries) },
    { path: `${outDir}/types.ts`, content: typesModule(entries) },
  ];
  for (const entry of entries) {
    const base = validatorFileBase(entry);
    const compiled = compileStandalone(entry.compiled);
    const hints = collectHints(entry.compiled, entry.secrets);
    files.push(
      { path: `${outDir}/validators/${base}.js`, content: validatorModule(entry, compiled, hints) },
      { path: `${outDir}/validators/${base}.d.ts`, content: validatorDeclarations(entry) },
      { path: `${outDir}/validate-${base}.ts`, content: apiModule(entry) },
    );
  }
  return files;
}

/**
 * The validation package's generated sources: the error catalog, the regions
 * and their endpoints, and for every schema an Ajv validator compiled ahead of
 * time, the words to explain its failures, its JSON Schema and its types.
 */
export const validation: Generator = {
  name: "validation",
  outDir: "packages/validation/src/generated",
  async generate(spec) {
    return generateValidation(spec, this.outDir);
  },
};
