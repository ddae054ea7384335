import { AkSkSource } from "./credentials.js";
import { ValidationError } from "./errors.js";
import { checkInstanceId, checkProjectId } from "./input-checks.js";
import type { ResolvedCoreOptions } from "./options.js";
import { PROJECT_HEADER } from "./signing-profile.js";

/** What one call of the operation acts on, checked, and the headers that go with it. */
export interface OperationTarget {
  projectId: string;
  instanceId: string;
  /** `X-Project-Id` naming the path's project on AK/SK requests (its signature names it); empty otherwise. */
  headers: Record<string, string>;
}

/**
 * Checks one call's input before any I/O, the same way for both client flavors:
 * an object with an `instanceId`, a `projectId` from the call or the client,
 * both matching the spec's patterns. Throws `ValidationError` naming the field.
 * `factory` names the function that takes the client-wide `projectId`, for the message.
 *
 * @example
 * const { projectId, instanceId, headers } = resolveOperationTarget(input, options, "createSessionsClient");
 */
export function resolveOperationTarget(
  input: { instanceId?: unknown; projectId?: unknown } | null | undefined,
  options: ResolvedCoreOptions,
  factory: string,
): OperationTarget {
  if (typeof input !== "object" || input === null) throw new ValidationError("input", "type", "must be an object with an instanceId");
  const project = input.projectId ?? options.projectId;
  if (project === undefined) throw new ValidationError("projectId", "required", `is required: pass it to ${factory} or to this call`);
  const projectId = checkProjectId(project, "projectId");
  const instanceId = checkInstanceId(input.instanceId, "instanceId");
  const headers: Record<string, string> = options.credentials instanceof AkSkSource ? { [PROJECT_HEADER]: projectId } : {};
  return { projectId, instanceId, headers };
}
