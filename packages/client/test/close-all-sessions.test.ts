import { json, raw, sequence } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { version } from "../package.json";
import { clientFor, instanceId, projectId, useServer } from "./support.js";

const ctx = useServer();

describe("closeAllSessions", () => {
  it("sends DELETE on the operation's path and returns the X-Request-Id", async () => {
    ctx.server.respondWith(json(200, {}, { "x-request-id": "req-ok-1" }));
    const result = await clientFor(ctx.server).closeAllSessions({ instanceId });
    expect(result).toEqual({ requestId: "req-ok-1" });
    const [request] = ctx.server.requests;
    expect(request?.method).toBe("DELETE");
    expect(request?.rawUrl).toBe(`/v3/${projectId}/instances/${instanceId}/sessions`);
    expect(request?.body).toBe("");
  });

  it("names the package and its version in User-Agent", async () => {
    await clientFor(ctx.server).closeAllSessions({ instanceId });
    expect(ctx.server.requests[0]?.headers["user-agent"]).toBe(`@geminidb-sessions/client/${version}`);
  });

  it("uses a per-call projectId over the client's", async () => {
    const other = "0123456789abcdef0123456789abcdef";
    await clientFor(ctx.server).closeAllSessions({ instanceId, projectId: other });
    expect(ctx.server.requests[0]?.rawUrl).toBe(`/v3/${other}/instances/${instanceId}/sessions`);
  });

  it("retries 503 then succeeds, and returns the successful attempt's request ID", async () => {
    ctx.server.respondWith(
      sequence(json(503, { error: { code: "APIGW.0202", message: "Backend unavailable" } }), json(200, {}, { "x-request-id": "second" })),
    );
    await expect(clientFor(ctx.server).closeAllSessions({ instanceId })).resolves.toEqual({ requestId: "second" });
    expect(ctx.server.requests).toHaveLength(2);
  });

  it("runs openapi-fetch middleware hooks once per call", async () => {
    const seen: string[] = [];
    const client = clientFor(ctx.server, {
      middleware: [{ onRequest: ({ request }) => void seen.push(`request ${request.method}`) }],
    });
    client.use({ onResponse: ({ response }) => void seen.push(`response ${response.status}`) });
    await client.closeAllSessions({ instanceId });
    expect(seen).toEqual(["request DELETE", "response 200"]);
  });

  it("exposes the typed openapi-fetch client as raw, errors still typed", async () => {
    ctx.server.respondWith(raw(200, "{}", { "content-type": "application/json" }));
    const client = clientFor(ctx.server);
    const { data, response } = await client.raw.DELETE("/v3/{project_id}/instances/{instance_id}/sessions", {
      params: { path: { project_id: projectId, instance_id: instanceId } },
    });
    expect(data).toEqual({});
    expect(response.status).toBe(200);
    expect(ctx.server.requests[0]?.headers["x-auth-token"]).toBeDefined();
  });
});
