import { json, raw, sequence, truncated } from "@geminidb-sessions/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ConnectionError,
  createCoreFetch,
  DEFAULT_MAX_RESPONSE_BYTES,
  type FetchLike,
  GeminiDbError,
  InvalidResponseError,
  ResponseTooLargeError,
  resolveCoreOptions,
  TimeoutError,
} from "../src/index.js";
import { closeSessions, coreFetchFor, rejectionOf, SESSIONS_PATH, TOKEN, useServer } from "./helpers.js";

const ctx = useServer();
const ENDPOINT = "http://127.0.0.1:9";
const MiB = 1024 * 1024;

/** A fetch whose 2xx body never ends; it counts the bytes handed to the reader and notices a cancel. */
function endlessFetch(chunkBytes = 64 * 1024): { fetch: FetchLike; pulled: () => number; cancelled: () => boolean } {
  let pulled = 0;
  let cancelled = false;
  const chunk = new Uint8Array(chunkBytes).fill(0x20);
  const fetch: FetchLike = async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
  };
  return { fetch, pulled: () => pulled, cancelled: () => cancelled };
}

describe("success bodies are bounded (maxResponseBytes)", () => {
  it("defaults to 16 MiB and can be set", () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(16 * MiB);
    expect(resolveCoreOptions({ endpoint: ENDPOINT, credentials: { token: TOKEN } }).maxResponseBytes).toBe(16 * MiB);
    expect(resolveCoreOptions({ endpoint: ENDPOINT, credentials: { token: TOKEN }, maxResponseBytes: 1024 }).maxResponseBytes).toBe(1024);
    expect(() => resolveCoreOptions({ endpoint: ENDPOINT, credentials: { token: TOKEN }, maxResponseBytes: 0 })).toThrow(
      /maxResponseBytes/,
    );
  });

  it("stops reading an endless body at the cap and throws ResponseTooLargeError, once (never retried)", async () => {
    const endless = endlessFetch();
    const coreFetch = createCoreFetch({ endpoint: ENDPOINT, credentials: { token: TOKEN }, fetch: endless.fetch, maxResponseBytes: MiB });
    const error = await rejectionOf(coreFetch(`${ENDPOINT}${SESSIONS_PATH}`, { method: "GET" }));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toBeInstanceOf(GeminiDbError);
    expect((error as ResponseTooLargeError).limitBytes).toBe(MiB);
    expect((error as ResponseTooLargeError).status).toBe(200);
    // The reader stopped within one chunk of the cap and let the stream go.
    expect(endless.pulled()).toBeLessThanOrEqual(MiB + 2 * 64 * 1024);
    expect(endless.cancelled()).toBe(true);
  });

  it("refuses a declared Content-Length over the cap without reading the body", async () => {
    const { server } = ctx;
    server.respondWith(raw(200, "x".repeat(4096), { "content-type": "application/json" }));
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { maxResponseBytes: 1000 }), server));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).requestId).toBe("req-200");
    expect(server.requests).toHaveLength(1);
  });

  it("ends a loopback server's endless body with ResponseTooLargeError, not a timeout", async () => {
    const { server } = ctx;
    let written = 0;
    server.respondWith((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!response.destroyed && response.write(chunk)) written += chunk.length;
        if (!response.destroyed) response.once("drain", pump);
      };
      pump();
    });
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { maxResponseBytes: 2 * MiB, timeoutMs: 60_000 }), server));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    // The server could not push much more than the cap plus socket buffers before the client hung up.
    expect(written).toBeLessThan(2 * MiB + 32 * MiB);
  });

  it("passes a body under the cap through, whole and readable", async () => {
    const { server } = ctx;
    const sessions = Array.from({ length: 20_000 }, (_, i) => ({ id: `s${i}`, addr: `10.0.0.${i % 250}:6379` }));
    server.respondWith(json(200, { sessions }));
    const response = await coreFetchFor(server)(`${server.url}${SESSIONS_PATH}`, { method: "GET" });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { sessions: unknown[] }).sessions).toHaveLength(20_000);
  });

  it("passes an empty 2xx body through (and says so in Content-Length)", async () => {
    const { server } = ctx;
    server.respondWith((_request, response) => {
      response.writeHead(200, { "transfer-encoding": "chunked" });
      response.end();
    });
    const response = await closeSessions(coreFetchFor(server), server);
    expect(response.headers.get("content-length")).toBe("0");
    expect(await response.text()).toBe("");
  });
});

