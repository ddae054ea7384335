// The public surface of @geminidb-sessions/validation. Everything a schema
// says (patterns, lengths, codes, regions, operations) comes from src/generated/,
// which `pnpm generate` writes from spec/openapi.yaml; its index lists every
// generated export, so a schema or operation added to the spec needs no edit here.

export * from "./generated/index.gen.js";
export { STANDARD_SCHEMA_VENDOR, type StandardSchemaV1 } from "./standard-schema.js";
export type { ValidationIssue, ValidationResult } from "./validation-result.js";
