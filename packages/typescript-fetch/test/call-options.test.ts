import { hang, json, sequence } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { AbortError, type RetryInfo, ServerError, TimeoutError, ValidationError } from "../src/index.js";
import { apiFor, instanceId, projectId, rejectionOf, useServer } from "./support.js";

const nodeId = "784b3fb7bac14bc490659950dd4f022fno12";

const ctx = useServer();

describe("per-call options in initOverrides: timeoutMs, maxRetries, onRetry, signal", () => {
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

  it("onRetry is told of the retries of the one call that sets it, after the API's own", async () => {
    const { server } = ctx;
    const told: string[] = [];
    const api = apiFor(server, { onRetry: (info) => told.push(`api ${info.attempt} ${info.reason}`) });
    const busy = json(503, { error_code: "DBS.200000", error_msg: "busy" });
    server.respondWith(sequence(busy, busy, json(200, {})));
    const calls: RetryInfo[] = [];
    await api.closeInstanceSessions({ instanceId }, { onRetry: (info) => calls.push(info), headers: { "x-trace": "1" } });
    expect(told).toEqual(["api 1 DBS.200000", "api 2 DBS.200000"]);
    expect(calls.map(({ attempt, reason, method }) => ({ attempt, reason, method }))).toEqual([
      { attempt: 1, reason: "DBS.200000", method: "DELETE" },
      { attempt: 2, reason: "DBS.200000", method: "DELETE" },
    ]);
    expect(calls[0]?.url).toBe(`${server.url}/v3/${projectId}/instances/${instanceId}/sessions`);
    expect(calls[0]?.error).toBeInstanceOf(ServerError);

    // The next call, without one: only the API's own.
    server.respondWith(sequence(busy, json(200, {})));
    await api.closeInstanceSessions({ instanceId });
    expect(calls).toHaveLength(2);
    expect(told).toHaveLength(3);
  });

  it("are checked before any I/O, naming the option", async () => {
    const { server } = ctx;
    const error = await rejectionOf(apiFor(server).closeInstanceSessions({ instanceId }, { maxRetries: -1 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("maxRetries");
    const notAFunction = await rejectionOf(apiFor(server).closeInstanceSessions({ instanceId }, { onRetry: "log" as never }));
    expect(notAFunction).toMatchObject({ name: "ValidationError", field: "onRetry", rule: "type" });
    expect(server.requests).toHaveLength(0);
  });

  it("in the request parameters instead: ValidationError naming the option, from every entry point, nothing sent", async () => {
    const { server } = ctx;
    server.respondWith(json(200, { sessions: [], total_count: 0 }));
    const api = apiFor(server);
    const misplaced = { timeoutMs: 25, maxRetries: 0, onRetry: () => {}, signal: new AbortController().signal };
    for (const [name, value] of Object.entries(misplaced)) {
      const parameters = { instanceId, [name]: value } as never;
      const calls = {
        method: () => api.closeInstanceSessions(parameters),
        raw: () => api.closeInstanceSessionsRaw(parameters),
        requestOpts: () => api.closeInstanceSessionsRequestOpts(parameters),
        pages: () => api.pages.listNodeSessions({ nodeId, [name]: value } as never).next(),
      };
      for (const [entry, call] of Object.entries(calls)) {
        const error = await rejectionOf(call());
        expect(error, `${name} via ${entry}`).toBeInstanceOf(ValidationError);
        expect(error).toMatchObject({ field: name, rule: "placement" });
        expect((error as Error).message).toContain("initOverrides");
      }
    }
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
