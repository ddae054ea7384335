import { hang, json } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { AbortError, ServerError, TimeoutError, ValidationError } from "../src/index.js";
import { apiFor, instanceId, rejectionOf, useServer } from "./support.js";

const ctx = useServer();

describe("per-call options in initOverrides: timeoutMs, maxRetries, signal", () => {
  it("maxRetries applies to the one call that sets it", async () => {
    const { server } = ctx;
    server.respondWith(json(503, { error_code: "DBS.200000", error_msg: "busy" }));
    const api = apiFor(server, { maxRetries: 2 });
    expect(await rejectionOf(api.closeInstanceSessions({ instanceId }, { maxRetries: 0 }))).toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1);
    expect(await rejectionOf(api.closeInstanceSessions({ instanceId }))).toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1 + 3);
  });

  it("timeoutMs applies to the one call that sets it, also next to headers", async () => {
    const { server } = ctx;
    server.respondWith(hang());
    const api = apiFor(server, { timeoutMs: 400, maxRetries: 0 });
    const short = await rejectionOf(api.listInstanceSessions({ instanceId }, { timeoutMs: 25, headers: { "x-trace": "1" } }));
    expect(short).toBeInstanceOf(TimeoutError);
    expect((short as TimeoutError).timeoutMs).toBe(25);
    expect(((await rejectionOf(api.listInstanceSessions({ instanceId }))) as TimeoutError).timeoutMs).toBe(400);
  });

  it("are checked before any I/O, naming the option", async () => {
    const { server } = ctx;
    const error = await rejectionOf(apiFor(server).closeInstanceSessions({ instanceId }, { maxRetries: -1 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("maxRetries");
    expect(server.requests).toHaveLength(0);
  });

  it("a signal given by an init-override function applies too", async () => {
    const { server } = ctx;
    const controller = new AbortController();
    controller.abort();
    const error = await rejectionOf(apiFor(server).closeInstanceSessions({ instanceId }, async () => ({ signal: controller.signal })));
    expect(error).toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(0);
  });
});
