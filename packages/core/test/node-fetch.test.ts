import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { countingFetch, hang, json, raw, truncated } from "@geminidb-sessions/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { AbortError, ConnectionError, NotFoundError, TimeoutError } from "../src/index.js";
import { createNodeFetch, type NodeFetch } from "../src/node.js";
import { verifySignature } from "../src/server.js";
import { AK, asReceived, closeSessions, coreFetchFor, PROJECT, rejectionOf, SESSIONS_PATH, SK, useServer } from "./helpers.js";

const fetches: NodeFetch[] = [];
/** A node fetch closed after the test. */
const nodeFetch = (...args: Parameters<typeof createNodeFetch>) => {
  const made = createNodeFetch(...args);
  fetches.push(made);
  return made;
};
afterEach(() => {
  for (const made of fetches.splice(0)) made.close();
});

/** A server that answers every request with the client port it came from, and counts closed sockets. */
async function socketServer(): Promise<{ url: string; closed: () => number; server: Server }> {
  let closed = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ port: req.socket.remotePort }));
  });
  server.on("connection", (socket) => socket.on("close", () => closed++));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, closed: () => closed, server };
}

describe("createNodeFetch (@geminidb-sessions/core/node)", () => {
  const context = useServer();

  it("sends the method, the exact target, the headers and the body, and returns status, headers and body", async () => {
    const { server } = context;
    server.respondWith(json(201, { done: true }, { "x-extra": "yes" }));
    const response = await nodeFetch()(`${server.url}/v3/a%20b/x?b=2&a=1`, {
      method: "post",
      headers: new Headers({ "Content-Type": "application/json", "X-Auth-Token": "t" }),
      body: '{"is_all":true}',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-extra")).toBe("yes");
    expect(response.headers.get("x-request-id")).toBe("req-201");
    expect(await response.json()).toEqual({ done: true });
    const [seen] = server.requests;
    expect(seen?.method).toBe("POST");
    expect(seen?.rawUrl).toBe("/v3/a%20b/x?b=2&a=1");
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(seen?.headers["x-auth-token"]).toBe("t");
    expect(seen?.headers["content-length"]).toBe("15");
    expect(seen?.headers.host).toBe(new URL(server.url).host);
    expect(seen?.body).toBe('{"is_all":true}');
  });

  it("takes headers as a record or pairs, bodies as bytes, and a Request with its body", async () => {
    const { server } = context;
    const send = nodeFetch();
    await send(server.url, { method: "PUT", headers: { "X-A": "1" }, body: new TextEncoder().encode("bytes") });
    await send(server.url, { method: "PUT", headers: [["X-B", "2"]], body: new TextEncoder().encode("view").buffer });
    await send(new Request(`${server.url}/r`, { method: "POST", headers: { "X-C": "3" }, body: "from a Request" }));
    // DELETE with a body (closeNodeSessions): node:http neither chunks nor measures it by itself.
    await send(server.url, { method: "DELETE", body: new TextEncoder().encode('{"is_all":true}') });
    expect(server.requests.map((r) => [r.method, r.rawUrl, r.body])).toEqual([
      ["PUT", "/", "bytes"],
      ["PUT", "/", "view"],
      ["POST", "/r", "from a Request"],
      ["DELETE", "/", '{"is_all":true}'],
    ]);
    expect([server.requests[0]?.headers["x-a"], server.requests[1]?.headers["x-b"], server.requests[2]?.headers["x-c"]]).toEqual([
      "1",
      "2",
      "3",
    ]);
    // Sent with their length, as fetch sends them, never chunked (a gateway may refuse chunked bodies).
    expect(server.requests.map((r) => [r.headers["content-length"], r.headers["transfer-encoding"]])).toEqual([
      ["5", undefined],
      ["4", undefined],
      ["14", undefined],
      ["15", undefined],
    ]);
  });

  it("gives 204 and HEAD a null body, and decodes a gzip body", async () => {
    const { server } = context;
    const send = nodeFetch();
    server.respondWith(raw(204, ""));
    expect((await send(server.url, { method: "DELETE" })).body).toBeNull();
    server.respondWith(raw(200, "ignored"));
    expect((await send(server.url, { method: "HEAD" })).body).toBeNull();
    server.respondWith((_request, response) => {
      response.writeHead(200, { "content-encoding": "gzip", "content-type": "application/json" });
      response.end(gzipSync('{"zipped":1}'));
    });
    expect(await (await send(server.url)).json()).toEqual({ zipped: 1 });
  });

  it("returns a Response that reads like Node's own: text, json, bytes, blob, stream, clone, and a body read only once", async () => {
    const { server } = context;
    server.respondWith(raw(200, '\ufeff{"é":1}', { "content-type": "application/json" }));
    const send = nodeFetch();
    const first = await send(server.url);
    expect(first).toBeInstanceOf(Response);
    const copy = first.clone();
    expect(first.bodyUsed).toBe(false);
    expect(await first.json()).toEqual({ é: 1 }); // UTF-8, BOM dropped, as Response.json does
    expect(first.bodyUsed).toBe(true);
    await expect(first.text()).rejects.toThrow(TypeError);
    expect(() => first.clone()).toThrow(TypeError);
    expect(await copy.text()).toBe('{"é":1}');

    const bytes = await send(server.url);
    expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(new TextEncoder().encode('\ufeff{"é":1}'));
    const blob = await (await send(server.url)).blob();
    expect(blob.type).toBe("application/json");
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new TextEncoder().encode('\ufeff{"é":1}'));

    const streamed = await send(server.url);
    const reader = streamed.body?.getReader();
    const chunks: Uint8Array[] = [];
    for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) chunks.push(next.value);
    expect(new TextDecoder().decode(Buffer.concat(chunks))).toBe('{"é":1}');
    expect(streamed.bodyUsed).toBe(true);
    await expect(streamed.json()).rejects.toThrow(TypeError);

    server.respondWith(raw(200, "not json"));
    await expect((await send(server.url)).json()).rejects.toThrow(SyntaxError);
  });

  it("keeps the connection alive: sequential calls use one socket", async () => {
    const { url, server } = await socketServer();
    try {
      const send = nodeFetch();
      const ports = new Set<number>();
      for (let i = 0; i < 5; i++) ports.add(((await (await send(url)).json()) as { port: number }).port);
      expect(ports.size).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("rejects a refused connection with TypeError('fetch failed') and the system error, as Node's fetch does", async () => {
    const { url, server } = await socketServer();
    await new Promise((resolve) => server.close(resolve));
    const error = await rejectionOf(nodeFetch()(url));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe("fetch failed");
    expect(((error as Error).cause as { code?: string }).code).toBe("ECONNREFUSED");
  });

  it("rejects with the signal's reason on abort, before sending or while waiting, and closes the socket", async () => {
    const { server } = context;
    const send = nodeFetch();
    const early = new AbortController();
    early.abort(new Error("early"));
    expect(await rejectionOf(send(server.url, { signal: early.signal }))).toEqual(new Error("early"));
    expect(server.requests).toHaveLength(0);

    const sockets = await socketServer();
    sockets.server.removeAllListeners("request");
    sockets.server.on("request", () => {}); // never answers
    try {
      const late = new AbortController();
      const pending = send(sockets.url, { signal: late.signal });
      await new Promise((resolve) => setTimeout(resolve, 20));
      late.abort(new Error("late"));
      expect(await rejectionOf(pending)).toEqual(new Error("late"));
      await expect.poll(sockets.closed).toBe(1);
    } finally {
      sockets.server.closeAllConnections();
      sockets.server.close();
    }
  });

  it("fails a body cut short, and a body over maxResponseBytes", async () => {
    const { server } = context;
    server.respondWith(truncated(200, '{"partial":'));
    // As Node's fetch: the head resolves; the body gives what arrived, then reading it fails.
    const answer = await nodeFetch()(server.url);
    expect(answer.status).toBe(200);
    const cutReader = (answer.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await cutReader.read()).value)).toBe('{"partial":');
    const cut = await rejectionOf(cutReader.read());
    expect(cut).toBeInstanceOf(TypeError);
    server.respondWith(raw(200, "x".repeat(100)));
    // Past the cap the head resolves; the body gives what arrived, then fails.
    const big = await nodeFetch({ maxResponseBytes: 10 })(server.url);
    expect(big.status).toBe(200);
    const reader = (big.body as ReadableStream<Uint8Array>).getReader();
    let got = 0;
    const failure = await (async () => {
      for (;;) {
        try {
          const { done, value } = await reader.read();
          if (done) return undefined;
          got += value.byteLength;
        } catch (error) {
          return error;
        }
      }
    })();
    expect(got).toBeGreaterThan(10);
    expect((failure as Error).message).toMatch(/maxResponseBytes/);
    // A Content-Length over the cap: nothing is read.
    server.respondWith(raw(200, "y".repeat(100), { "content-length": "100" }));
    const declared = await nodeFetch({ maxResponseBytes: 10 })(server.url);
    await expect(declared.text()).rejects.toThrow(/maxResponseBytes/);
  });

  it("bounds a compressed body once decoded: 1 KiB of gzip that inflates to 1 MiB fails at maxResponseBytes", async () => {
    const { server } = context;
    const bomb = gzipSync("0".repeat(1024 * 1024));
    expect(bomb.byteLength).toBeLessThan(2048);
    server.respondWith((_request, response) => {
      response.writeHead(200, { "content-encoding": "gzip", "content-type": "application/json" });
      response.end(bomb);
    });
    // The head resolves, as with fetch; reading the body fails.
    const response = await nodeFetch({ maxResponseBytes: 64 * 1024 })(server.url);
    const error = await rejectionOf(response.arrayBuffer());
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/larger than 65536 bytes \(maxResponseBytes\)/);
  });

  it("refuses a URL that is not http or https, and a body it cannot send, before any I/O", async () => {
    expect(((await rejectionOf(nodeFetch()("file:///etc/hosts"))) as Error).message).toMatch(/file:/);
    const stream = new ReadableStream();
    const error = await rejectionOf(nodeFetch()(context.server.url, { method: "POST", body: stream, duplex: "half" } as RequestInit));
    expect((error as Error).message).toMatch(/string, ArrayBuffer or typed-array bodies/);
    expect(context.server.requests).toHaveLength(0);
  });
});

