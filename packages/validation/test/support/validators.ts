import type { StandardSchemaV1, ValidationResult } from "../../src/index.js";
import * as validation from "../../src/index.js";

/** Every schema the package covers, with its exported validator, guard and Standard Schema object, found by name. */
export interface Covered {
  name: string;
  validate: (value: unknown, path?: string) => ValidationResult<unknown>;
  is: (value: unknown) => boolean;
  standard: StandardSchemaV1;
}

const exports = validation as unknown as Record<string, unknown>;

export const covered: Covered[] = Object.keys(validation.schemas).map((name) => {
  const validate = exports[`validate${name}`];
  const is = exports[`is${name}`];
  const standard = exports[`${name.charAt(0).toLowerCase()}${name.slice(1)}Schema`];
  if (typeof validate !== "function" || typeof is !== "function" || typeof standard !== "object")
    throw new Error(`the package does not export validate${name}, is${name} and its Standard Schema`);
  return { name, validate, is, standard } as Covered;
});

/** Checks the documented shape of a result and returns it. */
export function wellFormed(result: ValidationResult<unknown>): ValidationResult<unknown> {
  if (result.ok) return result;
  if (!Array.isArray(result.issues) || result.issues.length === 0) throw new Error("a failed result must carry at least one issue");
  for (const issue of result.issues) {
    if (typeof issue.path !== "string" || typeof issue.message !== "string" || typeof issue.rule !== "string" || issue.message.length === 0)
      throw new Error(`malformed issue ${JSON.stringify(issue)}`);
  }
  return result;
}
