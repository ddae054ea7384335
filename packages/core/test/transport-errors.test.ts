import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { json, raw, truncated } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
} from "../src/index.js";
import { closeSessions, coreFetchFor, INSTANCE, PROJECT, rejectionOf, useServer } from "./helpers.js";

const ctx = useServer();

describe("non-2xx statuses become typed errors", () => {
  const cases: Array<[number, unknown, typeof ApiError, string | undefined]> = [
    [400, { error_code: "DBS.200001", error_msg: "Parameter error." }, BadRequestError, "DBS.200001"],
    [400, { error: { code: "APIGW.0201", message: "Bad request" } }, BadRequestError, "APIGW.0201"],
    [401, { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" }, AuthenticationError, "APIGW.0301"],
    [403, { error_code: "DBS.200011", error_msg: "status forbids" }, PermissionDeniedError, "DBS.200011"],
    [404, { error_code: "DBS.200002", error_msg: "The DB instance does not exist." }, NotFoundError, "DBS.200002"],
    [409, { error_code: "DBS.999999", error_msg: "conflict" }, ConflictError, "DBS.999999"],
    [413, { error_code: "APIGW.0201", error_msg: "Request entity too large" }, PayloadTooLargeError, "APIGW.0201"],
    [429, { error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached" }, RateLimitError, "APIGW.0308"],
    [500, { error_code: "APIGW.0103", error_msg: "The backend does not exist" }, ServerError, "APIGW.0103"],
    [502, { error_code: "APIGW.0202", error_msg: "Backend unavailable" }, ServerError, "APIGW.0202"],
    [503, { error: { code: "APIGW.0202", message: "Backend unavailable", request_id: "nested-id" } }, ServerError, "APIGW.0202"],
    [504, { error_code: "APIGW.0203", error_msg: "Backend timeout" }, ServerError, "APIGW.0203"],
  ];

  for (const [status, body, ErrorClass, code] of cases) {
    it(`${status} ${code} → ${ErrorClass.name}`, async () => {
      const { server } = ctx;
      server.respondWith(json(status, body));
      const error = await rejectionOf(closeSessions(coreFetchFor(server, { maxRetries: 0 }), server));
      expect(error).toBeInstanceOf(ErrorClass);
      const apiError = error as ApiError;
      expect(apiError.status).toBe(status);
      expect(apiError.code).toBe(code);
      expect(apiError.requestId).toBe(`req-${status}`);
      expect(apiError.headers["x-request-id"]).toBe(`req-${status}`);
      expect(JSON.parse(apiError.rawBody)).toEqual(body);
    });
  }
});

describe("bodies that are not error bodies", () => {
  it("handles an empty body", async () => {
    const { server } = ctx;
    server.respondWith(raw(404, ""));
    const error = await rejectionOf(closeSessions(coreFetchFor(server), server));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as ApiError).message).toBe(`HTTP 404 for instance ${INSTANCE}, request req-404 with an empty body`);
  });

  it("handles an HTML page from a proxy", async () => {
    const { server } = ctx;
    server.respondWith(raw(403, "<html><body><h1>Access denied</h1><p>by proxy</p></body></html>", { "content-type": "text/html" }));
    const error = await rejectionOf(closeSessions(coreFetchFor(server), server));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as ApiError).code).toBeUndefined();
    expect((error as ApiError).message).toBe(`HTTP 403 for instance ${INSTANCE}, request req-403: Access denied — by proxy`);
  });

  it("handles plain text and broken JSON", async () => {
    const { server } = ctx;
    server.respondWith(raw(400, '{"error_code": "DBS.2000'));
    const error = await rejectionOf(closeSessions(coreFetchFor(server), server));
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as ApiError).message).toContain('{"error_code": "DBS.2000');
  });

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
  it("a 404 names the instance (or node) the request was about, not the project", async () => {
    const { server } = ctx;
    server.respondWith(json(404, { error_code: "DBS.200002", error_msg: "The DB instance does not exist." }, { "x-request-id": "r-1" }));
    const error = await rejectionOf(closeSessions(coreFetchFor(server), server));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as ApiError).message).toBe(
      `DBS.200002: The DB instance does not exist. (HTTP 404 for instance ${INSTANCE}, request r-1)`,
    );
    expect((error as ApiError).message).not.toContain(PROJECT);
    const node = "784b3fb7bac14bc490659950dd4f022fno12";
    const fetchNode = coreFetchFor(server);
    const nodeError = await rejectionOf(fetchNode(`${server.url}/v3/${PROJECT}/redis/nodes/${node}/sessions`, { method: "GET" }));
    expect((nodeError as ApiError).message).toContain(`HTTP 404 for node ${node}`);
  });

  it("an HTML gateway page reads once, without tags or the repeated status", async () => {
    const { server } = ctx;
    const page =
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>";
    server.respondWith(raw(502, page, { "content-type": "text/html" }));
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { maxRetries: 0 }), server));
    expect((error as ApiError).message).toBe(
      `HTTP 502 for instance ${INSTANCE}, request req-502: Bad Gateway — nginx after 1 attempt (retries are off)`,
    );
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
  });

  it("a retried error stopped by the wait budget says so", async () => {
    const { server } = ctx;
    server.respondWith(json(503, { error_code: "DBS.200000", error_msg: "busy" }, { "retry-after": "30" }));
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { maxRetries: 5, backoff: { maxTotalDelayMs: 40_000 } }), server));
    expect((error as ApiError).message).toMatch(/after 2 attempts \(the next wait, \d+ ms, would pass backoff\.maxTotalDelayMs\)$/);
  });
});
