import { json, raw, sequence } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { version } from "../package.json";
import { ConnectionManagementApi, createSessionsApi, JSONApiResponse, SessionsApi } from "../src/index.js";
import { apiFor, instanceId, projectId, token, useServer } from "./support.js";

const ctx = useServer();

describe("clearInstanceSessions (the generated method's shape, wired to core)", () => {
  it("sends DELETE on the operation's path with the token and resolves with the success body", async () => {
    await expect(apiFor(ctx.server).clearInstanceSessions({ projectId, instanceId })).resolves.toEqual({});
    const [request] = ctx.server.requests;
    expect(request?.method).toBe("DELETE");
    expect(request?.rawUrl).toBe(`/v3/${projectId}/instances/${instanceId}/sessions`);
    expect(request?.headers["x-auth-token"]).toBe(token);
    expect(request?.body).toBe("");
  });

  it("defaults projectId to the configured one, and a per-call projectId wins", async () => {
    const other = "0123456789abcdef0123456789abcdef";
    const api = apiFor(ctx.server);
    await api.clearInstanceSessions({ instanceId });
    await api.clearInstanceSessions({ instanceId, projectId: other });
    expect(ctx.server.requests.map((r) => r.rawUrl)).toEqual([
      `/v3/${projectId}/instances/${instanceId}/sessions`,
      `/v3/${other}/instances/${instanceId}/sessions`,
    ]);
  });

  it("names this package and its version in User-Agent, unless told otherwise", async () => {
    await apiFor(ctx.server).clearInstanceSessions({ instanceId });
    await apiFor(ctx.server, { userAgent: "my-tool/2.0" }).clearInstanceSessions({ instanceId });
    expect(ctx.server.requests.map((r) => r.headers["user-agent"])).toEqual([
      `@geminidb-sessions/typescript-fetch/${version}`,
      "my-tool/2.0",
    ]);
  });

  it("accepts an empty success body, which the generator's own value() would reject", async () => {
    ctx.server.respondWith(raw(200, "", { "content-type": "application/json" }));
    await expect(apiFor(ctx.server).clearInstanceSessions({ instanceId })).resolves.toEqual({});
  });

  it("clearInstanceSessionsWithRequestId resolves with the X-Request-Id, as the client's closeAllSessions does", async () => {
    ctx.server.respondWith(json(200, {}, { "x-request-id": "req-ok-1" }));
    await expect(apiFor(ctx.server).clearInstanceSessionsWithRequestId({ instanceId })).resolves.toEqual({ requestId: "req-ok-1" });
  });

  it("clearInstanceSessionsRaw resolves with the generator's ApiResponse around the 2xx response", async () => {
    ctx.server.respondWith(json(200, {}, { "x-request-id": "req-raw" }));
    const response = await apiFor(ctx.server).clearInstanceSessionsRaw({ instanceId });
    expect(response).toBeInstanceOf(JSONApiResponse);
    expect(response.raw.status).toBe(200);
    expect(response.raw.headers.get("x-request-id")).toBe("req-raw");
    await expect(response.value()).resolves.toEqual({});
  });

  it("returns the successful attempt's request ID after retrying a 503", async () => {
    ctx.server.respondWith(
      sequence(json(503, { error: { code: "APIGW.0202", message: "Backend unavailable" } }), json(200, {}, { "x-request-id": "second" })),
    );
    await expect(apiFor(ctx.server).clearInstanceSessionsWithRequestId({ instanceId })).resolves.toEqual({ requestId: "second" });
    expect(ctx.server.requests).toHaveLength(2);
  });

  it("is the generated class: a ConnectionManagementApi whose withMiddleware clones keep the core wiring", async () => {
    const seen: string[] = [];
    const api = apiFor(ctx.server).withMiddleware({
      pre: async ({ url, init }) => {
        seen.push(`pre ${init.method} ${new URL(url).pathname}`);
        const headers = new Headers(init.headers);
        headers.set("X-Trace", "t-1");
        return { url, init: { ...init, headers } };
      },
      post: async ({ response }) => void seen.push(`post ${response.status}`),
    });
    expect(api).toBeInstanceOf(SessionsApi);
    expect(api).toBeInstanceOf(ConnectionManagementApi);
    await api.clearInstanceSessions({ instanceId });
    expect(seen).toEqual([`pre DELETE /v3/${projectId}/instances/${instanceId}/sessions`, "post 200"]);
    expect(ctx.server.requests[0]?.headers["x-trace"]).toBe("t-1");
    expect(ctx.server.requests[0]?.headers["x-auth-token"]).toBe(token);
  });

  it("clearInstanceSessionsRequestOpts builds the request without sending it", async () => {
    const options = await apiFor(ctx.server).clearInstanceSessionsRequestOpts({ instanceId });
    expect(options).toMatchObject({ method: "DELETE", path: `/v3/${projectId}/instances/${instanceId}/sessions` });
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("resolves a region to its regional endpoint", () => {
    expect(createSessionsApi({ projectId, region: "eu-west-101", credentials: { token } }).endpoint).toBe(
      "https://gaussdb-nosql.eu-west-101.myhuaweicloud.eu",
    );
  });
});
