import {
  type OperationId,
  type OperationValidators,
  operations,
  operationValidators,
  type ValidationResult,
} from "@geminidb-sessions/validation";
import { TokenSource } from "./credentials.js";
import { AbortError, InvalidResponseError, ValidationError } from "./errors.js";
import { CALL_OPTION_NAMES, type CallOptions, callRetryHook, callRetryPolicy, type ResolvedCoreOptions } from "./options.js";
import { PROJECT_HEADER } from "./signing-profile.js";

/** One row of the generated operations table. */
export type Operation = (typeof operations)[OperationId];

/** What an HTTP field value may hold: tab, visible ASCII, space and Latin-1 (RFC 9110 field-content and obs-text). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** The keys of a call's input that are options of the call, not parameters of the operation. */
const CALL_OPTIONS = new Set<string>(["signal", ...CALL_OPTION_NAMES]);

/** A call, checked and laid out the way the spec sends it. */
export interface PreparedCall {
  operation: Operation;
  /** The operation's input and success-body checks (the success body is checked with them). */
  checks: OperationValidators;
  /** Path parameters by their spec name, e.g. `{ project_id, instance_id }`. */
  path: Record<string, string>;
  /** Query parameters that were given, by their spec name. */
  query: Record<string, string | number | boolean>;
  /** Header parameters that were given, plus `X-Project-Id` on AK/SK requests (its signature names the path's project). */
  headers: Record<string, string>;
  /** The JSON body, as given (checked against its schema); undefined for operations without one. */
  body: unknown;
  /** The request target: the path template filled in (each value percent-encoded) and the query string. */
  target: string;
  /** The checked input, by input name (`projectId` filled in): what the next page of a list is asked with. */
  values: Readonly<Record<string, unknown>>;
  /**
   * The call's own `timeoutMs` / `maxRetries` / `onRetry` (checked), to hand to the transport in the
   * request's `init` (`createCoreFetch` reads them there); empty when the call sets none.
   */
  callOptions: CallOptions;
}

function throwIssues(result: ValidationResult<unknown>): void {
  if (result.ok) return;
  const first = result.issues[0] ?? { path: "input", message: "input: is not valid", rule: "invalid" };
  const field = first.path.split(/[.[]/)[0] || "input";
  throw new ValidationError(field, first.rule, first.message, result.issues);
}

/** The operation `operationId` names, or a `ValidationError`. */
export function operationById(operationId: string): Operation {
  const operation = (operations as Record<string, Operation>)[operationId];
  if (operation === undefined) throw new ValidationError("operationId", "enum", `'${operationId}' is not an operation of the API`);
  return operation;
}

/** The operation at a method and path template (as openapi-fetch's `schemaPath` gives it), if the spec has one. */
export function operationAt(method: string, template: string): Operation | undefined {
  const upper = method.toUpperCase();
  return Object.values(operations as Record<string, Operation>).find((op) => op.method === upper && op.path === template);
}

interface PathMatcher {
  method: string;
  pattern: RegExp;
  names: string[];
}

/** Each operation's path template as a pattern capturing its parameters, by method; made when first needed. */
let pathMatchers: PathMatcher[] | undefined;

function makePathMatchers(): PathMatcher[] {
  return Object.values(operations as Record<string, Operation>).map((operation) => {
    const names: string[] = [];
    const source = operation.path
      .split(/\{([^}]+)\}/)
      .map((part, index) => {
        if (index % 2 === 0) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
        names.push(part);
        return "([^/]+)";
      })
      .join("");
    return { method: operation.method, pattern: new RegExp(`^${source}$`), names };
  });
}

/**
 * The path parameters of a request to one of the spec's operations, by their spec name
 * (`{ project_id, instance_id }`), decoded; undefined for a path no operation has.
 */
export function pathParametersOf(method: string, pathname: string): Record<string, string> | undefined {
  const upper = method.toUpperCase();
  pathMatchers ??= makePathMatchers();
  for (const matcher of pathMatchers) {
    if (matcher.method !== upper) continue;
    const match = matcher.pattern.exec(pathname);
    if (match === null) continue;
    const out: Record<string, string> = {};
    matcher.names.forEach((name, index) => {
      const raw = match[index + 1] ?? "";
      try {
        out[name] = decodeURIComponent(raw);
      } catch {
        out[name] = raw;
      }
    });
    return out;
  }
  return undefined;
}

