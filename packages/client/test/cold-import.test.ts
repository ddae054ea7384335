import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { verifySignature } from "@geminidb-sessions/core/server";
import { json } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { accessKey, instanceId, projectId, secretKey, useServer } from "./support.js";

const ctx = useServer();

/*
 * What a fresh `node` process does to import the built client (its ESM entry, as the benchmark's
 * cold-start section imports it), and the first calls after. Importing loads none of what only a
 * call needs: node:http and node:https (the default transport), node:zlib (compressed bodies),
 * node:crypto (AK/SK signing) and undici (which Node loads on the first read of `Response`).
 * `process.moduleLoadList` is Node's own list of the built-in modules loaded so far.
 */
const child = `
const before = new Set(process.moduleLoadList);
const { createSessionsClient } = await import(process.env.ENTRY);
const loaded = process.moduleLoadList.filter((name) => !before.has(name));
const client = createSessionsClient({
  projectId: process.env.PROJECT_ID,
  endpoint: process.env.ENDPOINT,
  credentials: { accessKey: process.env.AK, secretKey: process.env.SK },
});
const first = await client.closeInstanceSessions({ instanceId: process.env.INSTANCE_ID });
const second = await client.closeInstanceSessions({ instanceId: process.env.INSTANCE_ID });
const after = process.moduleLoadList;
console.log(JSON.stringify({ loaded, first, second, after }));
`;

const deferred = [
  "NativeModule http",
  "NativeModule https",
  "NativeModule zlib",
  "NativeModule crypto",
  "NativeModule internal/deps/undici/undici",
];

describe("a cold import of the built client", () => {
  it("loads no transport, compression, signing or fetch module until a call needs it; the first calls then sign, send and answer", async () => {
    const { server } = ctx;
    server.respondWith(json(200, {}, { "x-request-id": "req-cold" }));
    const env: Record<string, string | undefined> = {
      ...process.env,
      ENTRY: new URL("../dist/index.js", import.meta.url).href,
      ENDPOINT: server.url,
      PROJECT_ID: projectId,
      INSTANCE_ID: instanceId,
      AK: accessKey,
      SK: secretKey,
    };
    delete env.NODE_OPTIONS;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", child], { env });
    const report = JSON.parse(stdout) as { loaded: string[]; first: unknown; second: unknown; after: string[] };
    expect(Array.isArray(report.loaded)).toBe(true);
    expect(report.loaded.filter((name) => deferred.includes(name))).toEqual([]);
    expect(report.first).toEqual({ data: {}, requestId: "req-cold" });
    expect(report.second).toEqual({ data: {}, requestId: "req-cold" });
    expect(report.after).toEqual(expect.arrayContaining(["NativeModule http", "NativeModule crypto"]));
    expect(server.requests).toHaveLength(2);
    for (const request of server.requests) {
      expect(request.headers.connection).toBe("keep-alive"); // node:http's agent, not undici's fetch
      const received = { method: request.method, rawTarget: request.rawUrl, headers: request.headers, body: request.body };
      expect(await verifySignature(received, (ak) => (ak === accessKey ? secretKey : undefined))).toEqual({ ok: true, accessKey });
    }
  });
});
