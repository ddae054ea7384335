import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { authenticate } from "./authenticate.js";
import type { FaultDecision, FaultInjector } from "./fault-injector.js";
import type { EmulatorLimits } from "./limits.js";
import { readBoundedBody } from "./read-body.js";
import { newRequestId } from "./request-id.js";
import type { RequestLogEntry } from "./request-log.js";
import { writeError, writeHtmlPage, writeJson, writeMalformedJson } from "./respond.js";
import { matchRequestTarget } from "./route.js";
import { checkPathParams } from "./spec-checks.js";
import type { World } from "./world.js";

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
    outcome = { status: 502, code: "APIGW.0202" };
    if (!response.headersSent && !response.destroyed) writeError(response, "APIGW.0202", { requestId, origin: "gateway", close: true });
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

  // 3. Faults, injected at the gateway.
  const decision = context.faults.decide(target.params.instance_id);
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

  // 4. Credentials, then the parameters' form, then the credential's scope: a malformed
  // project ID is a parameter error (400) rather than a project the caller lacks (401).
  const signed = { method, rawTarget: request.url ?? "", headers: request.headers, body: body.body };
  const auth = await authenticate(signed, context.world, context.now());
  if (!auth.ok) return { ...gatewayError("APIGW.0301"), authFailure: auth.reason };
  const params = checkPathParams(target.params);
  if (!params.ok) return { status: writeError(response, "DBS.200001", { requestId }), code: "DBS.200001" };
  if (!auth.principal.allows(params.value.project_id)) return { ...gatewayError("APIGW.0301"), authFailure: "project-not-in-scope" };

  // 5. The service: the instance and its nodes.
  const result = await context.world.clearSessions(params.value.project_id, params.value.instance_id);
  if (!result.ok) {
    return { status: writeError(response, result.code, { requestId, ...(result.args ? { args: result.args } : {}) }), code: result.code };
  }
  writeJson(response, 200, {}, requestId);
  return { status: 200, closedSessions: result.closed };
}

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
      const status = writeError(response, effect.code, {
        requestId,
        origin: "gateway",
        ...(effect.status === undefined ? {} : { status: effect.status }),
        ...(effect.form === undefined ? {} : { form: effect.form }),
        ...(effect.message === undefined ? {} : { message: effect.message }),
        ...(effect.retryAfter === undefined ? {} : { headers: { "retry-after": String(effect.retryAfter) } }),
      });
      return { status, code: effect.code, fault: effect.type };
    }
  }
}
