import { verifySignature } from "@geminidb-sessions/core/server";
import { json, type RecordedRequest } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { accessKey, clientFor, instanceId, projectId, secretKey, securityToken, token, useServer } from "./support.js";

const ctx = useServer();

function verify(request: RecordedRequest | undefined, secrets: Record<string, string> = { [accessKey]: secretKey }) {
  if (!request) throw new Error("no request was recorded");
  return verifySignature(
    { method: request.method, rawTarget: request.rawUrl, headers: request.headers, body: request.body },
    (ak) => secrets[ak],
  );
}

describe("authentication", () => {
  it("sends a token string as X-Auth-Token and no signature", async () => {
    await clientFor(ctx.server, { credentials: { token } }).closeInstanceSessions({ instanceId });
    const headers = ctx.server.requests[0]?.headers ?? {};
    expect(headers["x-auth-token"]).toBe(token);
    expect(headers.authorization).toBeUndefined();
  });

  it("asks a token provider lazily, once, for concurrent calls", async () => {
    let calls = 0;
    const client = clientFor(ctx.server, {
      credentials: {
        token: async () => {
          calls++;
          await new Promise((resolve) => setTimeout(resolve, 20));
          return `provided-${calls}`;
        },
      },
    });
    expect(calls).toBe(0);
    await Promise.all([1, 2, 3, 4, 5].map(() => client.closeInstanceSessions({ instanceId })));
    expect(calls).toBe(1);
    expect(ctx.server.requests.map((r) => r.headers["x-auth-token"])).toEqual(Array(5).fill("provided-1"));
  });

  it("refreshes the token once on 401 APIGW.0301 and retries the call", async () => {
    let calls = 0;
    ctx.server.respondWith((request, response) => {
      const fresh = request.headers["x-auth-token"] === "provided-2";
      json(fresh ? 200 : 401, fresh ? {} : { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" })(
        request,
        response,
      );
    });
    const client = clientFor(ctx.server, { credentials: { token: async () => `provided-${++calls}` } });
    await expect(client.closeInstanceSessions({ instanceId })).resolves.toEqual({ data: {}, requestId: "req-200" });
    expect(calls).toBe(2);
    expect(ctx.server.requests).toHaveLength(2);
  });

  it("signs with AK/SK so the server verifies the request it received", async () => {
    await clientFor(ctx.server, { credentials: { accessKey, secretKey } }).closeInstanceSessions({ instanceId });
    const request = ctx.server.requests[0];
    expect(request?.headers["x-auth-token"]).toBeUndefined();
    expect(request?.headers["x-project-id"]).toBe(projectId);
    expect(request?.headers["x-sdk-date"]).toMatch(/^\d{8}T\d{6}Z$/);
    expect(request?.headers.authorization).toMatch(
      new RegExp(`^SDK-HMAC-SHA256 Access=${accessKey}, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`),
    );
    expect(await verify(request)).toEqual({ ok: true, accessKey });
  });

  it("adds X-Security-Token for temporary credentials and signs it", async () => {
    await clientFor(ctx.server, { credentials: { accessKey, secretKey, securityToken } }).closeInstanceSessions({ instanceId });
    const request = ctx.server.requests[0];
    expect(request?.headers["x-security-token"]).toBe(securityToken);
    expect(request?.headers.authorization).toContain("x-security-token");
    expect(await verify(request)).toEqual({ ok: true, accessKey });
  });

  it("a signature made with another SK does not verify", async () => {
    await clientFor(ctx.server, { credentials: { accessKey, secretKey } }).closeInstanceSessions({ instanceId });
    expect(await verify(ctx.server.requests[0], { [accessKey]: `${secretKey}x` })).toMatchObject({ ok: false, reason: "mismatch" });
  });

  it.each([
    ["lowest IDs", "00000000000000000000000000000000", "00000000000000000000000000000000in00"],
    ["highest IDs", "ffffffffffffffffffffffffffffffff", "ffffffffffffffffffffffffffffffffin99"],
  ])("signs byte for byte the path that goes on the wire (%s)", async (_label, project, instance) => {
    await clientFor(ctx.server, { credentials: { accessKey, secretKey } }).closeInstanceSessions({
      instanceId: instance,
      projectId: project,
    });
    const request = ctx.server.requests[0];
    expect(request?.rawUrl).toBe(`/v3/${project}/instances/${instance}/sessions`);
    expect(request?.headers["x-project-id"]).toBe(project);
    expect(await verify(request)).toEqual({ ok: true, accessKey });
  });
});
