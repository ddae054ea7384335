import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { parseAuthorization } from "@geminidb-sessions/core";
import { type ReceivedRequest, verifySignature } from "@geminidb-sessions/core/server";
import {
  authProfile,
  isIamToken,
  type OperationId,
  type OperationInputs,
  operations,
  operationValidators,
  schemas,
} from "@geminidb-sessions/validation";
import type { FaultDecision, FaultInjector } from "./fault-injector.js";
import { type EmulatorLimits, readBoundedBody } from "./listener.js";
import { headerValue, sameSecret } from "./request-guard.js";
import { newRequestId, writeBrokenAnswer, writeError, writeJson } from "./respond.js";
import type { RequestLogEntry } from "./start-emulator.js";
import type { Outcome as ServiceOutcome, World } from "./world.js";

/** What the API handler works with. */
export interface ApiContext {
  world: World;
  faults: FaultInjector;
  limits: EmulatorLimits;
  now: () => Date;
  log: ((entry: RequestLogEntry) => void) | undefined;
  /** Aborted when the emulator closes, to cut injected latencies short. */
  lifetime: AbortSignal;
}

type Outcome = Omit<RequestLogEntry, "requestId" | "method" | "target">;

/** Answers one request on the API port, in the gateway's order of checks. */
export async function handleApiRequest(context: ApiContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  const method = request.method ?? "";
  const rawTarget = request.url ?? "";
  let outcome: Outcome;
  try {
    outcome = await answer(context, request, response, requestId);
  } catch {
    // An emulator failure looks to the caller like an unavailable backend.
    outcome = { status: 502, code: "APIGW.0201" };
    if (!response.headersSent && !response.destroyed)
      writeError(response, "APIGW.0201", { requestId, origin: "gateway", status: 502, close: true });
    else response.destroy();
  }
  context.log?.({ requestId, method, target: rawTarget.slice(0, 200), ...outcome });
}

async function answer(context: ApiContext, request: IncomingMessage, response: ServerResponse, requestId: string): Promise<Outcome> {
  const { limits } = context;
  const gatewayError = (code: "APIGW.0101" | "APIGW.0201" | "APIGW.0301", status?: number, close = false): Outcome => {
    const options = { requestId, origin: "gateway" as const, close, ...(status === undefined ? {} : { status }) };
    return { status: writeError(response, code, options), code };
  };
  const dropped = (): Outcome => {
    response.destroy();
    return { status: 0 };
  };

  // 1. The request head and body, bounded.
  if (request.rawHeaders.length / 2 > limits.maxHeaderCount) return gatewayError("APIGW.0201", 400, true);
  const declaredLength = Number(request.headers["content-length"] ?? 0);
  if (declaredLength > limits.maxBodyBytes) return gatewayError("APIGW.0201", 413, true);
  const body = await readBoundedBody(request, limits.maxBodyBytes);
  if (!body.ok) return body.reason === "aborted" ? dropped() : gatewayError("APIGW.0201", 413, true);

  // 2. The route, judged on the raw target so no spelling of a path reaches another route.
  const method = request.method ?? "";
  const target = matchRequestTarget(method, request.url ?? "");
  if (target.kind === "malformed") return gatewayError("APIGW.0201", 400);
  if (target.kind === "no-route") return gatewayError("APIGW.0101");

  // 3. Faults, injected at the gateway (rules may name the instance or node the path names).
  const decision = context.faults.decide(target.params.instance_id ?? target.params.node_id ?? "");
  if (decision.latencyMs > 0) {
    // The connection is idle on purpose: keep the idle timeout from cutting the delay short.
    request.socket.setTimeout(0);
    await sleep(decision.latencyMs, undefined, { signal: context.lifetime }).catch(() => undefined);
    request.socket.setTimeout(limits.idleTimeoutMs);
  }
  if (context.lifetime.aborted) return dropped();
  if (decision.effect) return applyFault(decision.effect, request, response, requestId);

  // 4. Credentials, then the parameters' and body's form, then the credential's scope: a
  // malformed project ID is a parameter error (400) rather than a project the caller lacks (401).
  const signed = { method, rawTarget: request.url ?? "", headers: request.headers, body: body.body };
  const auth = await authenticate(signed, context.world, context.now());
  if (!auth.ok) return { ...gatewayError("APIGW.0301"), authFailure: auth.reason };
  const json = parseJsonBody(body.body, request.headers["content-type"]);
  const input = json.ok
    ? checkOperationInput(target.operationId, { path: target.params, query: target.query, headers: request.headers }, json.value)
    : undefined;
  if (!input?.ok) return { status: writeError(response, "DBS.200001", { requestId }), code: "DBS.200001" };
  const projectId = (input.value as { projectId: string }).projectId;
  if (!auth.allows(projectId)) return { ...gatewayError("APIGW.0301"), authFailure: "project-not-in-scope" };

  // 5. The service: the operation's behaviour on the world.
  const behaviour = behaviours[target.operationId] as Behaviour<OperationId> | undefined;
  if (!behaviour) {
    const error_msg = `The emulator does not emulate ${target.operationId} yet.`;
    writeJson(response, 501, { error_code: "EMULATOR.NOT_EMULATED", error_msg }, requestId);
    return { status: 501, code: "EMULATOR.NOT_EMULATED" };
  }
  const result = await behaviour(context.world, input.value);
  if (!result.ok) return { status: writeError(response, result.code, { requestId, ...result }), code: result.code };
  const { closed, ...answer } = result.value as { closed?: number };
  writeJson(response, 200, closed === undefined ? answer : {}, requestId);
  return { status: 200, ...(closed === undefined ? {} : { closedSessions: closed }) };
}

