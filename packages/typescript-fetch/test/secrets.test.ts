import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { accessKey, apiFor, instanceId, projectId, secretKey, securityToken, token, useServer } from "./support.js";

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

  it("masks credentials in what it gives the logger", async () => {
    const lines: string[] = [];
    const api = apiFor(ctx.server, {
      credentials: { token },
      logger: (level, message, details) => lines.push(`${level} ${message} ${JSON.stringify(details)}`),
    });
    await api.closeInstanceSessions({ instanceId });
    expect(lines.join("\n")).toContain("***");
    expect(lines.join("\n")).not.toContain(token);
  });

  it("prints nothing and emits no process warning during a call", async () => {
    const printed = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method));
    const warned = vi.spyOn(process, "emitWarning");
    await apiFor(ctx.server).closeInstanceSessions({ instanceId });
    for (const spy of [...printed, warned]) expect(spy).not.toHaveBeenCalled();
  });
});
