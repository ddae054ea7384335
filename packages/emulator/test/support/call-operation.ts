import { type OperationId, type OperationInputs, operations } from "@geminidb-sessions/validation";
import type { RunningEmulator } from "../../src/index.js";
import { type ObservedResponse, observe } from "./conforming-response.js";

/**
 * Calls any operation of the spec with the emulator's token, laid out as the operations table
 * says: path parameters in the path, query parameters in the query, `body` as JSON. Values
 * are sent as given (not checked), so tests can send what a client would refuse.
 */
export async function callOperation<Id extends OperationId>(
  emulator: RunningEmulator,
  operationId: Id,
  input: Partial<Record<keyof OperationInputs[Id] | "projectId", unknown>>,
  options: { token?: string } = {},
): Promise<ObservedResponse> {
  const operation = operations[operationId];
  const values: Record<string, unknown> = { projectId: emulator.credentials.projectId, ...input };
  const query = new URLSearchParams();
  let path: string = operation.path;
  const headers: Record<string, string> = { "X-Auth-Token": options.token ?? emulator.credentials.token };
  for (const parameter of operation.parameters) {
    const value = values[parameter.key];
    if (value === undefined) continue;
    if (parameter.in === "path") path = path.replace(`{${parameter.name}}`, String(value));
    else if (parameter.in === "query") query.append(parameter.name, String(value));
    else headers[parameter.name] = String(value);
  }
  const body = values.body === undefined ? undefined : JSON.stringify(values.body);
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const search = query.toString();
  const response = await fetch(`${emulator.url}${path}${search ? `?${search}` : ""}`, {
    method: operation.method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return observe(response);
}
