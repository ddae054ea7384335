import {
  type ValidationResult,
  validateAccessKey,
  validateIamToken,
  validateInstanceId,
  validateProjectId,
  validateSecretKey,
  validateSecurityToken,
} from "@geminidb-sessions/validation";
import { ValidationError } from "./errors.js";

/** The value of an ok result, or a `ValidationError` carrying every issue (messages never quote a credential). */
function valueOrThrow(result: ValidationResult<string>, field: string): string {
  if (result.ok) return result.value;
  const first = result.issues[0] ?? { path: field, message: `${field}: is not valid`, rule: "invalid" };
  throw new ValidationError(field, first.rule, first.message, result.issues);
}

/**
 * Returns `value` as a project ID, or throws a `ValidationError` naming `field`.
 *
 * @example
 * const projectId = checkProjectId(input.projectId, "projectId");
 */
export function checkProjectId(value: unknown, field = "projectId"): string {
  return valueOrThrow(validateProjectId(value, field), field);
}

/**
 * Returns `value` as an instance ID, or throws a `ValidationError` naming `field`.
 * An ID holding `/`, `?`, `#`, `%` or `..` never passes, so it can never change the request line.
 *
 * @example
 * const instanceId = checkInstanceId(input.instanceId, "instanceId");
 */
export function checkInstanceId(value: unknown, field = "instanceId"): string {
  return valueOrThrow(validateInstanceId(value, field), field);
}

/** Returns `value` as an IAM token, or throws a `ValidationError` naming `field` (never the value). */
export function checkIamToken(value: unknown, field = "credentials.token"): string {
  return valueOrThrow(validateIamToken(value, field), field);
}

/** Returns `value` as an access key, or throws a `ValidationError` naming `field`. */
export function checkAccessKey(value: unknown, field = "credentials.accessKey"): string {
  return valueOrThrow(validateAccessKey(value, field), field);
}

/** Returns `value` as a secret key, or throws a `ValidationError` naming `field` (never the value). */
export function checkSecretKey(value: unknown, field = "credentials.secretKey"): string {
  return valueOrThrow(validateSecretKey(value, field), field);
}

/** Returns `value` as a security token, or throws a `ValidationError` naming `field` (never the value). */
export function checkSecurityToken(value: unknown, field = "credentials.securityToken"): string {
  return valueOrThrow(validateSecurityToken(value, field), field);
}

/** An error body, flattened to what the error needs. */
export interface ParsedErrorBody {
  code: string;
  message: string;
  requestId: string | undefined;
}

/**
 * The error body in either of its forms (`{error_code,error_msg}` or
 * `{error:{code,message}}`), flattened; undefined when it names no code. The flat
 * form wins when both are present (its `error_code` a string). A body the schema
 * (`ErrorBody`) refuses still gives its code, a missing message reads as `""`:
 * half a body beats none.
 */
export function parseErrorBody(value: unknown): ParsedErrorBody | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const body = value as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const flat = text(body.error_code) !== undefined;
  const nested = typeof body.error === "object" && body.error !== null ? (body.error as Record<string, unknown>) : {};
  const code = flat ? text(body.error_code) : text(nested.code);
  if (code === undefined || code === "") return undefined;
  const message = flat ? text(body.error_msg) : text(nested.message);
  return { code, message: message ?? "", requestId: flat ? text(body.request_id) : text(nested.request_id) };
}

/** Edit distance (insertions, deletions, substitutions) between two short names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known name closest to `name`, when one is close enough to be a likely slip: the same
 * letters in another case or with `_`/`-` (`max_retries` → `maxRetries`), a prefix of it
 * (`timeout` → `timeoutMs`), or a few letters off (`projectID`, `retries` → `maxRetries`).
 *
 * @example
 * closestName("timeout", ["timeoutMs", "maxRetries"]); // "timeoutMs"
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const fold = (text: string) => text.toLowerCase().replace(/[-_\s]/g, "");
  const wanted = fold(name);
  if (wanted === "") return undefined;
  let best: { name: string; score: number } | undefined;
  for (const candidate of known) {
    const folded = fold(candidate);
    const score =
      folded === wanted
        ? 0
        : folded.startsWith(wanted) || folded.endsWith(wanted) || wanted.startsWith(folded)
          ? 1
          : editDistance(wanted, folded) <= Math.max(2, Math.floor(folded.length / 3))
            ? 1 + editDistance(wanted, folded)
            : Number.POSITIVE_INFINITY;
    if (score < (best?.score ?? Number.POSITIVE_INFINITY)) best = { name: candidate, score };
  }
  return best?.name;
}

/**
 * Refuses a key of `given` that is not in `known`, naming it (under `prefix`) and the closest
 * known one, so a misspelt option (`timeout: 5`) is never silently ignored.
 */
export function refuseUnknownKeys(given: object, known: readonly string[], prefix = ""): void {
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue;
    const suggestion = closestName(key, known);
    const hint = suggestion === undefined ? `known: ${known.join(", ")}` : `did you mean \`${prefix}${suggestion}\`?`;
    throw new ValidationError(`${prefix}${key}`, "unknown", `is not an option (${hint})`);
  }
}
