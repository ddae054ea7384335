import { json } from "@geminidb-sessions/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EXCHANGE, type Exchange } from "../src/buffered-response.js";
import * as onNode from "../src/index.node.js";
import { closeSessions, SESSIONS_PATH, TOKEN, useServer } from "./helpers.js";

const ctx = useServer();

/** undici's fetch adds Fetch-spec headers node:http never sends. */
const sentByUndici = (headers: Record<string, unknown>) => headers["sec-fetch-mode"] !== undefined;

describe("the transport a client given no fetch uses", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  // (The runtime-neutral entry's default, globalThis.fetch, is what every other test file here runs on:
  // each file gets its own module graph, and only this one loads index.node.ts.)
  it("on Node (the `node` export condition): node:http keep-alive, not undici's fetch", async () => {
    const { server } = ctx;
    server.respondWith(json(200, {}));
    const coreFetch = onNode.createCoreFetch({ endpoint: server.url, credentials: { token: TOKEN } });
    expect((await closeSessions(coreFetch, server)).status).toBe(200);
    expect((await closeSessions(coreFetch, server)).status).toBe(200);
    const [first] = server.requests;
    expect(first?.rawUrl).toBe(SESSIONS_PATH);
    expect(sentByUndici(first?.headers ?? {})).toBe(false);
    expect(first?.headers.connection).toBe("keep-alive");
  });

  it("on Node it hands core's transport node:http's exchange (no Response built on the way), and steps aside for a replaced global fetch", async () => {
    const { server } = ctx;
    server.respondWith(json(200, {}));
    const { fetch } = onNode.resolveCoreOptions({ endpoint: server.url, credentials: { token: TOKEN } });
    const exchange = (fetch as { [EXCHANGE]?: Exchange })[EXCHANGE];
    const request = () => ({
      url: new URL(`${server.url}${SESSIONS_PATH}`),
      method: "DELETE",
      headers: {},
      body: undefined,
      signal: new AbortController().signal,
      limitBytes: 1024,
    });
    const answer = await exchange?.(request());
    expect(answer).not.toBeInstanceOf(Response);
    expect(answer).toMatchObject({ status: 200, headers: { "x-request-id": "req-200" } });
    vi.stubGlobal("fetch", vi.fn());
    expect(exchange?.(request())).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });

  it("a globalThis.fetch replaced after core loaded (a mock) is used instead, looked up at call time", async () => {
    const { server } = ctx;
    const coreFetch = onNode.createCoreFetch({ endpoint: server.url, credentials: { token: TOKEN } });
    const mock = vi.fn(async () => new Response("{}", { status: 200, headers: { "content-type": "application/json" } }));
    vi.stubGlobal("fetch", mock);
    expect((await closeSessions(coreFetch, server)).status).toBe(200);
    expect(mock).toHaveBeenCalledTimes(1);
    expect(server.requests).toHaveLength(0);
  });

  it("a 2xx body past maxResponseBytes is a ResponseTooLargeError, sent once, whether its length is declared or not", async () => {
    const { server } = ctx;
    const coreFetch = onNode.createCoreFetch({ endpoint: server.url, credentials: { token: TOKEN }, maxResponseBytes: 1024 });
    const big = JSON.stringify({ sessions: "x".repeat(64 * 1024) });
    server.respondWith(json(200, JSON.parse(big)));
    expect(await closeSessions(coreFetch, server).catch((error: unknown) => error)).toBeInstanceOf(onNode.ResponseTooLargeError);
    // No Content-Length (chunked): counted as it arrives.
    server.respondWith((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write(big.slice(0, 40 * 1024));
      response.end(big.slice(40 * 1024));
    });
    expect(await closeSessions(coreFetch, server).catch((error: unknown) => error)).toBeInstanceOf(onNode.ResponseTooLargeError);
    expect(server.requests).toHaveLength(2);
  });
});
