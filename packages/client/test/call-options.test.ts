import { hang, json, sequence } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { type RetryInfo, ServerError, TimeoutError, ValidationError } from "../src/index.js";
import { clientFor, instanceId, projectId, useServer } from "./support.js";

const ctx = useServer();

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("per-call timeoutMs, maxRetries and onRetry", () => {
  it("maxRetries applies to the one call that sets it", async () => {
    const { server } = ctx;
    server.respondWith(json(503, { error_code: "DBS.200000", error_msg: "busy" }));
    const client = clientFor(server, { maxRetries: 2 });
    expect(await rejection(client.closeInstanceSessions({ instanceId, maxRetries: 0 }))).toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1);
    expect(await rejection(client.closeInstanceSessions({ instanceId }))).toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1 + 3);
  });

  it("timeoutMs applies to the one call that sets it", async () => {
    const { server } = ctx;
    server.respondWith(hang());
    const client = clientFor(server, { timeoutMs: 400, maxRetries: 0 });
    const short = await rejection(client.listInstanceSessions({ instanceId, timeoutMs: 25 }));
    expect(short).toBeInstanceOf(TimeoutError);
    expect((short as TimeoutError).timeoutMs).toBe(25);
    const usual = await rejection(client.listInstanceSessions({ instanceId }));
    expect((usual as TimeoutError).timeoutMs).toBe(400);
  });

  it("carries over to every page of a page iterator", async () => {
    const { server } = ctx;
    server.respondWith(json(503, { error_code: "DBS.200000", error_msg: "busy" }));
    const client = clientFor(server, { maxRetries: 3 });
    const pages = client.pages.listNodeSessions({ nodeId: "784b3fb7bac14bc490659950dd4f022fno12", maxRetries: 1 });
    expect(await rejection(pages.next())).toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(2);
  });

  it("onRetry is told of the retries of the one call that sets it, after the client's", async () => {
    const { server } = ctx;
    const told: string[] = [];
    const client = clientFor(server, { onRetry: (info) => told.push(`client ${info.attempt} ${info.reason}`) });
    const busy = json(503, { error_code: "DBS.200000", error_msg: "busy" });
    server.respondWith(sequence(busy, busy, json(200, {})));
    const calls: RetryInfo[] = [];
    await client.closeInstanceSessions({ instanceId, onRetry: (info) => calls.push(info) });
    expect(told).toEqual(["client 1 DBS.200000", "client 2 DBS.200000"]);
    expect(calls.map(({ attempt, reason, method }) => ({ attempt, reason, method }))).toEqual([
      { attempt: 1, reason: "DBS.200000", method: "DELETE" },
      { attempt: 2, reason: "DBS.200000", method: "DELETE" },
    ]);
    expect(calls[0]?.url).toBe(`${server.url}/v3/${projectId}/instances/${instanceId}/sessions`);
    expect(calls[0]?.error).toBeInstanceOf(ServerError);

    // The next call, without one: only the client's.
    server.respondWith(sequence(busy, json(200, {})));
    await client.closeInstanceSessions({ instanceId });
    expect(calls).toHaveLength(2);
    expect(told).toHaveLength(3);
  });

  it("onRetry carries over to every page of a page iterator", async () => {
    const { server } = ctx;
    const nodeId = "784b3fb7bac14bc490659950dd4f022fno12";
    const busy = json(503, { error_code: "DBS.200000", error_msg: "busy" });
    const session = (id: number) => ({ id: String(id), addr: `10.0.0.1:${4000 + id}`, age: "5", idle: "5" });
    const first = json(200, { total_count: 3, sessions: [session(0), session(1)] });
    const last = json(200, { total_count: 3, sessions: [session(2)] });
    server.respondWith(sequence(busy, first, busy, last));
    const retried: string[] = [];
    let pages = 0;
    for await (const _ of clientFor(server).pages.listNodeSessions({
      nodeId,
      limit: 2,
      onRetry: (info) => retried.push(new URL(info.url).search),
    }))
      pages++;
    expect(pages).toBe(2);
    expect(retried).toEqual(["?limit=2", "?offset=2&limit=2"]);
  });

  it("are checked before any I/O, naming the option", async () => {
    const { server } = ctx;
    const client = clientFor(server);
    const error = await rejection(client.closeInstanceSessions({ instanceId, maxRetries: 11 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("maxRetries");
    expect(((await rejection(client.closeInstanceSessions({ instanceId, timeoutMs: 0 }))) as ValidationError).field).toBe("timeoutMs");
    const notAFunction = await rejection(client.closeInstanceSessions({ instanceId, onRetry: "log" as never }));
    expect(notAFunction).toMatchObject({ name: "ValidationError", field: "onRetry", rule: "type" });
    expect(server.requests).toHaveLength(0);
  });
});