describe("the core transport on createNodeFetch", () => {
  const context = useServer();

  it("signs AK/SK requests the server can verify, and sends tokens", async () => {
    const { server } = context;
    const signed = coreFetchFor(server, { projectId: PROJECT, credentials: { accessKey: AK, secretKey: SK }, fetch: nodeFetch() });
    expect((await closeSessions(signed, server)).status).toBe(200);
    const verdict = await verifySignature(asReceived(server.requests[0] as never), (ak) => (ak === AK ? SK : undefined));
    expect(verdict).toEqual({ ok: true, accessKey: AK });
    const withToken = coreFetchFor(server, { fetch: nodeFetch() });
    expect((await closeSessions(withToken, server)).status).toBe(200);
    expect(server.requests[1]?.rawUrl).toBe(SESSIONS_PATH);
  });

  it("times out each attempt (TimeoutError after the retries), then answers once the server does", async () => {
    const { server } = context;
    server.respondWith(hang());
    const counted = countingFetch(nodeFetch());
    const coreFetch = coreFetchFor(server, { timeoutMs: 50, maxRetries: 1, fetch: counted.fetch });
    const error = await rejectionOf(closeSessions(coreFetch, server));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).attempts).toBe(2);
    expect(counted.sent()).toBe(2);
    // The server answers now; the transport recovered. (A 50 ms attempt may time out before it
    // even reaches a loaded server, so the switch is not counted in the server's requests.)
    server.respondWith(json(200, { ok: 1 }));
    const patient = coreFetchFor(server, { timeoutMs: 5_000, maxRetries: 0, fetch: nodeFetch() });
    expect(await (await closeSessions(patient, server)).json()).toEqual({ ok: 1 });
  });

  it("maps an error answer to the same typed error as with Node's fetch", async () => {
    const { server } = context;
    server.respondWith(json(404, { error_code: "DBS.200022", error_msg: "instance not found" }));
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { fetch: nodeFetch() }), server));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).code).toBe("DBS.200022");
    expect((error as NotFoundError).requestId).toBe("req-404");
  });

  it("turns an abort into AbortError and a refused connection into ConnectionError", async () => {
    const { server } = context;
    server.respondWith(hang());
    const controller = new AbortController();
    const pending = closeSessions(coreFetchFor(server, { fetch: nodeFetch() }), server, { signal: controller.signal });
    await expect.poll(() => server.requests.length).toBe(1);
    controller.abort();
    expect(await rejectionOf(pending)).toBeInstanceOf(AbortError);

    const { url, server: gone } = await socketServer();
    await new Promise((resolve) => gone.close(resolve));
    const refused = coreFetchFor({ ...server, url }, { fetch: nodeFetch(), maxRetries: 0 });
    const failure = await rejectionOf(refused(`${url}${SESSIONS_PATH}`, { method: "DELETE" }));
    expect(failure).toBeInstanceOf(ConnectionError);
    expect((failure as Error).message).toMatch(/ECONNREFUSED/);
  });
});

describe("packaging", () => {
  it("only src/node.ts names a node: module, so the main entry stays loadable in browsers and workers", () => {
    const sourceDir = new URL("../src/", import.meta.url);
    const naming = readdirSync(sourceDir)
      .filter((name) => name.endsWith(".ts"))
      .filter((name) => /from\s+["']node:/.test(readFileSync(new URL(name, sourceDir), "utf8")));
    expect(naming).toEqual(["node.ts"]);
  });
});
