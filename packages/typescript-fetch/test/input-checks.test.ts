import { describe, expect, it } from "vitest";
import { Configuration, createSessionsApi, SessionsApi, type SessionsConfiguration, ValidationError } from "../src/index.js";
import { apiFor, entryPointNames, entryPoints, instanceId, projectId, rejectionOf, token, useServer } from "./support.js";

const ctx = useServer();

async function validationError(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

const badInstanceIds = [
  ["x#y", "a fragment would cut the path short"],
  ["c865f921f3dd45198f209a607533a779in12/../..", "dot segments would climb to another route"],
  ["a/b", "a slash would add a segment"],
  ["c865f921f3dd45198f209a607533a779in12?x=1", "a query would be smuggled in"],
  ["c865f921f3dd45198f209a607533a779in1%2F", "percent-encoding would be decoded server-side"],
  [" c865f921f3dd45198f209a607533a779in12", "whitespace"],
  ["", "empty"],
] as const;

describe.each(entryPointNames)("input checks of %s, before any I/O", (name) => {
  const call = entryPoints[name];

  it.each(badInstanceIds)("refuses instanceId %j (%s) and sends nothing", async (bad) => {
    const error = await validationError(call(apiFor(ctx.server), { instanceId: bad }));
    expect(error.field).toBe("instanceId");
    expect(error.message).toMatch(/^instanceId: /);
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("refuses a missing instanceId (as the generator's RequiredError would) with a ValidationError", async () => {
    const error = await validationError(call(apiFor(ctx.server), {} as { instanceId: string }));
    expect(error.field).toBe("instanceId");
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("refuses a malformed per-call projectId", async () => {
    expect((await validationError(call(apiFor(ctx.server), { instanceId, projectId: "../admin" }))).field).toBe("projectId");
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("requires a projectId from the options or the call", async () => {
    const api = createSessionsApi({ endpoint: ctx.server.url, credentials: { token } });
    expect((await validationError(call(api, { instanceId }))).field).toBe("projectId");
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("refuses input that is not an object", async () => {
    expect((await validationError(call(apiFor(ctx.server), null as unknown as { instanceId: string }))).field).toBe("input");
    expect(ctx.server.requests).toHaveLength(0);
  });
});

describe("options are checked when the API is created", () => {
  it("refuses a malformed projectId", () => {
    expect(() => apiFor(ctx.server, { projectId: "NOT-A-PROJECT" })).toThrow(ValidationError);
  });

  it("refuses a token holding CR/LF before it could split a header, without echoing it", () => {
    let error: unknown;
    try {
      apiFor(ctx.server, { credentials: { token: "abcSECRET\r\nX-Evil: 1" } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("credentials.token");
    expect(String(error)).not.toContain("SECRET");
  });

  it("refuses an unknown option, suggesting the known one", () => {
    expect(() => createSessionsApi({ projectId, region: "cn-north-4", credentials: { token }, maxRetry: 1 } as never)).toThrow(
      "maxRetry: is not an option (did you mean `maxRetries`?)",
    );
  });

  it("refuses an unknown region", () => {
    expect(() => createSessionsApi({ projectId, region: "mars-north-1" as never, credentials: { token } })).toThrow(ValidationError);
  });

  it("refuses http:// to a non-loopback host unless allowInsecureHttp", () => {
    expect(() => createSessionsApi({ projectId, endpoint: "http://gaussdb.example.com", credentials: { token } })).toThrow(ValidationError);
    expect(
      createSessionsApi({ projectId, endpoint: "http://gaussdb.example.com", credentials: { token }, allowInsecureHttp: true }).endpoint,
    ).toBe("http://gaussdb.example.com");
  });

  it("refuses options that are not an object with a ValidationError naming them", () => {
    expect(() => createSessionsApi(null as never)).toThrow(expect.objectContaining({ field: "options" }));
  });

  it("refuses a plain generated Configuration, which would carry no core wiring", () => {
    expect(() => new SessionsApi(new Configuration({ basePath: ctx.server.url }) as SessionsConfiguration)).toThrow(
      expect.objectContaining({ field: "configuration" }),
    );
  });
});
