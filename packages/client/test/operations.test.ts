import { verifySignature } from "@geminidb-sessions/core/server";
import { json, type Responder, raw, sequence } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { version } from "../package.json";
import * as clientModule from "../src/index.js";
import {
  AbortError,
  type BareSessionsClient,
  closeInstanceSessions,
  createBareSessionsClient,
  InvalidResponseError,
  listNodeSessionsPages,
  NotFoundError,
  ValidationError,
} from "../src/index.js";
import { accessKey, clientFor, instanceId, projectId, secretKey, token, useServer } from "./support.js";

const ctx = useServer();

describe("closeInstanceSessions", () => {
  it("sends DELETE on the operation's path and returns the X-Request-Id", async () => {
    ctx.server.respondWith(json(200, {}, { "x-request-id": "req-ok-1" }));
    const result = await clientFor(ctx.server).closeInstanceSessions({ instanceId });
    expect(result).toEqual({ data: {}, requestId: "req-ok-1" });
    const [request] = ctx.server.requests;
    expect(request?.method).toBe("DELETE");
    expect(request?.rawUrl).toBe(`/v3/${projectId}/instances/${instanceId}/sessions`);
    expect(request?.body).toBe("");
  });

  it("names the package and its version in User-Agent", async () => {
    await clientFor(ctx.server).closeInstanceSessions({ instanceId });
    expect(ctx.server.requests[0]?.headers["user-agent"]).toBe(`@geminidb-sessions/client/${version}`);
  });

  it("uses a per-call projectId over the client's", async () => {
    const other = "0123456789abcdef0123456789abcdef";
    await clientFor(ctx.server).closeInstanceSessions({ instanceId, projectId: other });
    expect(ctx.server.requests[0]?.rawUrl).toBe(`/v3/${other}/instances/${instanceId}/sessions`);
  });

  it("runs openapi-fetch middleware hooks once per call, added by option, use() or raw.use()", async () => {
    const seen: string[] = [];
    const client = clientFor(ctx.server, {
      middleware: [{ onRequest: ({ request }) => void seen.push(`request ${request.method}`) }],
    });
    client.use({ onResponse: ({ response }) => void seen.push(`response ${response.status}`) });
    await client.closeInstanceSessions({ instanceId });
    expect(seen).toEqual(["request DELETE", "response 200"]);
    // Middleware added to `raw` itself sees the methods' calls as well.
    const later = clientFor(ctx.server);
    later.raw.use({ onRequest: ({ request }) => void seen.push(`raw.use saw ${request.method}`) });
    await later.closeInstanceSessions({ instanceId });
    expect(seen).toEqual(["request DELETE", "response 200", "raw.use saw DELETE"]);
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

  it("raw with AK/SK names the path's project in the signed X-Project-Id, as the methods do", async () => {
    ctx.server.respondWith(json(200, {}));
    const other = "0123456789abcdef0123456789abcdef";
    const client = clientFor(ctx.server, { credentials: { accessKey, secretKey } });
    await client.raw.DELETE("/v3/{project_id}/instances/{instance_id}/sessions", {
      params: { path: { project_id: other, instance_id: instanceId } },
    });
    const [request] = ctx.server.requests;
    expect(request?.headers["x-project-id"]).toBe(other);
    expect(String(request?.headers.authorization)).toMatch(/SignedHeaders=[^,]*x-project-id/);
    const verdict = await verifySignature(
      {
        method: request?.method ?? "",
        rawTarget: request?.rawUrl ?? "",
        headers: request?.headers ?? {},
        body: new TextEncoder().encode(request?.body ?? ""),
      },
      (ak) => (ak === accessKey ? secretKey : undefined),
    );
    expect(verdict).toMatchObject({ ok: true });
  });

  it("raw rejects a failure with the typed error (onError sees it, onResponse does not), as the README's flow says", async () => {
    ctx.server.respondWith(json(404, { error_code: "DBS.200002", error_msg: "The DB instance does not exist." }));
    const seen: string[] = [];
    const client = clientFor(ctx.server, {
      middleware: [
        {
          onResponse: ({ response }) => void seen.push(`response ${response.status}`),
          onError: ({ error }) => void seen.push(`error ${(error as Error).name}`),
        },
      ],
    });
    const failure = await client.raw
      .DELETE("/v3/{project_id}/instances/{instance_id}/sessions", { params: { path: { project_id: projectId, instance_id: instanceId } } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotFoundError);
    expect(failure).toMatchObject({ code: "DBS.200002", status: 404 });
    expect(seen).toEqual(["error NotFoundError"]);
  });
});

const nodeId = "784b3fb7bac14bc490659950dd4f022fno12";
const session = (id: number) => ({ id: String(id), addr: `10.0.0.1:${4000 + id}`, age: "5", idle: "5" });

/** Answers `listNodeSessions` from `total` sessions, as the spec pages them. */
function pagedSessions(total: number): Responder {
  return (request, response) => {
    const query = new URL(request.rawUrl, "http://x").searchParams;
    const offset = Number(query.get("offset") ?? 0);
    const limit = Number(query.get("limit") ?? 50);
    const sessions = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => session(offset + i));
    return json(200, { total_count: total, sessions })(request, response);
  };
}

/** One call of each operation, and the request the spec says it makes. */
const everyOperation = [
  ["listInstanceSessions", { instanceId, nodeId }, "GET", `/v3/${projectId}/instances/${instanceId}/sessions?node_id=${nodeId}`, ""],
  ["closeInstanceSessions", { instanceId }, "DELETE", `/v3/${projectId}/instances/${instanceId}/sessions`, ""],
  [
    "listNodeSessions",
    { nodeId, offset: 5, limit: 10, addrPrefix: "10.0.0.1:" },
    "GET",
    `/v3/${projectId}/redis/nodes/${nodeId}/sessions?offset=5&limit=10&addr_prefix=10.0.0.1%3A`,
    "",
  ],
  ["getNodeSessionStatistics", { nodeId }, "GET", `/v3/${projectId}/redis/nodes/${nodeId}/session-statistics`, ""],
  [
    "closeNodeSessions",
    { nodeId, body: { is_all: false, session_ids: ["7", "9"] } },
    "DELETE",
    `/v3/${projectId}/redis/nodes/${nodeId}/sessions`,
    '{"is_all":false,"session_ids":["7","9"]}',
  ],
] as const;

const successBodies: Record<string, unknown> = {
  listInstanceSessions: { node_sessions: [] },
  listNodeSessions: { total_count: 0, sessions: [] },
  getNodeSessionStatistics: { total_connection_count: 0, active_connection_count: 0, top_source_ips: [], top_dbs: [] },
};

describe("every operation of the spec, laid out as the spec says", () => {
  it.each(everyOperation)("%s sends %s", async (operationId, input, method, rawUrl, body) => {
    const answer = successBodies[operationId] ?? {};
    ctx.server.respondWith(json(200, answer, { "x-request-id": "r1" }));
    const client = clientFor(ctx.server) as unknown as Record<string, (input: unknown) => Promise<unknown>>;
    await expect(client[operationId]?.(input)).resolves.toEqual({ data: answer, requestId: "r1" });
    const [request] = ctx.server.requests;
    expect([request?.method, request?.rawUrl, request?.body]).toEqual([method, rawUrl, body]);
    if (body !== "") expect(request?.headers["content-type"]).toMatch(/^application\/json/);
  });

  // Without middleware the methods hand core's transport the request as parts; with middleware they
  // go through openapi-fetch so it sees them; the operation functions take a bare client. All three
  // must put the same bytes on the wire.
  it.each(everyOperation)(
    "%s sends the same request, signature included: method with and without middleware, and function",
    async (operationId, input) => {
      const answer = successBodies[operationId] ?? {};
      ctx.server.respondWith(json(200, answer, { "x-request-id": "r1" }));
      const fixedClock = { now: () => Date.parse("2026-12-02T10:00:00Z"), sleep: async () => {} };
      const functions = clientModule as unknown as Record<string, (client: BareSessionsClient, input: unknown) => Promise<unknown>>;
      for (const credentials of [{ token }, { accessKey, secretKey }]) {
        const direct = clientFor(ctx.server, { credentials, runtime: fixedClock }) as unknown as Record<
          string,
          (input: unknown) => Promise<unknown>
        >;
        const viaOpenapiFetch = clientFor(ctx.server, { credentials, runtime: fixedClock, middleware: [{ onRequest: () => undefined }] });
        const bare = createBareSessionsClient({ projectId, endpoint: ctx.server.url, credentials, runtime: fixedClock });
        const results = [
          await direct[operationId]?.(input),
          await (viaOpenapiFetch as unknown as Record<string, (input: unknown) => Promise<unknown>>)[operationId]?.(input),
          await functions[operationId]?.(bare, input),
        ];
        expect(results[1]).toEqual(results[0]);
        expect(results[2]).toEqual(results[0]);
      }
      const [tokenDirect, tokenMiddleware, tokenBare, akskDirect, akskMiddleware, akskBare] = ctx.server.requests;
      expect(tokenMiddleware).toEqual(tokenDirect);
      expect(tokenBare).toEqual(tokenDirect);
      expect(akskMiddleware).toEqual(akskDirect);
      expect(akskBare).toEqual(akskDirect);
      expect(akskDirect?.headers.authorization).toMatch(/^SDK-HMAC-SHA256 /);
    },
  );

  it("an operation function runs a full client's middleware, and refuses anything but this package's clients", async () => {
    const seen: string[] = [];
    const client = clientFor(ctx.server, { middleware: [{ onRequest: ({ request }) => void seen.push(request.method) }] });
    await expect(closeInstanceSessions(client, { instanceId })).resolves.toMatchObject({ data: {} });
    expect(seen).toEqual(["DELETE"]);
    for (const notAClient of [{ endpoint: ctx.server.url }, undefined, client.raw]) {
      const error = await closeInstanceSessions(notAClient as never, { instanceId }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("client");
    }
    expect(ctx.server.requests).toHaveLength(1);
  });

  it("refuses a body the spec refuses before any I/O: session_ids required when is_all is false", async () => {
    const client = clientFor(ctx.server);
    for (const body of [{ is_all: false }, { is_all: false, session_ids: [] }, { is_all: "yes" }]) {
      const error = await client.closeNodeSessions({ nodeId, body: body as never }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("body");
    }
    const unknown = await client.listNodeSessions({ nodeId, limt: 10 } as never).catch((e: unknown) => e);
    expect((unknown as ValidationError).message).toMatch(/limt/);
    const limit = await client.listNodeSessions({ nodeId, limit: 101 }).catch((e: unknown) => e);
    expect((limit as ValidationError).field).toBe("limit");
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("raises InvalidResponseError for a 2xx body that is not JSON or not the spec's success body", async () => {
    ctx.server.respondWith(sequence(raw(200, "<html>ok</html>", { "content-type": "text/html" }), json(200, { total_count: "many" })));
    const client = clientFor(ctx.server);
    const notJson = await client.getNodeSessionStatistics({ nodeId }).catch((e: unknown) => e);
    expect(notJson).toBeInstanceOf(InvalidResponseError);
    const wrong = await client.listNodeSessions({ nodeId }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(InvalidResponseError);
    expect((wrong as InvalidResponseError).issues.map((issue) => issue.path)).toContain("total_count");
  });
});

describe("pages.listNodeSessions", () => {
  it("walks every page, stops at total_count and never asks past the end", async () => {
    ctx.server.respondWith(pagedSessions(25));
    const seen: number[] = [];
    for await (const page of clientFor(ctx.server).pages.listNodeSessions({ nodeId, limit: 10 })) seen.push(page.data.sessions.length);
    expect(seen).toEqual([10, 10, 5]);
    expect(ctx.server.requests.map((r) => new URL(r.rawUrl, "http://x").searchParams.get("offset"))).toEqual([null, "10", "20"]);
  });

  it("asks once for an empty list, and starts at the given offset", async () => {
    ctx.server.respondWith(pagedSessions(0));
    const pages = [];
    for await (const page of clientFor(ctx.server).pages.listNodeSessions({ nodeId })) pages.push(page);
    expect(pages).toHaveLength(1);
    ctx.server.respondWith(pagedSessions(12));
    const counts: number[] = [];
    for await (const page of clientFor(ctx.server).pages.listNodeSessions({ nodeId, offset: 5, limit: 5 }))
      counts.push(page.data.sessions.length);
    expect(counts).toEqual([5, 2]);
  });

  it("listNodeSessionsPages(client, input) walks the same pages on a bare client", async () => {
    ctx.server.respondWith(pagedSessions(25));
    const bare = createBareSessionsClient({ projectId, endpoint: ctx.server.url, credentials: { token } });
    const seen: number[] = [];
    for await (const page of listNodeSessionsPages(bare, { nodeId, limit: 10 })) seen.push(page.data.sessions.length);
    expect(seen).toEqual([10, 10, 5]);
  });

  it("ends with AbortError when the caller aborts between pages", async () => {
    ctx.server.respondWith(pagedSessions(30));
    const controller = new AbortController();
    const seen: number[] = [];
    const run = (async () => {
      for await (const page of clientFor(ctx.server).pages.listNodeSessions({ nodeId, limit: 10, signal: controller.signal })) {
        seen.push(page.data.sessions.length);
        controller.abort();
      }
    })();
    await expect(run).rejects.toBeInstanceOf(AbortError);
    expect(seen).toEqual([10]);
    expect(ctx.server.requests).toHaveLength(1);
  });
});

describe("client.raw runs the same input checks", () => {
  it("refuses dot segments in a path parameter and an invalid body, sending nothing", async () => {
    const client = clientFor(ctx.server);
    const bad = await client.raw
      .DELETE("/v3/{project_id}/instances/{instance_id}/sessions", { params: { path: { project_id: "..", instance_id: ".." } } })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    const body = await client.raw
      .DELETE("/v3/{project_id}/redis/nodes/{node_id}/sessions", {
        params: { path: { project_id: projectId, node_id: nodeId } },
        body: { is_all: false },
      })
      .catch((e: unknown) => e);
    expect((body as ValidationError).field).toBe("body");
    expect(ctx.server.requests).toHaveLength(0);
    const { data } = await client.raw.GET("/v3/{project_id}/redis/nodes/{node_id}/session-statistics", {
      params: { path: { project_id: projectId, node_id: nodeId } },
    });
    expect(data).toEqual({});
    expect(ctx.server.requests).toHaveLength(1);
  });
});
