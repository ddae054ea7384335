import { verifySignature } from "@geminidb-sessions/core/server";
import type { RecordedRequest } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { accessKey, apiFor, instanceId, projectId, secretKey, useServer } from "./support.js";

const ctx = useServer();

function verify(request: RecordedRequest | undefined) {
  if (!request) throw new Error("no request was recorded");
  return verifySignature({ method: request.method, rawTarget: request.rawUrl, headers: request.headers, body: request.body }, (ak) =>
    ak === accessKey ? secretKey : undefined,
  );
}

// Tokens, their refresh and AK/SK signing are core's (packages/core/test/transport-auth.test.ts) and are
// run through this flavour by the conformance suite ("authentication"). What is left here is this
// flavour's own surface: the generator's init overrides, which replace the request's headers wholesale.
describe("authentication, through core's fetch in Configuration.fetchApi", () => {
  it("names a per-call project in the signed X-Project-Id, even when init overrides replace the headers", async () => {
    const other = "0123456789abcdef0123456789abcdef";
    const api = apiFor(ctx.server, { credentials: { accessKey, secretKey } });
    await api.closeInstanceSessions({ instanceId, projectId: other });
    await api.closeInstanceSessions({ instanceId, projectId: other }, { headers: { "X-Trace": "t-2" } });
    await api.closeInstanceSessions({ instanceId, projectId: other }, async () => ({ headers: { "X-Project-Id": projectId } }));
    expect(ctx.server.requests).toHaveLength(3);
    for (const request of ctx.server.requests) {
      expect(request.headers["x-auth-token"]).toBeUndefined();
      expect(request.rawUrl).toBe(`/v3/${other}/instances/${instanceId}/sessions`);
      expect(request.headers["x-project-id"]).toBe(other);
      expect(await verify(request)).toEqual({ ok: true, accessKey });
    }
    expect(ctx.server.requests[1]?.headers["x-trace"]).toBe("t-2");
  });
});
