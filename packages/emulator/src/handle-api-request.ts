import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { OperationId, OperationInputs } from "@geminidb-sessions/validation";
import { authenticate } from "./authenticate.js";
import type { FaultDecision, FaultInjector } from "./fault-injector.js";
import type { EmulatorLimits } from "./limits.js";
import { readBoundedBody } from "./read-body.js";
import { newRequestId, writeError, writeHtmlPage, writeJson, writeMalformedJson } from "./respond.js";
import { matchRequestTarget } from "./route.js";
import { checkOperationInput } from "./spec-checks.js";
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

  // 1. The request head and body, bounded.
  if (request.rawHeaders.length / 2 > limits.maxHeaderCount) return gatewayError("APIGW.0201", 400, true);
  const declaredLength = Number(request.headers["content-length"] ?? 0);
  if (declaredLength > limits.maxBodyBytes) return gatewayError("APIGW.0201", 413, true);
  const body = await readBoundedBody(request, limits.maxBodyBytes);
  if (!body.ok) {
    if (body.reason === "aborted") {
      response.destroy();
      return { status: 0 };
    }
    return gatewayError("APIGW.0201", 413, true);
  }

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
  if (context.lifetime.aborted) {
    response.destroy();
    return { status: 0 };
  }
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
  if (!auth.principal.allows(projectId)) return { ...gatewayError("APIGW.0301"), authFailure: "project-not-in-scope" };

  // 5. The service: the operation's behaviour on the world.
  const behaviour = behaviours[target.operationId] as Behaviour<OperationId> | undefined;
  if (!behaviour) {
    writeJson(
      response,
      501,
      { error_code: "EMULATOR.NOT_EMULATED", error_msg: `The emulator does not emulate ${target.operationId} yet.` },
      requestId,
    );
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
    case "malformed-json": {
      const status = effect.status ?? 500;
      writeMalformedJson(response, status, requestId);
      return { status, fault: effect.type };
    }
    case "html": {
      const status = effect.status ?? 502;
      writeHtmlPage(response, status, requestId);
      return { status, fault: effect.type };
    }
    case "throttle": {
      const status = writeError(response, "APIGW.0308", {
        requestId,
        origin: "gateway",
        headers: { "retry-after": String(effect.retryAfter ?? "1") },
      });
      return { status, code: "APIGW.0308", fault: effect.type };
    }
    case "error": {
      const { type, code, retryAfter, ...answer } = effect;
      const headers = retryAfter === undefined ? {} : { headers: { "retry-after": String(retryAfter) } };
      const status = writeError(response, code, { requestId, origin: "gateway", ...answer, ...headers });
      return { status, code: effect.code, fault: effect.type };
    }
  }
}