/**
 * Checks one call's input before any I/O, the same way for both client flavours and every
 * operation: the input is an object holding the operation's parameters by their input names
 * (`instanceId`, `nodeId`, `addrPrefix`, ...) and its `body`, checked against the spec's
 * schemas by the generated validators, with `projectId` defaulting to the client's. Unknown
 * keys are refused, so a misspelt parameter never goes unnoticed. Throws `ValidationError`
 * naming the first field at fault. `factory` names the function that takes the client-wide
 * `projectId`, for the message.
 *
 * @example
 * const call = prepareCall("listNodeSessions", { nodeId, limit: 10 }, options, "createSessionsClient");
 * await fetch(new URL(call.target, options.endpoint), { method: call.operation.method, headers: call.headers });
 */
export function prepareCall(operationId: OperationId, input: unknown, options: ResolvedCoreOptions, factory: string): PreparedCall {
  return prepareOperationCall(operationById(operationId), operationValidators[operationId], input, options, factory);
}

/**
 * `prepareCall` for an operation given by its generated constants (`closeInstanceSessionsOperation`
 * and `closeInstanceSessionsChecks` of `@geminidb-sessions/validation`) rather than by its ID, so a
 * program that calls one operation bundles that operation's checks alone.
 *
 * @example
 * const call = prepareOperationCall(closeInstanceSessionsOperation, closeInstanceSessionsChecks, { instanceId }, options, "myClient");
 */
export function prepareOperationCall(
  operation: Operation,
  checks: OperationValidators,
  input: unknown,
  options: ResolvedCoreOptions,
  factory: string,
): PreparedCall {
  const { operationId } = operation;
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new ValidationError("input", "type", `must be an object with the parameters of ${operationId}`);
  const given = input as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(given)) if (!CALL_OPTIONS.has(key) && given[key] !== undefined) values[key] = given[key];
  if (values.projectId === undefined && hasProjectId(operation)) {
    if (options.projectId === undefined)
      throw new ValidationError("projectId", "required", `is required: pass it to ${factory} or to this call`);
    values.projectId = options.projectId;
  }
  throwIssues(checks.input(values));
  const callOptions: CallOptions = {};
  for (const name of CALL_OPTION_NAMES) if (given[name] !== undefined) (callOptions as Record<string, unknown>)[name] = given[name];
  callRetryPolicy(options.retry, callOptions);
  callRetryHook(callOptions);
  return layOut(operation, values, options, checks, callOptions);
}

/** Whether `operation` takes a `projectId` parameter. */
function hasProjectId(operation: Operation): boolean {
  for (const parameter of operation.parameters) if (parameter.key === "projectId") return true;
  return false;
}

/**
 * The same checks for a call given in the spec's own terms (openapi-fetch's `params` and
 * `body`): every parameter is mapped to its input name and checked exactly as `prepareCall`
 * checks it, so `client.raw` can never send what the typed methods refuse.
 */
export function checkWireCall(
  operation: Operation,
  params: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> },
  body: unknown,
  options: ResolvedCoreOptions,
): PreparedCall {
  const values: Record<string, unknown> = {};
  for (const parameter of operation.parameters) {
    const value = params[parameter.in]?.[parameter.name];
    if (value !== undefined) values[parameter.key] = value;
  }
  if (body !== undefined) values.body = body;
  const checks = operationValidators[operation.operationId];
  throwIssues(checks.input(values));
  return layOut(operation, values, options, checks, {});
}