describe("a 2xx that is not JSON", () => {
  it("throws InvalidResponseError (a GeminiDbError), not SyntaxError", async () => {
    const { server } = ctx;
    server.respondWith(raw(200, "<html><body>Welcome to the captive portal</body></html>", { "content-type": "text/html" }));
    const error = await rejectionOf(closeSessions(coreFetchFor(server), server));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toBeInstanceOf(GeminiDbError);
    expect((error as InvalidResponseError).status).toBe(200);
    expect((error as InvalidResponseError).requestId).toBe("req-200");
    expect((error as Error).message).toContain("captive portal");
    expect(server.requests).toHaveLength(1);
  });
});

/** First answer: 200 whose body stalls after one byte; later answers: the whole body. */
function stallThenAnswer() {
  return sequence(
    (_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      response.write("{");
    },
    json(200, { ok: true }),
  );
}

describe("a 2xx whose body stalls", () => {
  it("is sent again for a read-only request (GET)", async () => {
    const { server } = ctx;
    server.respondWith(stallThenAnswer());
    // A generous timeout: only the first answer stalls, so a loaded machine must not time out the second too.
    const response = await coreFetchFor(server, { timeoutMs: 1500 })(`${server.url}${SESSIONS_PATH}`, { method: "GET" });
    expect(await response.json()).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });

  it("is not sent again for a close (DELETE), and the TimeoutError says so", async () => {
    const { server } = ctx;
    server.respondWith(stallThenAnswer());
    // Long enough for the head to arrive on a loaded machine (a timeout before it would be retried).
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { timeoutMs: 1_000 }), server));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(server.requests).toHaveLength(1);
    const message = (error as Error).message;
    expect(message).toContain("HTTP 200");
    expect(message).toContain("not sent again");
    expect(message).not.toMatch(/of at most/);
  });

  it("follows a `safeToResend` option over the method", async () => {
    const { server } = ctx;
    server.respondWith(stallThenAnswer());
    const coreFetch = coreFetchFor(server, { timeoutMs: 1_500, safeToResend: ({ method }) => method === "DELETE" });
    expect(await (await closeSessions(coreFetch, server)).json()).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });
});

describe("a 2xx whose body breaks off", () => {
  it("is sent again for a GET, and not for a close, whose ConnectionError says so", async () => {
    const { server } = ctx;
    server.respondWith(sequence(truncated(200, '{"sessions":['), json(200, { sessions: [] })));
    const response = await coreFetchFor(server)(`${server.url}${SESSIONS_PATH}`, { method: "GET" });
    expect(await response.json()).toEqual({ sessions: [] });
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    server.respondWith(sequence(truncated(200, '{"job_id":'), json(200, { job_id: "again" })));
    const error = await rejectionOf(closeSessions(coreFetchFor(server), server));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/HTTP 200 arrived but its body broke off .*not sent again/);
    expect(server.requests).toHaveLength(1);
  });
});

describe("timers", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("clears the attempt's timeout once the body is read", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const fetch: FetchLike = async () => new Response('{"ok":true}', { status: 200, headers: { "content-type": "application/json" } });
    const coreFetch = createCoreFetch({ endpoint: ENDPOINT, credentials: { token: TOKEN }, fetch });
    const response = await coreFetch(`${ENDPOINT}${SESSIONS_PATH}`, { method: "GET" });
    expect(await response.json()).toEqual({ ok: true });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("the 2xx Response handed back", () => {
  for (const via of ["the runtime's fetch", "createNodeFetch"] as const) {
    it(`reads like any Response, once (${via})`, async () => {
      const { server } = ctx;
      const { createNodeFetch } = await import("../src/node.js");
      const options = via === "createNodeFetch" ? { fetch: createNodeFetch() } : {};
      server.respondWith(json(200, { sessions: [1, 2], total_count: 2 }));
      const first = await closeSessions(coreFetchFor(server, options), server);
      expect(first.headers.get("content-length")).toBe(String('{"sessions":[1,2],"total_count":2}'.length));
      const copy = first.clone();
      expect(await first.json()).toEqual({ sessions: [1, 2], total_count: 2 });
      expect(first.bodyUsed).toBe(true);
      await expect(first.text()).rejects.toThrow(TypeError);
      expect(await copy.text()).toBe('{"sessions":[1,2],"total_count":2}');
      const streamed = await closeSessions(coreFetchFor(server, options), server);
      const bytes = await new Response(streamed.body).text();
      expect(JSON.parse(bytes)).toEqual({ sessions: [1, 2], total_count: 2 });
      expect(streamed.bodyUsed).toBe(true);
    });
  }
});
