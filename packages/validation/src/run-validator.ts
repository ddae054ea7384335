import type { CompiledValidator, SchemaHints } from "./compiled-validator.js";
import { formatPath } from "./describe-value.js";
import { type Alternatives, type Explanation, explainErrors } from "./explain-errors.js";
import type { StandardSchemaV1 } from "./standard-schema.js";
import type { ValidationIssue, ValidationResult } from "./validation-result.js";

// Reading a value can run code (getters, proxies); when it throws, the value is reported unreadable
// rather than letting the exception (whose message might quote the value) escape.
const UNREADABLE: Explanation[] = [{ segments: [], rule: "readable", text: "could not be read (reading it threw an exception)" }];

/** Runs the validator; undefined when it throws. Kept apart so the fast path stays small. */
function check(validate: CompiledValidator, value: unknown): boolean | undefined {
  try {
    return validate(value);
  } catch {
    return undefined;
  }
}

/** Why `validate` just rejected `value`, in words. */
function explainFailure(
  validate: CompiledValidator,
  hints: SchemaHints,
  value: unknown,
  alternatives: Alternatives | undefined,
): Explanation[] {
  try {
    const explained = explainErrors(validate.errors ?? [], hints, value, alternatives);
    return explained.length > 0 ? explained : [{ segments: [], rule: "schema", text: "does not match its schema" }];
  } catch {
    return UNREADABLE;
  }
}

function toIssue(explanation: Explanation, base: string): ValidationIssue {
  const path = formatPath(base, explanation.segments);
  return { path, message: path ? `${path}: ${explanation.text}` : explanation.text, rule: explanation.rule };
}

/**
 * Runs a generated validator and words its failures, naming the value `path` in messages. Never throws.
 * `alternatives` explains `anyOf`/`oneOf` failures: the validators of schemas with them pass it.
 */
export function runValidator<T>(
  validate: CompiledValidator,
  hints: SchemaHints,
  value: unknown,
  path: string,
  alternatives?: Alternatives,
): ValidationResult<T> {
  const valid = check(validate, value);
  if (valid === true) return { ok: true, value: value as T };
  const explained = valid === false ? explainFailure(validate, hints, value, alternatives) : UNREADABLE;
  return { ok: false, issues: explained.map((e) => toIssue(e, path)) };
}

/** The same check, as a Standard Schema v1 result: messages without the value's name, `path` as property keys. */
export function runStandard<T>(
  validate: CompiledValidator,
  hints: SchemaHints,
  value: unknown,
  alternatives?: Alternatives,
): StandardSchemaV1.Result<T> {
  const valid = check(validate, value);
  if (valid === true) return { value: value as T };
  const explained = valid === false ? explainFailure(validate, hints, value, alternatives) : UNREADABLE;
  return { issues: explained.map((e) => ({ message: e.text, path: e.segments })) };
}

/** True when the generated validator accepts `value`; false when it rejects it or reading it throws. */
export function passes(validate: CompiledValidator, value: unknown): boolean {
  return check(validate, value) === true;
}
