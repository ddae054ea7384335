import { json, raw } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { version } from "../package.json";
import {
  ConnectionManagementApi,
  createSessionsApi,
  InvalidResponseError,
  JSONApiResponse,
  SessionsApi,
  ValidationError,
} from "../src/index.js";
import { apiFor, instanceId, projectId, rejectionOf, token, useServer } from "./support.js";

const ctx = useServer();

describe("closeInstanceSessions (the generated method's shape, wired to core)", () => {
  it("sends DELETE on the operation's path with the token and resolves with the success body", async () => {
    await expect(apiFor(ctx.server).closeInstanceSessions({ projectId, instanceId })).resolves.toEqual({});
    const [request] = ctx.server.requests;
    expect(request?.method).toBe("DELETE");
    expect(request?.rawUrl).toBe(`/v3/${projectId}/instances/${instanceId}/sessions`);
    expect(request?.headers["x-auth-token"]).toBe(token);
    expect(request?.body).toBe("");
  });

  it("defaults projectId to the configured one, and a per-call projectId wins", async () => {
    const other = "0123456789abcdef0123456789abcdef";
    const api = apiFor(ctx.server);
    await api.closeInstanceSessions({ instanceId });
    await api.closeInstanceSessions({ instanceId, projectId: other });
    expect(ctx.server.requests.map((r) => r.rawUrl)).toEqual([
      `/v3/${projectId}/instances/${instanceId}/sessions`,
      `/v3/${other}/instances/${instanceId}/sessions`,
    ]);
  });

  it("names this package and its version in User-Agent, unless told otherwise", async () => {
    await apiFor(ctx.server).closeInstanceSessions({ instanceId });
    await apiFor(ctx.server, { userAgent: "my-tool/2.0" }).closeInstanceSessions({ instanceId });
    expect(ctx.server.requests.map((r) => r.headers["user-agent"])).toEqual([
      `@geminidb-sessions/typescript-fetch/${version}`,
      "my-tool/2.0",
    ]);
  });

  it("accepts an empty success body, which the generator's own value() would reject", async () => {
    ctx.server.respondWith(raw(200, "", { "content-type": "application/json" }));
    await expect(apiFor(ctx.server).closeInstanceSessions({ instanceId })).resolves.toEqual({});
  });

  it("closeInstanceSessionsRaw resolves with the generator's ApiResponse around the 2xx response", async () => {
    ctx.server.respondWith(json(200, {}, { "x-request-id": "req-raw" }));
    const response = await apiFor(ctx.server).closeInstanceSessionsRaw({ instanceId });
    expect(response).toBeInstanceOf(JSONApiResponse);
    expect(response.raw.status).toBe(200);
    expect(response.raw.headers.get("x-request-id")).toBe("req-raw");
    await expect(response.value()).resolves.toEqual({});
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
    await api.closeInstanceSessions({ instanceId });
    expect(seen).toEqual([`pre DELETE /v3/${projectId}/instances/${instanceId}/sessions`, "post 200"]);
    expect(ctx.server.requests[0]?.headers["x-trace"]).toBe("t-1");
    expect(ctx.server.requests[0]?.headers["x-auth-token"]).toBe(token);
  });

  it("closeInstanceSessionsRequestOpts builds the request without sending it", async () => {
    const options = await apiFor(ctx.server).closeInstanceSessionsRequestOpts({ instanceId });
    expect(options).toMatchObject({ method: "DELETE", path: `/v3/${projectId}/instances/${instanceId}/sessions` });
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("resolves a region to its regional endpoint", () => {
    expect(createSessionsApi({ projectId, region: "eu-west-101", credentials: { token } }).endpoint).toBe(
      "https://gaussdb-nosql.eu-west-101.myhuaweicloud.eu",
    );
  });
});

const nodeId = "784b3fb7bac14bc490659950dd4f022fno12";

describe("the rest of the sessions family, through the generated methods", () => {
  it("lists a node's sessions as the generator's model, with the query the spec names", async () => {
    ctx.server.respondWith(json(200, { total_count: 1, sessions: [{ id: "7", addr: "10.0.0.1:4000", age: "3", idle: "1" }] }));
    const page = await apiFor(ctx.server).listNodeSessions({ nodeId, limit: 10, addrPrefix: "10.0." });
    expect(page.total_count).toBe(1);
    expect(page.sessions[0]?.id).toBe("7");
    expect(ctx.server.requests[0]?.rawUrl).toBe(`/v3/${projectId}/redis/nodes/${nodeId}/sessions?limit=10&addr_prefix=10.0.`);
  });

  it("sends closeNodeSessions' body in the spec's form, and refuses one the spec refuses before any I/O", async () => {
    await apiFor(ctx.server).closeNodeSessions({ nodeId, closeNodeSessionsRequest: { is_all: false, session_ids: ["7"] } });
    expect(ctx.server.requests[0]?.body).toBe('{"is_all":false,"session_ids":["7"]}');
    const refused = await rejectionOf(apiFor(ctx.server).closeNodeSessions({ nodeId, closeNodeSessionsRequest: { is_all: false } }));
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).field).toBe("body");
    const missing = await rejectionOf(apiFor(ctx.server).getNodeSessionStatistics({} as never));
    expect((missing as ValidationError).field).toBe("nodeId");
    expect(ctx.server.requests).toHaveLength(1);
  });

  it("walks every page with pages.listNodeSessions and never asks past the end", async () => {
    ctx.server.respondWith((request, response) => {
      const offset = Number(new URL(request.rawUrl, "http://x").searchParams.get("offset") ?? 0);
      const sessions = Array.from({ length: Math.min(2, 5 - offset) }, (_, i) => ({
        id: String(offset + i),
        addr: "a:1",
        age: "1",
        idle: "1",
      }));
      return json(200, { total_count: 5, sessions })(request, response);
    });
    const ids: string[] = [];
    for await (const page of apiFor(ctx.server).pages.listNodeSessions({ nodeId, limit: 2 })) ids.push(...page.sessions.map((s) => s.id));
    expect(ids).toEqual(["0", "1", "2", "3", "4"]);
    expect(ctx.server.requests).toHaveLength(3);
  });

  it("raises InvalidResponseError when a 2xx body does not match the spec", async () => {
    ctx.server.respondWith(json(200, { total_connection_count: -1 }));
    expect(await rejectionOf(apiFor(ctx.server).getNodeSessionStatistics({ nodeId }))).toBeInstanceOf(InvalidResponseError);
  });
});
