/**
 * The one place the emulator asks whether a value is well formed by the spec's rules
 * (path parameters, IAM token, AK/SK values). Everything else calls these; the answers come
 * from the validators `@geminidb-sessions/validation` generates from the spec.
 */
import {
  type ClearInstanceSessionsParams,
  isAccessKey,
  isIamToken,
  isInstanceId,
  isProjectId,
  isSecretKey,
  isSecurityToken,
  validateClearInstanceSessionsParams,
} from "@geminidb-sessions/validation";

export { isAccessKey, isIamToken, isInstanceId, isProjectId, isSecretKey, isSecurityToken };

/** Checks the raw path parameters against the spec's schemas. */
export function checkPathParams(input: {
  project_id: string;
  instance_id: string;
}): { ok: true; value: ClearInstanceSessionsParams } | { ok: false } {
  const result = validateClearInstanceSessionsParams(input);
  return result.ok ? { ok: true, value: result.value } : { ok: false };
}
