import { createServer, request as httpRequest, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { json, type RecordingServer, startRecordingServer } from "@geminidb-sessions/test-utils";
import { EnvHttpProxyAgent, fetch as undiciFetch } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { instanceId, projectId, token } from "./support.js";

/** A loopback forward proxy that records what it carried: CONNECT tunnels and absolute-form requests. */
async function startProxy(): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(String(req.url));
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  server.on("connect", (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = String(req.url).split(":");
    const upstream = connect(Number(port), host, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const variables = ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "GEMINIDB_TOKEN", "HUAWEICLOUD_SDK_PROJECT_ID", "HUAWEICLOUD_SDK_REGION"];

describe("the README's proxy example (HTTP_PROXY / NO_PROXY through undici's EnvHttpProxyAgent)", () => {
  let api: RecordingServer;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  const saved: Record<string, string | undefined> = {};

  beforeEach(async () => {
    api = await startRecordingServer();
    proxy = await startProxy();
    for (const name of variables) saved[name] = process.env[name];
  });
  afterEach(async () => {
    for (const name of variables) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    delete process.env.HUAWEICLOUD_SDK_REGION_GAUSSDBFORNOSQL_CN_NORTH_4;
    await proxy.close();
    await api.close();
  });

  it("sends every request through the proxy named in the environment", async () => {
    // The endpoint comes from the environment too: the vendor SDKs' per-region endpoint variable.
    Object.assign(process.env, {
      HTTP_PROXY: proxy.url,
      NO_PROXY: "",
      GEMINIDB_TOKEN: token,
      HUAWEICLOUD_SDK_PROJECT_ID: projectId,
      HUAWEICLOUD_SDK_REGION: "cn-north-4",
      HUAWEICLOUD_SDK_REGION_GAUSSDBFORNOSQL_CN_NORTH_4: api.url,
    });
    const { client } = await import("../examples/proxy.js");
    api.respondWith(json(200, {}));
    await client.closeInstanceSessions({ instanceId });
    const target = new URL(api.url).host;
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(proxy.seen.every((line) => line.includes(target))).toBe(true);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.headers["x-auth-token"]).toBe(token);
  });

  it("goes direct to a host NO_PROXY lists", async () => {
    Object.assign(process.env, { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" });
    const dispatcher = new EnvHttpProxyAgent();
    api.respondWith(json(200, {}));
    const response = await undiciFetch(`${api.url}/v3/${projectId}/instances/${instanceId}/sessions`, { method: "DELETE", dispatcher });
    expect(response.status).toBe(200);
    expect(proxy.seen).toEqual([]);
    await dispatcher.close();
  });
});
