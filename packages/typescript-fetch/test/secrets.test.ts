import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AuthenticationError } from "../src/index.js";
import { accessKey, apiFor, instanceId, projectId, rejectionOf, secretKey, securityToken, token, useServer } from "./support.js";

const ctx = useServer();

afterEach(() => {
  vi.restoreAllMocks();
});

describe("secrets and output", () => {
  it.each([
    ["a token", { token }],
    ["an AK/SK pair", { accessKey, secretKey, securityToken }],
  ])("never shows %s in util.inspect or JSON, of the API or of a clone", (_label, credentials) => {
    const api = apiFor(ctx.server, { credentials });
    for (const shown of [inspect(api, { depth: 10 }), JSON.stringify(api), inspect(api.withMiddleware({}), { depth: 10 })]) {
      expect(shown).toContain(projectId);
      for (const secret of [token, secretKey, securityToken]) expect(shown).not.toContain(secret);
    }
  });

  it("masks the credentials in the ApiError it builds itself, from a post middleware's non-2xx response", async () => {
    // Core scrubs the errors its transport throws (packages/core/test/redaction.test.ts); this
    // error is built by this flavor's own wrapper around the generator's ResponseError.
    const echoing = `{"error_code":"APIGW.0301","error_msg":"bad token ${token}","echo":"${encodeURIComponent(token)}"}`;
    const api = apiFor(ctx.server, { credentials: { token } }).withPostMiddleware(
      async () => new Response(echoing, { status: 401, headers: { "content-type": "application/json" } }),
    );
    const error = await rejectionOf(api.closeInstanceSessions({ instanceId }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toContain("bad token ***");
    for (const shown of [(error as AuthenticationError).rawBody, String(error), inspect(error, { depth: 10 }), JSON.stringify(error)]) {
      expect(shown).not.toContain(token);
      expect(shown).not.toContain(encodeURIComponent(token));
    }
  });

  it("prints nothing and emits no process warning during a call", async () => {
    const printed = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method));
    const warned = vi.spyOn(process, "emitWarning");
    await apiFor(ctx.server).closeInstanceSessions({ instanceId });
    for (const spy of [...printed, warned]) expect(spy).not.toHaveBeenCalled();
  });
});
