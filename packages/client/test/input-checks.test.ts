import { ValidationError } from "@geminidb-sessions/core";
import { describe, expect, it } from "vitest";
import { createSessionsClient } from "../src/index.js";
import { clientFor, instanceId, projectId, token, useServer } from "./support.js";

const ctx = useServer();

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe("input checks before any I/O", () => {
  it.each([
    ["x#y", "a fragment would cut the path short"],
    ["c865f921f3dd45198f209a607533a779in12/../..", "dot segments would climb to another route"],
    ["a/b", "a slash would add a segment"],
    ["c865f921f3dd45198f209a607533a779in12?x=1", "a query would be smuggled in"],
    ["c865f921f3dd45198f209a607533a779in1%2F", "percent-encoding would be decoded server-side"],
    ["c865f921f3dd45198f209a607533a779in12;v=1", "matrix parameters"],
    [" c865f921f3dd45198f209a607533a779in12", "whitespace"],
    ["c865f921f3dd45198f209a607533a779in１２", "non-ASCII digits"],
    ["", "empty"],
  ])("refuses instanceId %j (%s) and sends nothing", async (bad) => {
    const error = await rejection(clientFor(ctx.server).closeInstanceSessions({ instanceId: bad }));
    expect(error.field).toBe("instanceId");
    expect(error.message).toMatch(/^instanceId: /);
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("refuses a malformed projectId, per call or at creation", async () => {
    expect((await rejection(clientFor(ctx.server).closeInstanceSessions({ instanceId, projectId: "../admin" }))).field).toBe("projectId");
    expect(() => clientFor(ctx.server, { projectId: "NOT-A-PROJECT" })).toThrow(ValidationError);
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("requires a projectId from the client or the call", async () => {
    const client = createSessionsClient({ endpoint: ctx.server.url, credentials: { token } });
    expect((await rejection(client.closeInstanceSessions({ instanceId }))).field).toBe("projectId");
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("refuses a token holding CR/LF before it could split a header, without echoing it", () => {
    let error: unknown;
    try {
      clientFor(ctx.server, { credentials: { token: "abcSECRET\r\nX-Evil: 1" } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("credentials.token");
    expect(String(error)).not.toContain("SECRET");
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("refuses an unknown region", () => {
    expect(() => createSessionsClient({ projectId, region: "mars-north-1", credentials: { token } })).toThrow(ValidationError);
  });

  it("refuses http:// to a non-loopback host unless allowInsecureHttp", () => {
    expect(() => createSessionsClient({ projectId, endpoint: "http://gaussdb.example.com", credentials: { token } })).toThrow(
      /https|insecure|http/i,
    );
    expect(
      createSessionsClient({ projectId, endpoint: "http://gaussdb.example.com", credentials: { token }, allowInsecureHttp: true }).endpoint,
    ).toBe("http://gaussdb.example.com");
  });

  it("resolves a region to its regional endpoint", () => {
    expect(createSessionsClient({ projectId, region: "eu-west-101", credentials: { token } }).endpoint).toBe(
      "https://gaussdb-nosql.eu-west-101.myhuaweicloud.eu",
    );
  });
});

describe("options", () => {
  it("refuses a missing options object with a ValidationError, not a TypeError", () => {
    expect(() => createSessionsClient(null as never)).toThrow(ValidationError);
    expect(() => createSessionsClient(undefined as never)).toThrow(/options/);
  });
});
