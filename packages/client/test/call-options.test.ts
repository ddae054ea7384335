import { hang, json } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { ServerError, TimeoutError, ValidationError } from "../src/index.js";
import { clientFor, instanceId, useServer } from "./support.js";

const ctx = useServer();

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("per-call timeoutMs and maxRetries", () => {
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

  it("are checked before any I/O, naming the option", async () => {
    const { server } = ctx;
    const client = clientFor(server);
    const error = await rejection(client.closeInstanceSessions({ instanceId, maxRetries: 11 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("maxRetries");
    expect(((await rejection(client.closeInstanceSessions({ instanceId, timeoutMs: 0 }))) as ValidationError).field).toBe("timeoutMs");
    expect(server.requests).toHaveLength(0);
  });
});