function layOut(
  operation: Operation,
  values: Record<string, unknown>,
  options: ResolvedCoreOptions,
  checks: OperationValidators,
  callOptions: CallOptions,
): PreparedCall {
  const path: Record<string, string> = {};
  const query: Record<string, string | number | boolean> = {};
  const headers: Record<string, string> = {};
  // As openapi-fetch writes a query (form style, each value percent-encoded), so both ways of sending give one URL.
  const search: string[] = [];
  for (const parameter of operation.parameters) {
    const value = values[parameter.key];
    if (value === undefined) continue;
    if (parameter.in === "path") path[parameter.name] = String(value);
    else if (parameter.in === "query") {
      query[parameter.name] = value as string | number | boolean;
      search.push(`${parameter.name}=${encodeURIComponent(String(value))}`);
    } else {
      const text = String(value);
      // What the spec's schema allows may still be no HTTP field value (a line break, a character past Latin-1).
      if (!HEADER_VALUE.test(text))
        throw new ValidationError(
          parameter.key,
          "format",
          `${parameter.key}: must be a valid HTTP header value (no line breaks or control characters, nothing past Latin-1)`,
        );
      headers[parameter.name] = text;
    }
  }
  if (!(options.credentials instanceof TokenSource) && path.project_id !== undefined) headers[PROJECT_HEADER] = path.project_id;
  const filled = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(path[name] ?? ""));
  const queryString = search.join("&");
  return {
    operation,
    path,
    query,
    headers,
    body: values.body,
    target: queryString === "" ? filled : `${filled}?${queryString}`,
    values,
    checks,
    callOptions,
  };
}

/**
 * Every page of a paginated operation (one with `x-pagination`), in order: sends `first`,
 * then the same call with the offset moved past the items received, until the list's total
 * is reached or a page comes back empty, so no page past the end is ever asked for.
 * `signal` ends the iteration at once, also between pages.
 *
 * @example
 * for await (const page of paginate(first, options, (call) => send(call), signal)) use(page.data);
 */
export async function* paginate<Result extends { data: unknown }>(
  first: PreparedCall,
  options: ResolvedCoreOptions,
  send: (call: PreparedCall) => Promise<Result>,
  signal?: AbortSignal,
): AsyncGenerator<Result, void, undefined> {
  const { operation } = first;
  const pagination = operation.pagination as Record<string, string> | null;
  const offsetKey = operation.parameters.find((p) => p.name === pagination?.offset)?.key;
  if (pagination === null || offsetKey === undefined)
    throw new ValidationError("operationId", "pagination", `${operation.operationId} does not page through a list`);
  let call = first;
  let offset = Number(first.values[offsetKey] ?? 0);
  for (;;) {
    if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
    const page = await send(call);
    yield page;
    const data = (page.data ?? {}) as Record<string, unknown>;
    const items = data[pagination.items as string];
    const total = data[pagination.total as string];
    const received = Array.isArray(items) ? items.length : 0;
    offset += received;
    if (received === 0 || typeof total !== "number" || offset >= total) return;
    call = layOut(operation, { ...call.values, [offsetKey]: offset }, options, first.checks, first.callOptions);
  }
}

/**
 * The success body of a 2xx response, checked against the operation's success schema. An
 * empty body stands for `{}` (a gateway may send none for the closes). Throws
 * `InvalidResponseError` when the body is not JSON or does not match.
 */
export function readSuccessBody(operation: Operation, text: string, status: number, requestId: string | undefined): unknown {
  if (text.trim() === "") return checkSuccessBody(operation, {}, status, requestId);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new InvalidResponseError(
      `${operation.operationId}: the ${status} response is not JSON (${text.length} bytes), so it cannot be the success body the spec describes`,
      { status, requestId },
    );
  }
  return checkSuccessBody(operation, body, status, requestId);
}

/** `readSuccessBody` for a body already parsed: `body` checked against the operation's success schema, and returned. */
export function checkSuccessBody(operation: Operation, body: unknown, status: number, requestId: string | undefined): unknown {
  return checkBodyWith(operationValidators[operation.operationId], operation, body, status, requestId);
}

/** `checkSuccessBody` with the operation's checks given (a prepared call holds them), so no table of all operations is needed. */
export function checkBodyWith(
  checks: OperationValidators,
  operation: Operation,
  body: unknown,
  status: number,
  requestId: string | undefined,
): unknown {
  const check = checks.success;
  const result = check === undefined ? undefined : check(body);
  if (result !== undefined && !result.ok) {
    const first = result.issues[0]?.message ?? "does not match";
    throw new InvalidResponseError(
      `${operation.operationId}: the ${status} response body does not match the spec's success schema (${first})`,
      { status, requestId, issues: result.issues },
    );
  }
  return body;
}