/** A request body as JSON: none when empty; refused when it is not JSON. */
function parseJsonBody(bytes: Buffer, contentType: string | undefined): { ok: true; value: unknown } | { ok: false } {
  if (bytes.length === 0) return { ok: true, value: undefined };
  if (contentType !== undefined && !/^application\/json\b/i.test(contentType)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(bytes.toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

/** What the emulated service does for one operation, given a checked input. */
type Behaviour<Id extends OperationId> = (world: World, input: OperationInputs[Id]) => Promise<ServiceOutcome<object>>;

/**
 * The emulated service, one behaviour per operation. An operation the spec gains reaches the
 * router by regeneration and answers 501 `EMULATOR.NOT_EMULATED` until its behaviour is written here.
 */
const behaviours: { [Id in OperationId]?: Behaviour<Id> } = {
  listInstanceSessions: (world, input) => world.listInstanceSessions(input.projectId, input.instanceId, input.nodeId),
  closeInstanceSessions: (world, input) => world.closeInstanceSessions(input.projectId, input.instanceId, input.nodeId),
  listNodeSessions: (world, input) =>
    // Filled in from the spec's defaults by checkOperationInput.
    world.listNodeSessions(input.projectId, input.nodeId, {
      offset: input.offset as number,
      limit: input.limit as number,
      addrPrefix: input.addrPrefix,
    }),
  getNodeSessionStatistics: (world, input) => world.nodeSessionStatistics(input.projectId, input.nodeId),
  closeNodeSessions: (world, input) => world.closeNodeSessions(input.projectId, input.nodeId, input.body),
};

function applyFault(
  effect: NonNullable<FaultDecision["effect"]>,
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
): Outcome {
  switch (effect.type) {
    case "reset":
      request.socket.resetAndDestroy();
      return { status: 0, fault: effect.type };
    case "malformed-json":
    case "html": {
      const status = effect.status ?? (effect.type === "html" ? 502 : 500);
      writeBrokenAnswer(response, effect.type, status, requestId);
      return { status, fault: effect.type };
    }
    case "throttle":
    case "error": {
      const { type, code, retryAfter, ...answer } =
        effect.type === "error" ? effect : { ...effect, code: "APIGW.0308" as const, retryAfter: effect.retryAfter ?? "1" };
      const headers = retryAfter === undefined ? {} : { headers: { "retry-after": String(retryAfter) } };
      const status = writeError(response, code, { requestId, origin: "gateway", ...answer, ...headers });
      return { status, code, fault: type };
    }
  }
}

/** Why a request's credentials were refused (every one is answered 401 APIGW.0301). */
type AuthFailure =
  | "no-credentials"
  | `token-${"malformed" | "unknown" | "expired"}`
  | `signature-${"missing" | "malformed" | "unknown-key" | "clock-skew" | "mismatch"}`
  | `security-token-${"mismatch" | "unsigned"}`
  | "project-not-in-scope";

/** Credentials that verified, and whether they are scoped to a project; or why they were refused. */
type AuthResult = { ok: true; allows: (projectId: string) => boolean } | { ok: false; reason: AuthFailure };

/**
 * Authenticates a request as the gateway does: an `X-Auth-Token` must be well formed, known
 * and unexpired; otherwise an AK/SK signature must verify (with core's verifier) and carry
 * the pair's security token when the pair is temporary, signed like every other header (a
 * token added after signing is refused, as the vendor's SDK always signs it and the signing
 * guide leaves only `Authorization` and `User-Agent` unsigned). The result then says which
 * projects the credential covers: the token's one project, or the pair's projects
 * narrowed by `X-Project-Id` when the request sends it.
 */
async function authenticate(request: ReceivedRequest, world: World, now: Date): Promise<AuthResult> {
  const token = headerValue(request.headers["x-auth-token"]);
  if (token !== undefined) {
    if (!isIamToken(token)) return { ok: false, reason: "token-malformed" };
    const found = world.tokenProject(token, now);
    if (!found.ok) return { ok: false, reason: found.reason === "expired" ? "token-expired" : "token-unknown" };
    return { ok: true, allows: (projectId) => projectId === found.projectId };
  }
  if (request.headers.authorization === undefined) return { ok: false, reason: "no-credentials" };
  // Core's verifier: the canonicalization the clients sign with and its clock-skew limit (the emulator has none of its own).
  const verified = await verifySignature(request, (accessKey) => world.accessKey(accessKey)?.secretKey, { now });
  if (!verified.ok) return { ok: false, reason: `signature-${verified.reason}` };
  const pair = world.accessKey(verified.accessKey);
  if (!pair) return { ok: false, reason: "signature-unknown-key" };
  if (pair.securityToken !== undefined) {
    const sent = headerValue(request.headers["x-security-token"]);
    if (sent === undefined || !sameSecret(sent, pair.securityToken)) return { ok: false, reason: "security-token-mismatch" };
    const signedHeaders = parseAuthorization(headerValue(request.headers.authorization) ?? "")?.signedHeaders ?? [];
    if (!signedHeaders.includes(authProfile.securityTokenHeader.toLowerCase())) return { ok: false, reason: "security-token-unsigned" };
  }
  const scopedTo = headerValue(request.headers["x-project-id"]);
  const allows = (projectId: string) => pair.projectIds.has(projectId) && (scopedTo === undefined || scopedTo === projectId);
  return { ok: true, allows };
}

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
function checkOperationInput<Id extends OperationId>(
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

/** One route of the API port: an operation of the spec's operations table. */
export interface Route {
  operationId: OperationId;
  method: string;
  template: string;
}

/** Every route the API port serves: one per operation of the spec (generated into the validation package). */
export const routes: readonly Route[] = Object.values(operations).map((op) => ({
  operationId: op.operationId,
  method: op.method,
  template: op.path,
}));

/** What the raw request target names. */
export type TargetMatch =
  /** Not an origin-form target, or it holds bytes a request target may not hold (e.g. `#`). */
  | { kind: "malformed" }
  /** No API at this method and path. */
  | { kind: "no-route" }
  /**
   * An operation, with its raw path parameters (exactly as they came on the wire, never
   * decoded) and its query parameters (decoded; a name given twice keeps the first value).
   */
  | { kind: "operation"; operationId: OperationId; params: Record<string, string>; query: Record<string, string> };

type TemplateSegment = { literal: string } | { param: string };

const compiled = routes.map((route) => ({
  route,
  segments: route.template
    .split("/")
    .slice(1)
    .map((segment): TemplateSegment => {
      const param = /^\{(.+)\}$/.exec(segment)?.[1];
      return param === undefined ? { literal: segment } : { param };
    }),
}));

// RFC 3986 `pchar` and `/` for the path, plus `?` in the query. No `#`, no spaces, no
// controls, no non-ASCII: a target holding them is malformed, never routed.
const pathCharacters = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const queryCharacters = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
const badPercentEscape = /%(?![0-9A-Fa-f]{2})/;

function parseQuery(query: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  try {
    for (const [name, value] of new URLSearchParams(query)) if (!(name in out)) out[name] = value;
  } catch {
    return undefined;
  }
  return out;
}

/**
 * Matches a method and a raw request target (as `IncomingMessage.url` gives it, before any
 * decoding or dot-segment removal) against every route. Literal segments must match byte for
 * byte, so `%73essions`, `..`, `//` or a trailing `/` never reach an operation through a
 * different spelling; a parameter segment is returned raw, for the spec's patterns to judge.
 */
export function matchRequestTarget(method: string, rawTarget: string): TargetMatch {
  if (!rawTarget.startsWith("/")) return { kind: "malformed" };
  const queryStart = rawTarget.indexOf("?");
  const path = queryStart === -1 ? rawTarget : rawTarget.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? "" : rawTarget.slice(queryStart + 1);
  if (!pathCharacters.test(path) || !queryCharacters.test(rawQuery) || badPercentEscape.test(rawTarget)) {
    return { kind: "malformed" };
  }
  const segments = path.split("/").slice(1);
  for (const { route, segments: template } of compiled) {
    if (method !== route.method || segments.length !== template.length) continue;
    const params: Record<string, string> = {};
    const matches = template.every((expected, index) => {
      const actual = segments[index] ?? "";
      if ("literal" in expected) return actual === expected.literal;
      params[expected.param] = actual;
      return true;
    });
    if (!matches) continue;
    const query = parseQuery(rawQuery);
    if (query === undefined) return { kind: "malformed" };
    return { kind: "operation", operationId: route.operationId, params, query };
  }
  return { kind: "no-route" };
}
