import { gzipSync } from "node:zlib";
import type { RecordingServer } from "@geminidb-sessions/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { BodyReadError, EXCHANGE, type Exchange, type ExchangeRequest } from "../src/buffered-response.js";
import {
  ApiError,
  ConnectionError,
  NotFoundError,
  ResponseTooLargeError,
  resolveCoreOptions,
  ServerError,
  TimeoutError,
  transportCall,
} from "../src/index.js";
import { createNodeFetch, type NodeFetch } from "../src/node.js";
import { verifySignature } from "../src/server.js";
import { AK, asReceived, closeSessions, coreFetchFor, PROJECT, rejectionOf, SESSIONS_PATH, SK, TOKEN, useServer } from "./helpers.js";

/*
 * What core's transport does when it sends through createNodeFetch's exchange (the default transport
 * on Node), compared with Node's fetch; most of these were found in review of the transport on plain
 * parts (#15).
 */

const fetches: NodeFetch[] = [];
afterEach(() => {
  for (const made of fetches.splice(0)) made.close();
});

/** A node fetch (closed after the test) whose exchange counts the attempts sent through it. */
function countedNodeFetch(options: Parameters<typeof createNodeFetch>[0] = {}): { fetch: NodeFetch; sent: () => number } {
  const made = createNodeFetch(options);
  fetches.push(made);
  const exchange = (made as unknown as { [EXCHANGE]: Exchange })[EXCHANGE];
  let sent = 0;
  Object.assign(made, {
    [EXCHANGE]: (request: ExchangeRequest) => {
      sent++;
      return exchange(request);
    },
  });
  return { fetch: made, sent: () => sent };
}

const getSessions = (coreFetch: ReturnType<typeof coreFetchFor>, server: RecordingServer) =>
  coreFetch(`${server.url}${SESSIONS_PATH}`, { method: "GET" });

