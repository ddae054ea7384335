import type { IncomingMessage, ServerResponse } from "node:http";
import { checkFaultRules, type FaultInjector, maxFaultRules } from "../fault-injector.js";
import { EmulatorConfigError, InputReader } from "../input-reader.js";
import { readBoundedBody } from "../listener.js";
import { adminTokenHeader, hasAdminToken, headerValue, isAllowedHost } from "../request-guard.js";
import { newRequestId, writeJson } from "../respond.js";
import { EmulatorStateError, maxSessionsPerOpen, type World } from "../world.js";

/** What the admin API works with. */
export interface AdminContext {
  world: World;
  faults: FaultInjector;
  apiUrl: string;
  /** The secret every admin call must carry in {@link adminTokenHeader}. */
  adminToken: string;
  /** The names a `Host` header may give (with the admin port). */
  hostNames: ReadonlySet<string>;
}

/** Admin request bodies larger than this are refused. */
export const maxAdminBodyBytes: number = 256 * 1024;

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === "::1" || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const body = await readBoundedBody(request, maxAdminBodyBytes);
  if (!body.ok) throw new AdminError(413, `Body larger than ${maxAdminBodyBytes} bytes`);
  if (body.body.length === 0) return undefined;
  try {
    return JSON.parse(body.body.toString("utf8"));
  } catch {
    throw new AdminError(400, "Body is not JSON");
  }
}

function readStatus(input: unknown): string {
  const reader = new InputReader();
  const record = reader.object(input, "$");
  const status = record ? reader.string(record.status, "status") : undefined;
  if (status === undefined) throw new EmulatorConfigError('Expected { "status": "..." }', reader.issues);
  return status;
}

async function route(context: AdminContext, request: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const method = request.method ?? "";
  const path = (request.url ?? "").split("?")[0] ?? "";
  const segments = path.split("/").slice(1).map(decodeURIComponent);
  const [first, second, third, fourth] = segments;

  if (path === "/state" && method === "GET") {
    return { status: 200, body: { apiUrl: context.apiUrl, world: await context.world.snapshot(), faults: context.faults.list() } };
  }
  if (path === "/faults") {
    if (method === "GET") return { status: 200, body: { faults: context.faults.list() } };
    if (method === "POST") {
      const input = await readJson(request);
      const rules = Array.isArray(input) ? checkFaultRules(input, (index) => `[${index}]`) : checkFaultRules([input], () => "$");
      // All or nothing: a list that would pass the cap adds none of its rules.
      if (context.faults.list().length + rules.length > maxFaultRules) {
        throw new AdminError(409, `At most ${maxFaultRules} fault rules can be active; remove some first`);
      }
      const ids = rules.map((rule) => context.faults.add(rule));
      return { status: 201, body: { ids } };
    }
    if (method === "DELETE") {
      const removed = context.faults.list().length;
      context.faults.clear();
      return { status: 200, body: { removed } };
    }
  }
  if (first === "faults" && second !== undefined && segments.length === 2 && method === "DELETE") {
    if (!context.faults.remove(second)) throw new AdminError(404, `No fault rule ${second}`);
    return { status: 200, body: { removed: 1 } };
  }
  if (path === "/sessions" && method === "POST") {
    const reader = new InputReader();
    const record = reader.object(await readJson(request), "$");
    const instanceId = record ? reader.string(record.instanceId, "instanceId") : undefined;
    const count = record ? reader.integer(record.count, "count", 0, maxSessionsPerOpen) : undefined;
    const nodeId = record?.nodeId === undefined ? undefined : reader.string(record.nodeId, "nodeId");
    const idleSeconds = record?.idleSeconds === undefined ? undefined : reader.integer(record.idleSeconds, "idleSeconds", 0, 10_000_000);
    if (instanceId === undefined || count === undefined || reader.issues.length > 0) {
      throw new EmulatorConfigError("Expected { instanceId, count, nodeId?, idleSeconds? }", reader.issues);
    }
    await context.world.openSessions(instanceId, count, nodeId, idleSeconds === undefined ? {} : { idleSeconds });
    return { status: 200, body: { instanceId, sessions: await context.world.sessionCounts(instanceId) } };
  }
  if (first === "instances" && second !== undefined && method === "PATCH") {
    if (segments.length === 2) {
      context.world.setInstanceStatus(second, readStatus(await readJson(request)));
      return { status: 200, body: { instanceId: second } };
    }
    if (segments.length === 4 && third === "nodes" && fourth !== undefined) {
      context.world.setNodeStatus(second, fourth, readStatus(await readJson(request)));
      return { status: 200, body: { instanceId: second, nodeId: fourth } };
    }
  }
  throw new AdminError(404, `No admin route ${method} ${path}`);
}

function adminStatus(error: unknown): number {
  if (error instanceof AdminError) return error.status;
  if (error instanceof EmulatorStateError) return error.reason === "not-found" ? 404 : 400;
  if (error instanceof EmulatorConfigError || error instanceof URIError) return 400;
  return 500;
}

function adminMessage(error: unknown): string {
  if (error instanceof URIError) return "Bad percent-encoding in the path";
  return error instanceof Error ? error.message : String(error);
}

/**
 * Answers one admin request: `GET /state`, `GET|POST|DELETE /faults`, `DELETE /faults/{id}`,
 * `POST /sessions`, `PATCH /instances/{id}`, `PATCH /instances/{id}/nodes/{nodeId}`.
 * Only loopback peers are served, and only when the `Host` header names the admin listener
 * (no DNS rebinding), no `Origin` header says a web page sent it, and the admin token is sent
 * in `X-Admin-Token`.
 */
export async function handleAdminRequest(context: AdminContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  const refusal: [number, string] | undefined = !isLoopback(request.socket.remoteAddress)
    ? [403, "The admin API serves loopback clients only"]
    : !isAllowedHost(request.headers.host, context.hostNames, request.socket.localPort ?? 0)
      ? [403, "The Host header does not name this emulator's admin API (DNS rebinding protection)"]
      : headerValue(request.headers.origin) !== undefined
        ? [403, "The admin API does not serve web pages (the request has an Origin header)"]
        : !hasAdminToken(request, context.adminToken)
          ? [
              401,
              `The admin API needs the ${adminTokenHeader} header: the admin token the emulator printed at start (RunningEmulator.adminToken)`,
            ]
          : undefined;
  if (refusal) return writeJson(response, refusal[0], { error: refusal[1] }, requestId, { close: true });
  try {
    const { status, body } = await route(context, request);
    writeJson(response, status, body, requestId);
  } catch (error) {
    const status = adminStatus(error);
    const issues = error instanceof EmulatorConfigError ? { issues: error.issues } : {};
    writeJson(response, status, { error: adminMessage(error), ...issues }, requestId, { close: status === 413 });
  }
}
