import { countingFetch, hang, json, raw, sequence, startRecordingServer, truncated } from "@geminidb-sessions/test-utils";
import { describe, expect, it, vi } from "vitest";
import {
  AbortError,
  ApiError,
  ConnectionError,
  FetchError,
  GeminiDbError,
  NotFoundError,
  PermissionDeniedError,
  TimeoutError,
} from "../src/index.js";
import { apiFor, entryPointNames, entryPoints, instanceId, rejectionOf, useServer } from "./support.js";

const ctx = useServer();

function failure(options: Parameters<typeof apiFor>[1] = {}): Promise<unknown> {
  return rejectionOf(apiFor(ctx.server, options).closeInstanceSessions({ instanceId }));
}

describe("typed errors, never the generator's wrappers", () => {
  it.each(entryPointNames)("%s throws core's ApiError for an error status", async (name) => {
    ctx.server.respondWith(json(404, { error_code: "DBS.200002", error_msg: "The DB instance does not exist." }));
    const error = await rejectionOf(entryPoints[name](apiFor(ctx.server), { instanceId }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: "DBS.200002", status: 404 });
  });

  it.each(entryPointNames)("%s throws core's ConnectionError, not the generator's FetchError, when nothing answers", async (name) => {
    const closed = await startRecordingServer();
    await closed.close();
    const error = await rejectionOf(entryPoints[name](apiFor(closed, { maxRetries: 0 }), { instanceId }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(FetchError);
  });

  it("parses the gateway's nested body form", async () => {
    ctx.server.respondWith(json(403, { error: { code: "APIGW.0302", message: "denied" } }));
    expect(await failure()).toMatchObject({ status: 403, code: "APIGW.0302" });
  });

  it.each([
    ["an HTML page", raw(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", { "content-type": "text/html" })],
    ["an empty body", raw(500, "")],
    ["non-JSON text", raw(400, "oops, not json", { "content-type": "application/json" })],
    ["a truncated body", truncated(500, '{"error_code":"APIGW.01')],
  ])("survives %s: an ApiError with the status", async (_label, responder) => {
    ctx.server.respondWith(responder);
    const error = await failure({ maxRetries: 0 });
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBeGreaterThanOrEqual(400);
  });

  it("retries a catalog-retryable 403 (DBS.200019) up to maxRetries", async () => {
    ctx.server.respondWith(json(403, { error_code: "DBS.200019", error_msg: "busy" }));
    expect(await failure({ maxRetries: 2 })).toMatchObject({ code: "DBS.200019", retryable: true });
    expect(ctx.server.requests).toHaveLength(3);
  });

  it("does not retry a non-retryable 404", async () => {
    ctx.server.respondWith(json(404, { error_code: "DBS.200002", error_msg: "The DB instance does not exist." }));
    expect(await failure()).toBeInstanceOf(NotFoundError);
    expect(ctx.server.requests).toHaveLength(1);
  });

  it("honors Retry-After on 429 before retrying", async () => {
    const waits: number[] = [];
    ctx.server.respondWith(
      sequence(json(429, { error_code: "APIGW.0308", error_msg: "throttled" }, { "retry-after": "3" }), json(200, {})),
    );
    await apiFor(ctx.server, { runtime: { sleep: async (ms: number) => void waits.push(ms) } }).closeInstanceSessions({ instanceId });
    expect(waits).toEqual([3000]);
    expect(ctx.server.requests).toHaveLength(2);
  });

  it("gives up on a server that never answers: TimeoutError after every attempt", async () => {
    ctx.server.respondWith(hang());
    const counted = countingFetch();
    const error = await failure({ timeoutMs: 100, maxRetries: 1, fetch: counted.fetch });
    expect(error).toBeInstanceOf(TimeoutError);
    expect(counted.sent()).toBe(2);
  });

  it("the signal in the generator's init overrides aborts the wait before a retry, sending nothing more", async () => {
    const controller = new AbortController();
    ctx.server.respondWith(json(503, { error_code: "APIGW.0202", error_msg: "down" }, { "retry-after": "30" }));
    const api = apiFor(ctx.server, { runtime: {} }); // the real sleep: 30 s unless aborted
    const call = rejectionOf(api.closeInstanceSessions({ instanceId }, { signal: controller.signal }));
    await vi.waitFor(() => expect(ctx.server.requests).toHaveLength(1), { timeout: 10_000 });
    controller.abort();
    expect(await call).toBeInstanceOf(AbortError);
    expect(ctx.server.requests).toHaveLength(1);
  });

  it("a signal given by an init-override function applies too", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejectionOf(apiFor(ctx.server).closeInstanceSessions({ instanceId }, async () => ({ signal: controller.signal })));
    expect(error).toBeInstanceOf(AbortError);
    expect(ctx.server.requests).toHaveLength(0);
  });
});

describe("errors through the generator's middleware hooks", () => {
  it("onError sees core's typed error (statuses are mapped inside the fetch)", async () => {
    ctx.server.respondWith(json(404, { error_code: "DBS.200002", error_msg: "The DB instance does not exist." }));
    const seen: unknown[] = [];
    const api = apiFor(ctx.server).withMiddleware({ onError: async ({ error }) => void seen.push(error) });
    expect(await rejectionOf(api.closeInstanceSessions({ instanceId }))).toBeInstanceOf(NotFoundError);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(NotFoundError);
  });

  it("a non-2xx response handed back by a post middleware becomes core's ApiError, not ResponseError", async () => {
    const api = apiFor(ctx.server).withPostMiddleware(
      async () =>
        new Response(JSON.stringify({ error_code: "APIGW.0302", error_msg: "denied" }), {
          status: 403,
          headers: { "content-type": "application/json", "x-request-id": "req-post" },
        }),
    );
    const error = await rejectionOf(api.closeInstanceSessions({ instanceId }));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ code: "APIGW.0302", requestId: "req-post" });
  });

  it("an error thrown by a pre middleware passes through unchanged", async () => {
    const mine = new Error("refused by my middleware");
    const api = apiFor(ctx.server).withPreMiddleware(async () => {
      throw mine;
    });
    expect(await rejectionOf(api.closeInstanceSessions({ instanceId }))).toBe(mine);
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("every error a call throws is a GeminiDbError", async () => {
    ctx.server.respondWith(raw(500, "<html>oops</html>", { "content-type": "text/html" }));
    expect(await failure({ maxRetries: 0 })).toBeInstanceOf(GeminiDbError);
  });
});