describe("core's transport through createNodeFetch's exchange", () => {
  const context = useServer();

  it("is what the transport sends through (no Request or Response built on the way): the same request and answer as through it called as a fetch", async () => {
    const { server } = context;
    server.respondWith((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "x-request-id": "req-gz" });
      response.end(gzipSync(JSON.stringify({ sessions: ["a", "b"] })));
    });
    const node = countedNodeFetch();
    const answers = [];
    for (const fetch of [node.fetch, (input: Request | string | URL, init?: RequestInit) => node.fetch(input, init)]) {
      const response = await closeSessions(coreFetchFor(server, { fetch }), server);
      const headers = Object.fromEntries(response.headers);
      delete headers.date;
      answers.push({ status: response.status, url: response.url, headers, body: await response.json() });
    }
    expect(node.sent()).toBe(1);
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toMatchObject({ status: 200, body: { sessions: ["a", "b"] }, headers: { "x-request-id": "req-gz" } });
    expect(server.requests[0]).toEqual(server.requests[1]);
  });

  it("a 304 answer is an ApiError with status 304, sent once, as through Node's fetch (not a ConnectionError that resends a DELETE)", async () => {
    const { server } = context;
    server.respondWith((_request, response) => {
      response.writeHead(304, { "x-request-id": "req-304" });
      response.end();
    });
    const viaFetch = await rejectionOf(closeSessions(coreFetchFor(server, { fetch: globalThis.fetch, maxRetries: 2 }), server));
    expect(viaFetch).toBeInstanceOf(ApiError);
    expect((viaFetch as ApiError).status).toBe(304);

    const node = countedNodeFetch();
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { fetch: node.fetch, maxRetries: 2 }), server));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(304);
    expect((error as ApiError).requestId).toBe("req-304");
    expect(node.sent()).toBe(1);
  });

  it("response headers named like Object.prototype members (constructor, toString) are kept as sent", async () => {
    const { server } = context;
    server.respondWith((_request, response) => {
      response.writeHead(503, { constructor: "c", valueOf: "v", "x-request-id": "req-503" });
      response.end();
    });
    const node = countedNodeFetch();
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { fetch: node.fetch, maxRetries: 0 }), server));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).headers.constructor).toBe("c");
    expect((error as ServerError).headers.valueof).toBe("v");
  });

  it("a 2xx whose body stalls past timeoutMs is not sent again when safeToResend does not allow it (as through Node's fetch)", async () => {
    const { server } = context;
    server.respondWith((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      response.write('{"sessions":');
    });
    const node = countedNodeFetch();
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { fetch: node.fetch, timeoutMs: 1_000, maxRetries: 2 }), server));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/HTTP 200 arrived/);
    expect(node.sent()).toBe(1);
  });

  it("a 404 whose body stalls past timeoutMs is the NotFoundError (body incomplete), sent once, not a TimeoutError that resends a DELETE", async () => {
    const { server } = context;
    server.respondWith((_request, response) => {
      response.writeHead(404, { "content-type": "application/json", "content-length": "200", "x-request-id": "req-404" });
      response.write('{"error_code":"DBS.280001","error_msg":"gone"');
    });
    const node = countedNodeFetch();
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { fetch: node.fetch, timeoutMs: 1_000, maxRetries: 2 }), server));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(node.sent()).toBe(1);
  });

  it("a 2xx gzip body that inflates past maxResponseBytes is a ResponseTooLargeError, sent once, DELETE or GET (as through Node's fetch)", async () => {
    const { server } = context;
    const bomb = gzipSync(Buffer.alloc(1024 * 1024, 0x20)); // about 1 KiB on the wire
    server.respondWith((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      response.end(bomb);
    });
    for (const send of [closeSessions, getSessions]) {
      const node = countedNodeFetch({ maxResponseBytes: 64 * 1024 });
      const coreFetch = coreFetchFor(server, { fetch: node.fetch, maxResponseBytes: 64 * 1024, maxRetries: 2 });
      expect(await rejectionOf(send(coreFetch, server))).toBeInstanceOf(ResponseTooLargeError);
      expect(node.sent()).toBe(1);
    }
    // Compressed bytes that are themselves past the cap: still too large, not a broken connection.
    const wide = gzipSync(Buffer.from(JSON.stringify({ sessions: Array.from({ length: 4000 }, (_, i) => `${i}-${Math.random()}`) })));
    server.respondWith((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      response.end(wide);
    });
    const node = countedNodeFetch({ maxResponseBytes: 4096 });
    const error = await rejectionOf(
      getSessions(coreFetchFor(server, { fetch: node.fetch, maxResponseBytes: 4096, maxRetries: 2 }), server),
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(node.sent()).toBe(1);
  });

  it("a 2xx body it cannot decode (corrupt gzip) is not a connection failure that resends a DELETE", async () => {
    const { server } = context;
    server.respondWith((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      response.end("this is not gzip");
    });
    const node = countedNodeFetch();
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { fetch: node.fetch, maxRetries: 2 }), server));
    expect((error as Error).message).not.toMatch(/Could not reach/);
    expect(error instanceof ConnectionError ? (error as ConnectionError).attempts : 1).toBe(1);
    expect(node.sent()).toBe(1);
  });

  it("masks a credential echoed in the reason phrase, as in headers and bodies", async () => {
    const { server } = context;
    server.respondWith((_request, response) => {
      response.writeHead(200, `OK ${TOKEN}`, { "content-type": "application/json" });
      response.end("{}");
    });
    const response = await closeSessions(coreFetchFor(server, { fetch: countedNodeFetch().fetch }), server);
    expect(response.statusText).not.toContain(TOKEN);
    expect(response.statusText).toMatch(/^OK /);
  });

  it("calls a fetch whose exchange has another version's shape (another copy of core) as a fetch: an error answer is still typed", async () => {
    const { server } = context;
    server.respondWith((_request, response) => {
      response.writeHead(404, { "content-type": "application/json", "x-request-id": "req-404" });
      response.end(JSON.stringify({ error_code: "DBS.200002", error_msg: "The DB instance does not exist." }));
    });
    const made = countedNodeFetch().fetch;
    let oldShapeCalls = 0;
    // The first exchange's key, and its answer: no response().
    Object.assign(made, {
      [Symbol.for("@geminidb-sessions/core.exchange")]: () => {
        oldShapeCalls++;
        return Promise.resolve({ status: 404, statusText: "Not Found", headers: {}, body: Promise.resolve(new Uint8Array()) });
      },
    });
    const failure = await rejectionOf(closeSessions(coreFetchFor(server, { fetch: made }), server));
    expect(failure).toBeInstanceOf(NotFoundError);
    expect((failure as NotFoundError).requestId).toBe("req-404");
    expect(oldShapeCalls).toBe(0);
  });

  it("stops reading at the caller's maxResponseBytes, below createNodeFetch's own cap", async () => {
    const { server } = context;
    server.respondWith((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ sessions: "x".repeat(1024 * 1024) }));
    });
    const made = countedNodeFetch({ maxResponseBytes: 1024 * 1024 * 1024 }).fetch;
    const exchange = (made as unknown as { [EXCHANGE]: Exchange })[EXCHANGE];
    const answer = await exchange({
      url: new URL(`${server.url}${SESSIONS_PATH}`),
      method: "GET",
      headers: {},
      body: undefined,
      signal: new AbortController().signal,
      limitBytes: 4096,
    });
    const failure = await rejectionOf(answer?.body ?? Promise.resolve());
    expect(failure).toBeInstanceOf(BodyReadError);
    expect((failure as BodyReadError).tooLarge).toBe(true);
    // What it held: at most the cap and the chunk that passed it, not the 1 MiB body.
    expect((failure as BodyReadError).received.reduce((sum, part) => sum + part.byteLength, 0)).toBeLessThan(200 * 1024);
  });

  it("takes the request's header names in any case: X-Project-Id given by the caller is the one signed, once", async () => {
    const { server } = context;
    const other = "0123456789abcdef0123456789abcdef";
    const options = resolveCoreOptions({
      endpoint: server.url,
      projectId: PROJECT,
      credentials: { accessKey: AK, secretKey: SK },
      fetch: countedNodeFetch().fetch,
    });
    await transportCall(options, { method: "DELETE", url: `${server.url}${SESSIONS_PATH}`, headers: { "X-Project-Id": other } });
    const [request] = server.requests;
    expect(request?.headers["x-project-id"]).toBe(other);
    expect(await verifySignature(asReceived(request as never), (ak) => (ak === AK ? SK : undefined))).toEqual({ ok: true, accessKey: AK });
  });
});
