import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { json, raw, truncated } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  BadRequestError,
  ConnectionError,
  NotFoundError,
  RateLimitError,
  resolveCoreOptions,
  transportCall,
} from "../src/index.js";
import { closeSessions, coreFetchFor, INSTANCE, PROJECT, rejectionOf, SESSIONS_PATH, TOKEN, useServer } from "./helpers.js";

const ctx = useServer();

// How an error answer reads (class, code, message, catalog flags, bodies that are not error bodies) is
// errorFromResponse's, tested in errors.test.ts; here, what the transport adds to it.

describe("answers cut short or sent elsewhere", () => {
  it("handles a body cut off mid-way (connection closed early)", async () => {
    const { server } = ctx;
    server.respondWith(truncated(400, '{"error_code":"DBS.200001","error_'));
    const error = await rejectionOf(closeSessions(coreFetchFor(server), server));
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).message).toContain("(body incomplete)");
    expect((error as ApiError).rawBody).toBe('{"error_code":"DBS.200001","error_');
  });

  it("does not follow redirects (a credential must never be carried elsewhere)", async () => {
    const { server } = ctx;
    const elsewhere = createServer((_req, res) => res.end("{}"));
    let hits = 0;
    elsewhere.on("request", () => hits++);
    await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
    try {
      const target = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/steal`;
      server.respondWith(raw(307, "", { location: target }));
      const error = await rejectionOf(closeSessions(coreFetchFor(server), server));
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(307);
      expect(hits).toBe(0);
    } finally {
      elsewhere.closeAllConnections();
      await new Promise((resolve) => elsewhere.close(resolve));
    }
  });
});

describe("network failures", () => {
  it("maps a refused connection to ConnectionError after every attempt", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const delays: number[] = [];
    const { server } = ctx;
    const coreFetch = coreFetchFor(server, {
      endpoint: `http://127.0.0.1:${port}`,
      runtime: { sleep: async (ms) => void delays.push(ms), random: () => 0.5 },
    });
    const error = await rejectionOf(coreFetch(`http://127.0.0.1:${port}/v3/x`, { method: "DELETE" }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).attempts).toBe(3);
    expect((error as ConnectionError).retryable).toBe(true);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect(delays).toEqual([250, 500]);
  });
});

describe("messages with context", () => {
  it("a non-2xx answer is thrown as its typed error, and a 404 names the instance (or node), not the project", async () => {
    const { server } = ctx;
    const body = { error_code: "DBS.200002", error_msg: "The DB instance does not exist." };
    server.respondWith(json(404, body, { "x-request-id": "r-1" }));
    const error = await rejectionOf(closeSessions(coreFetchFor(server), server));
    expect(error).toBeInstanceOf(NotFoundError);
    const apiError = error as ApiError;
    expect([apiError.status, apiError.code, apiError.requestId, apiError.headers["x-request-id"]]).toEqual([
      404,
      "DBS.200002",
      "r-1",
      "r-1",
    ]);
    expect(JSON.parse(apiError.rawBody)).toEqual(body);
    expect(apiError.message).toBe(`DBS.200002: The DB instance does not exist. (HTTP 404 for instance ${INSTANCE}, request r-1)`);
    expect(apiError.message).not.toContain(PROJECT);
    const node = "784b3fb7bac14bc490659950dd4f022fno12";
    const fetchNode = coreFetchFor(server);
    const nodeError = await rejectionOf(fetchNode(`${server.url}/v3/${PROJECT}/redis/nodes/${node}/sessions`, { method: "GET" }));
    expect((nodeError as ApiError).message).toContain(`HTTP 404 for node ${node}`);
  });

  it("transportCall called directly names the instance too, as createCoreFetch does (pathParameters is optional)", async () => {
    const { server } = ctx;
    server.respondWith(json(404, { error_code: "DBS.200002", error_msg: "The DB instance does not exist." }, { "x-request-id": "r-2" }));
    const options = resolveCoreOptions({ endpoint: server.url, credentials: { token: TOKEN } });
    const error = await rejectionOf(transportCall(options, { method: "DELETE", url: `${server.url}${SESSIONS_PATH}`, headers: {} }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as ApiError).message).toBe(
      `DBS.200002: The DB instance does not exist. (HTTP 404 for instance ${INSTANCE}, request r-2)`,
    );
    // Given, they are the ones named.
    const named = await rejectionOf(
      transportCall(options, {
        method: "DELETE",
        url: `${server.url}${SESSIONS_PATH}`,
        headers: {},
        pathParameters: { instance_id: "given" },
      }),
    );
    expect((named as ApiError).message).toContain("HTTP 404 for instance given,");
  });

  it("a retried error says how many attempts were made", async () => {
    const { server } = ctx;
    server.respondWith(
      json(429, { error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached." }, { "x-request-id": "r-9" }),
    );
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { maxRetries: 2 }), server));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).attempts).toBe(3);
    expect((error as RateLimitError).message).toMatch(/\(HTTP 429 for instance \w+, request r-9\) after 3 attempts$/);
    // Not retried: no attempts to tell.
    server.respondWith(json(404, { error_code: "DBS.200002", error_msg: "The DB instance does not exist." }));
    const notFound = await rejectionOf(closeSessions(coreFetchFor(server, { maxRetries: 2 }), server));
    expect((notFound as ApiError).message).not.toContain("attempt");
    expect((notFound as ApiError).attempts).toBe(1);
    // Retries off: the message says so.
    server.respondWith(json(502, { error_code: "APIGW.0202", error_msg: "Backend unavailable" }));
    const off = await rejectionOf(closeSessions(coreFetchFor(server, { maxRetries: 0 }), server));
    expect((off as ApiError).message).toMatch(/\(HTTP 502 for instance \w+, request req-502\) after 1 attempt \(retries are off\)$/);
  });

  it("a retried error stopped by the wait budget says so", async () => {
    const { server } = ctx;
    server.respondWith(json(503, { error_code: "DBS.200000", error_msg: "busy" }, { "retry-after": "30" }));
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { maxRetries: 5, backoff: { maxTotalDelayMs: 40_000 } }), server));
    expect((error as ApiError).message).toMatch(/after 2 attempts \(the next wait, \d+ ms, would pass backoff\.maxTotalDelayMs\)$/);
  });
});
