import { AbortError, ApiError, BadRequestError, ConnectionError, NotFoundError, TimeoutError } from "@geminidb-sessions/core";
import { countingFetch, hang, json, raw, sequence, startRecordingServer, truncated } from "@geminidb-sessions/test-utils";
import { describe, expect, it, vi } from "vitest";
import { clientFor, instanceId, useServer } from "./support.js";

const ctx = useServer();

async function failure(options: Parameters<typeof clientFor>[1] = {}): Promise<unknown> {
  return clientFor(ctx.server, options)
    .closeInstanceSessions({ instanceId })
    .then(
      () => {
        throw new Error("expected the call to fail");
      },
      (error: unknown) => error,
    );
}

describe("typed errors", () => {
  it("parses the gateway's nested body form", async () => {
    ctx.server.respondWith(json(403, { error: { code: "APIGW.0302", message: "denied" } }));
    expect(await failure()).toMatchObject({ status: 403, code: "APIGW.0302" });
  });

  it("keeps an unknown code as a string and falls back to the status for retryability", async () => {
    ctx.server.respondWith(json(400, { error_code: "DBS.999999", error_msg: "new" }));
    const error = await failure();
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ code: "DBS.999999", retryable: false });
  });

  it.each([
    ["an HTML page", raw(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", { "content-type": "text/html" })],
    ["an empty body", raw(500, "")],
    ["non-JSON text", raw(400, "oops, not json", { "content-type": "application/json" })],
    ["a truncated body", truncated(500, '{"error_code":"APIGW.01')],
  ])("survives %s: an error with the status and a short snippet", async (_label, responder) => {
    ctx.server.respondWith(responder);
    const error = await failure({ maxRetries: 0 });
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBeGreaterThanOrEqual(400);
    expect((error as ApiError).message.length).toBeLessThan(400);
  });

  it("does not retry a non-retryable 404", async () => {
    ctx.server.respondWith(json(404, { error_code: "DBS.200002", error_msg: "The DB instance does not exist." }));
    expect(await failure()).toBeInstanceOf(NotFoundError);
    expect(ctx.server.requests).toHaveLength(1);
  });

  it("retries a catalog-retryable 403 (DBS.200019) up to maxRetries", async () => {
    ctx.server.respondWith(json(403, { error_code: "DBS.200019", error_msg: "busy" }));
    expect(await failure({ maxRetries: 2 })).toMatchObject({ code: "DBS.200019", retryable: true });
    expect(ctx.server.requests).toHaveLength(3);
  });

  it("honors Retry-After on 429 before retrying", async () => {
    const waits: number[] = [];
    ctx.server.respondWith(
      sequence(json(429, { error_code: "APIGW.0308", error_msg: "throttled" }, { "retry-after": "3" }), json(200, {})),
    );
    await clientFor(ctx.server, { runtime: { sleep: async (ms: number) => void waits.push(ms) } }).closeInstanceSessions({ instanceId });
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

  it("reports a refused connection as ConnectionError", async () => {
    const closed = await startRecordingServer();
    await closed.close();
    const error = await clientFor(closed, { maxRetries: 0 })
      .closeInstanceSessions({ instanceId })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it("an abort during the wait before a retry ends the call at once, sending nothing more", async () => {
    const controller = new AbortController();
    ctx.server.respondWith(json(503, { error_code: "APIGW.0202", error_msg: "down" }, { "retry-after": "30" }));
    const client = clientFor(ctx.server, { runtime: {} }); // the real sleep: 30 s unless aborted
    const call = client.closeInstanceSessions({ instanceId, signal: controller.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(ctx.server.requests).toHaveLength(1), { timeout: 10_000 });
    controller.abort();
    expect(await call).toBeInstanceOf(AbortError);
    expect(ctx.server.requests).toHaveLength(1);
  });
});
