/**
 * Checks an operation's parameters and body the way the spec's input schema does, with the
 * validators `@geminidb-sessions/validation` generates from the spec (the emulator's other
 * checks of spec values, the IAM token and AK/SK, call that package's `is…` guards directly).
 */
import { type OperationId, type OperationInputs, operations, operationValidators, schemas } from "@geminidb-sessions/validation";

/** The property schemas of an operation's input schema. */
function inputProperties(operationId: OperationId): Record<string, { type?: unknown; default?: unknown }> {
  const name = `${operationId.charAt(0).toUpperCase()}${operationId.slice(1)}Input`;
  return (schemas as Record<string, { properties?: Record<string, { type?: unknown; default?: unknown }> }>)[name]?.properties ?? {};
}

/** A query value as the type the operation's input schema gives the parameter (numbers and booleans arrive as text). */
function fromQueryText(operationId: OperationId, key: string, text: string): unknown {
  const type = inputProperties(operationId)[key]?.type;
  if ((type === "integer" || type === "number") && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
  return text;
}

/**
 * Checks a request's parameters (raw path segments, decoded query and headers) and JSON body
 * against the operation's input schema, as a client's input: `{ projectId, instanceId, ..., body }`.
 * Unknown query parameters are ignored, as a gateway does. Parameters left out get the
 * `default` the spec gives them (e.g. `listNodeSessions`' offset and limit).
 */
export function checkOperationInput<Id extends OperationId>(
  operationId: Id,
  request: { path: Record<string, string>; query: Record<string, string>; headers: Record<string, string | string[] | undefined> },
  body: unknown,
): { ok: true; value: OperationInputs[Id] } | { ok: false; field: string } {
  const input: Record<string, unknown> = {};
  for (const parameter of operations[operationId].parameters) {
    let value: unknown;
    if (parameter.in === "path") value = request.path[parameter.name];
    else if (parameter.in === "query") value = request.query[parameter.name];
    else value = request.headers[parameter.name.toLowerCase()];
    if (value === undefined) continue;
    input[parameter.key] = parameter.in === "query" && typeof value === "string" ? fromQueryText(operationId, parameter.key, value) : value;
  }
  if (body !== undefined) input.body = body;
  const result = operationValidators[operationId].input(input);
  if (!result.ok) return { ok: false, field: result.issues[0]?.path ?? "input" };
  for (const [key, property] of Object.entries(inputProperties(operationId)))
    if (input[key] === undefined && property.default !== undefined) input[key] = property.default;
  return { ok: true, value: input as unknown as OperationInputs[Id] };
}
