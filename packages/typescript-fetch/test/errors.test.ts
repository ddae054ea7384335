import { json, startRecordingServer } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { ConnectionError, FetchError, NotFoundError, PermissionDeniedError } from "../src/index.js";
import { apiFor, entryPointNames, entryPoints, instanceId, rejectionOf, useServer } from "./support.js";

// Which status becomes which error, retries, Retry-After and timeouts are core's
// (packages/core/test/transport-*.test.ts) and conformance's (both flavors alike); this file
// keeps what this flavor adds: the generator's own wrappers and middleware never leak out.
const ctx = useServer();

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
});
