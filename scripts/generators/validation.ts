import type { GeneratedFile, Generator } from "../lib/generated-file.js";
import type { LoadedSpec } from "../lib/repo.js";
import { apiModule, validatorDeclarations, validatorFileBase } from "./validation-api.js";
import { collectHints } from "./validation-hints.js";
import { camelCase, kebabCase, pascalCase } from "./validation-names.js";
import { collectOperations, collectSchemas, type OperationFacts, type SchemaEntry } from "./validation-schemas.js";
import { validatorsModule } from "./validation-standalone.js";
import { typesModule } from "./validation-types.js";

/**
 * `value` without its provenance (`x-source`, `x-assumption` and other `x-` keys, at any depth): what a
 * program needs at run time. The provenance stays in the spec, which @geminidb-sessions/spec ships, so it
 * is not in every client bundle.
 */
function withoutProvenance(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutProvenance);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith("x-"))
      .map(([key, inner]) => [key, withoutProvenance(inner)]),
  );
}

/** `value`'s type as TypeScript writes an `as const` literal's: what the annotation of a constant built at load time states. */
function literalType(value: unknown, indent = ""): string {
  if (Array.isArray(value)) return `readonly [${value.map((v) => literalType(v, indent)).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const inner = `${indent}  `;
    const rows = Object.entries(value).map(
      ([key, v]) => `${inner}readonly ${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${literalType(v, inner)};`,
    );
    return `{\n${rows.join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/**
 * The catalog in two parts: `errorAdvice`, what the error classes read of each code (statuses, meaning,
 * remedy, retryable), and the service's messages, which only `errorCatalog` adds back. A client bundle
 * then carries the advice alone; `errorCatalog` holds the same values, in the spec's key order.
 */
function errorCatalogModule(document: Record<string, unknown>): string {
  const catalog = withoutProvenance(document["x-error-catalog"]) as Record<string, Record<string, unknown>>;
  const advice: Record<string, Record<string, unknown>> = {};
  const messages: Record<string, unknown> = {};
  let before: string | undefined;
  for (const [code, entry] of Object.entries(catalog)) {
    const keys = Object.keys(entry);
    const at = keys.indexOf("message");
    if (at === -1) throw new Error(`x-error-catalog: ${code} has no message`);
    const next = keys[at + 1] ?? "";
    if (before !== undefined && next !== before)
      throw new Error(
        `x-error-catalog: every code must give its message before the same key (${code}: before "${next}", others: "${before}")`,
      );
    before = next;
    const { message, ...rest } = entry;
    advice[code] = rest;
    messages[code] = message;
  }
  return [
    "/**",
    " * What the error classes read of every error code the operation can answer (from the spec's",
    " * `x-error-catalog`): statuses, meaning, remedy and whether a retry can help. `errorCatalog` is the",
    " * same with the service's message of each code.",
    " */",
    'export const errorAdvice: { readonly [Code in ErrorCode]: Omit<(typeof errorCatalog)[Code], "message"> } = ' +
      `${JSON.stringify(advice, null, 2)};`,
    "",
    "/** `advice` with each code's message put back where the spec writes it (before `before`; last when that is empty). */",
    "function withMessages(",
    "  advice: Record<string, Record<string, unknown>>,",
    "  messages: Record<string, string>,",
    "  before: string,",
    "): Record<string, Record<string, unknown>> {",
    "  const out: Record<string, Record<string, unknown>> = {};",
    "  for (const code of Object.keys(advice)) {",
    "    const entry: Record<string, unknown> = {};",
    "    for (const [key, value] of Object.entries(advice[code] as Record<string, unknown>)) {",
    "      if (key === before) entry.message = messages[code];",
    "      entry[key] = value;",
    "    }",
    '    if (before === "") entry.message = messages[code];',
    "    out[code] = entry;",
    "  }",
    "  return out;",
    "}",
    "",
    "/**",
    " * Every error code the operation can answer, from the spec's `x-error-catalog`: statuses, the",
    " * service's message, meaning, remedy and whether a retry can help. Where each fact comes from",
    " * (`x-source`, `x-assumption`) is in the spec (`@geminidb-sessions/spec`).",
    " */",
    `export const errorCatalog: ${literalType(catalog)} = /* @__PURE__ */ withMessages(errorAdvice, ${JSON.stringify(messages, null, 2)}, ${JSON.stringify(before ?? "")}) as never;`,
    "",
    "/** One of the error codes the spec's catalog lists. */",
    "export type ErrorCode = keyof typeof errorCatalog;",
    "",
  ].join("\n");
}

/**
 * The regions, written once per server as a list of names (the endpoints are the server's URL with
 * each name put in): the same table, a fraction of the bytes in a bundle.
 */
function regionsModule(document: Record<string, unknown>): string {
  const servers = document.servers as Array<{ url: string; variables: { region: { enum: string[] } } }>;
  const regions: Record<string, string> = {};
  const templates: Array<[string, string]> = [];
  for (const server of servers) {
    for (const region of server.variables.region.enum) {
      if (/\s/.test(region) || region === "") throw new Error(`servers: region ${JSON.stringify(region)} is not a name`);
      regions[region] = server.url.replace("{region}", region);
    }
    templates.push([server.url, server.variables.region.enum.join(" ")]);
  }
  return [
    "/** Each server's URL with every region it lists put in. */",
    "function endpointsOf(servers: ReadonlyArray<readonly [string, string]>): Record<string, string> {",
    "  const out: Record<string, string> = {};",
    '  for (const [url, names] of servers) for (const name of names.split(" ")) out[name] = url.replace("{region}", name);',
    "  return out;",
    "}",
    "",
    "/** Every region the spec's `servers` list, with its regional endpoint. */",
    `export const regionEndpoints: ${literalType(regions)} = /* @__PURE__ */ endpointsOf(${JSON.stringify(templates, null, 2)}) as never;`,
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

/** How requests authenticate: the spec's securitySchemes and `x-signing`. */
function authProfileOf(document: Record<string, unknown>): Record<string, unknown> {
  const schemes = (document.components as { securitySchemes: Record<string, SecurityScheme> }).securitySchemes;
  const { iamToken, akskSignature, akskDate } = schemes;
  if (!iamToken || !akskSignature?.["x-signing"] || !akskDate)
    throw new Error("the spec must define iamToken, akskSignature (with x-signing) and akskDate");
  return {
    tokenHeader: iamToken.name,
    authorizationHeader: akskSignature.name,
    ...(withoutProvenance(akskSignature["x-signing"]) as object),
  };
}

/**
 * The operations table: every operation's method, path, parameters (with the
 * names a call's input gives them), body and success schema. Clients, core's
 * input checks, the emulator's router and the conformance suite all read it,
 * so an operation added to the spec reaches them by regeneration alone.
 */
function protocolModule(document: Record<string, unknown>, operations: OperationFacts[]): string {
  const table = Object.fromEntries(
    operations.map((op) => [
      op.operationId,
      {
        operationId: op.operationId,
        method: op.method,
        path: op.path,
        ...(op.summary ? { summary: op.summary } : {}),
        ...(op.vendorOperationId ? { vendorOperationId: op.vendorOperationId } : {}),
        parameters: op.parameters,
        body: op.body ?? null,
        success: op.success.schema ? op.success : { status: op.success.status },
        pagination: op.pagination ?? null,
      },
    ]),
  );
  // One constant per operation, so a program that imports one (through its client function) bundles that one alone.
  const constants = Object.entries(table).map(([id, row]) =>
    [
      `/** ${id}: method, path template, parameters (with their input names), body and success. */`,
      `export const ${id}Operation = ${JSON.stringify(row, null, 2)} as const;`,
      "",
    ].join("\n"),
  );
  return [
    ...constants,
    "/** Every operation of the API, by operationId: method, path template, parameters (with their input names), body and success. */",
    `export const operations: {\n${Object.keys(table)
      .map((id) => `  readonly ${id}: typeof ${id}Operation;`)
      .join("\n")}\n} = {\n${Object.keys(table)
      .map((id) => `  ${id}: ${id}Operation,`)
      .join("\n")}\n};`,
    "",
    "/** The operationId of an operation the spec declares. */",
    "export type OperationId = keyof typeof operations;",
    "",
    "/** The operationIds of the operations that page through a list (`x-pagination`). */",
    "export type PaginatedOperationId = {",
    '  [Id in OperationId]: (typeof operations)[Id]["pagination"] extends null ? never : Id;',
    "}[OperationId];",
    "",
    "/** How a request authenticates: the token header, and the AK/SK signing profile (`x-signing`). */",
    `export const authProfile = ${JSON.stringify(authProfileOf(document), null, 2)} as const;`,
    "",
  ].join("\n");
}

/** `operationValidators`: each operation's input check and success-body check, from the validators generated for them. */
function operationValidatorsModule(operations: OperationFacts[]): string {
  const imports: string[] = [];
  const types = new Set<string>();
  const rows: string[] = [];
  const checks: string[] = [];
  const inputRows: string[] = [];
  const successRows: string[] = [];
  for (const op of operations) {
    const input = `${pascalCase(op.operationId)}Input`;
    imports.push(`import { validate${input} } from "./validate-${kebabCase(input)}.gen.js";`);
    types.add(input);
    inputRows.push(`  ${op.operationId}: ${input};`);
    let success = "undefined";
    if (op.success.schema) {
      const schema = op.success.schema;
      if (!imports.some((line) => line.includes(`validate${schema} `)))
        imports.push(`import { validate${schema} } from "./validate-${kebabCase(schema)}.gen.js";`);
      success = `validate${schema}`;
      types.add(schema);
    }
    successRows.push(`  ${op.operationId}: ${op.success.schema ?? "undefined"};`);
    checks.push(
      `/** ${op.operationId}'s input check and success-body check. */`,
      `export const ${op.operationId}Checks: OperationValidators = { input: validate${input}, success: ${success} };`,
      "",
    );
    rows.push(`  ${op.operationId}: ${op.operationId}Checks,`);
  }
  return [
    ...imports,
    `import type { ${[...types].join(", ")} } from "./types.gen.js";`,
    `import type { OperationId } from "./protocol.gen.js";`,
    `import type { ValidationResult } from "../validation-result.js";`,
    "",
    "/** The checks of one operation: its input (parameters by input name, and `body`) and its success body. */",
    "export interface OperationValidators {",
    "  input(value: unknown): ValidationResult<unknown>;",
    "  success: ((value: unknown) => ValidationResult<unknown>) | undefined;",
    "}",
    "",
    "/** What a call of each operation takes: its parameters by input name, and its body. */",
    "export interface OperationInputs {",
    ...inputRows,
    "}",
    "",
    "/** The success body of each operation. */",
    "export interface OperationSuccessBodies {",
    ...successRows,
    "}",
    "",
    ...checks,
    "/** Each operation's input check and success-body check. */",
    "export const operationValidators: { readonly [Id in OperationId]: OperationValidators } = {",
    ...rows,
    "};",
    "",
  ].join("\n");
}

/** `src/generated/index.gen.ts`: everything generated that the package exports, so an added schema or operation needs no handwritten export. */
function indexModule(entries: SchemaEntry[]): string {
  const lines = [
    `export { type ErrorCode, errorAdvice, errorCatalog } from "./error-catalog.gen.js";`,
    `export { schemas } from "./json-schemas.gen.js";`,
    // Each operation's constants (closeInstanceSessionsOperation, closeInstanceSessionsChecks) and the tables of them.
    `export * from "./operation-validators.gen.js";`,
    `export * from "./protocol.gen.js";`,
    `export { type Region, regionEndpoints } from "./regions.gen.js";`,
  ];
  const objectTypes = entries.filter((e) => !e.scalar).map((e) => e.name);
  if (objectTypes.length > 0) lines.push(`export type { ${objectTypes.join(", ")} } from "./types.gen.js";`);
  for (const entry of entries) {
    const { name } = entry;
    lines.push(`export { ${camelCase(name)}Schema, is${name}, validate${name} } from "./validate-${validatorFileBase(entry)}.gen.js";`);
  }
  return `${lines.join("\n")}\n`;
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
  const operations = collectOperations(document);
  const files: GeneratedFile[] = [
    { path: `${outDir}/error-catalog.gen.ts`, content: errorCatalogModule(document) },
    { path: `${outDir}/regions.gen.ts`, content: regionsModule(document) },
    { path: `${outDir}/protocol.gen.ts`, content: protocolModule(document, operations) },
    { path: `${outDir}/operation-validators.gen.ts`, content: operationValidatorsModule(operations) },
    { path: `${outDir}/index.gen.ts`, content: indexModule(entries) },
    { path: `${outDir}/json-schemas.gen.ts`, content: jsonSchemasModule(entries) },
    { path: `${outDir}/types.gen.ts`, content: typesModule(entries) },
  ];
  // The schemas its validator calls, whose hints its own table takes in.
  const callsOf = new Map(
    entries.map((entry) => [
      entry.name,
      [...new Set([...JSON.stringify(entry.ajvSchema).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] as string))],
    ]),
  );
  // Whether its validator can report an `anyOf`/`oneOf` failure: the schema, or one it calls (at any depth), has one.
  const ownAlternatives = new Map(entries.map((entry) => [entry.name, /"(anyOf|oneOf)":/.test(JSON.stringify(entry.ajvSchema))]));
  const hasAlternatives = (name: string, seen = new Set<string>()): boolean => {
    if (seen.has(name)) return false;
    seen.add(name);
    return ownAlternatives.get(name) === true || (callsOf.get(name) ?? []).some((called) => hasAlternatives(called, seen));
  };
  for (const entry of entries) {
    const hints = collectHints(entry.ajvSchema, entry.secrets, `${entry.name}#`);
    const calls = callsOf.get(entry.name) ?? [];
    files.push({
      path: `${outDir}/validate-${validatorFileBase(entry)}.gen.ts`,
      content: apiModule(entry, hints, calls, hasAlternatives(entry.name)),
    });
  }
  files.push(
    { path: `${outDir}/validators.gen.js`, content: validatorsModule(entries) },
    { path: `${outDir}/validators.gen.d.ts`, content: validatorDeclarations(entries) },
  );
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
