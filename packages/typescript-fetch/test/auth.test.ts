import { verifySignature } from "@geminidb-sessions/core/server";
import { json, type RecordedRequest } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { accessKey, apiFor, instanceId, projectId, secretKey, securityToken, token, useServer } from "./support.js";

const ctx = useServer();

function verify(request: RecordedRequest | undefined) {
  if (!request) throw new Error("no request was recorded");
  return verifySignature({ method: request.method, rawTarget: request.rawUrl, headers: request.headers, body: request.body }, (ak) =>
    ak === accessKey ? secretKey : undefined,
  );
}

describe("authentication, through core's fetch in Configuration.fetchApi", () => {
  it("sends a token string as X-Auth-Token, no signature and no X-Project-Id", async () => {
    await apiFor(ctx.server, { credentials: { token } }).closeInstanceSessions({ instanceId });
    const headers = ctx.server.requests[0]?.headers ?? {};
    expect(headers["x-auth-token"]).toBe(token);
    expect(headers.authorization).toBeUndefined();
    expect(headers["x-project-id"]).toBeUndefined();
  });

  it("refreshes a provider's token once on 401 APIGW.0301 and retries the call", async () => {
    let calls = 0;
    ctx.server.respondWith((request, response) => {
      const fresh = request.headers["x-auth-token"] === "provided-2";
      json(fresh ? 200 : 401, fresh ? {} : { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" })(
        request,
        response,
      );
    });
    const api = apiFor(ctx.server, { credentials: { token: async () => `provided-${++calls}` } });
    await expect(api.closeInstanceSessions({ instanceId })).resolves.toEqual({});
    expect(calls).toBe(2);
    expect(ctx.server.requests).toHaveLength(2);
  });

  it("signs with AK/SK so the server verifies the request it received", async () => {
    await apiFor(ctx.server, { credentials: { accessKey, secretKey } }).closeInstanceSessions({ instanceId });
    const request = ctx.server.requests[0];
    expect(request?.headers["x-auth-token"]).toBeUndefined();
    expect(request?.headers["x-project-id"]).toBe(projectId);
    expect(await verify(request)).toEqual({ ok: true, accessKey });
  });

  it("adds and signs X-Security-Token for temporary credentials", async () => {
    await apiFor(ctx.server, { credentials: { accessKey, secretKey, securityToken } }).closeInstanceSessions({ instanceId });
    const request = ctx.server.requests[0];
    expect(request?.headers["x-security-token"]).toBe(securityToken);
    expect(request?.headers.authorization).toContain("x-security-token");
    expect(await verify(request)).toEqual({ ok: true, accessKey });
  });

  it("names a per-call project in the signed X-Project-Id, even when init overrides replace the headers", async () => {
    const other = "0123456789abcdef0123456789abcdef";
    const api = apiFor(ctx.server, { credentials: { accessKey, secretKey } });
    await api.closeInstanceSessions({ instanceId, projectId: other });
    await api.closeInstanceSessions({ instanceId, projectId: other }, { headers: { "X-Trace": "t-2" } });
    await api.closeInstanceSessions({ instanceId, projectId: other }, async () => ({ headers: { "X-Project-Id": projectId } }));
    expect(ctx.server.requests).toHaveLength(3);
    for (const request of ctx.server.requests) {
      expect(request.rawUrl).toBe(`/v3/${other}/instances/${instanceId}/sessions`);
      expect(request.headers["x-project-id"]).toBe(other);
      expect(await verify(request)).toEqual({ ok: true, accessKey });
    }
    expect(ctx.server.requests[1]?.headers["x-trace"]).toBe("t-2");
  });
});
