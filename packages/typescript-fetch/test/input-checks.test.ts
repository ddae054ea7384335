import { describe, expect, it } from "vitest";
import { Configuration, createSessionsApi, SessionsApi, type SessionsConfiguration, ValidationError } from "../src/index.js";
import { apiFor, entryPointNames, entryPoints, rejectionOf, useServer } from "./support.js";

const ctx = useServer();

async function validationError(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

// Which inputs and options are refused is core's (packages/core/test/options.test.ts, endpoint.test.ts,
// operation-call.test.ts) and the validators' (packages/validation/test/id-allowlist.test.ts); the
// conformance suite runs every case through this flavour's xRaw method ("input refused before any I/O").
// What is left here is this flavour's own surface: both generated entry points check, the generator's
// own checks give way to core's typed ones, and its own Configuration is refused.
describe.each(entryPointNames)("input checks of %s, before any I/O", (name) => {
  const call = entryPoints[name];

  it("refuses a malformed instanceId and sends nothing", async () => {
    const error = await validationError(call(apiFor(ctx.server), { instanceId: "c865f921f3dd45198f209a607533a779in12/../.." }));
    expect(error.field).toBe("instanceId");
    expect(error.message).toMatch(/^instanceId: /);
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("refuses a missing instanceId (as the generator's RequiredError would) with a ValidationError", async () => {
    const error = await validationError(call(apiFor(ctx.server), {} as { instanceId: string }));
    expect(error.field).toBe("instanceId");
    expect(ctx.server.requests).toHaveLength(0);
  });

  it("refuses input that is not an object", async () => {
    expect((await validationError(call(apiFor(ctx.server), null as unknown as { instanceId: string }))).field).toBe("input");
    expect(ctx.server.requests).toHaveLength(0);
  });
});

describe("options are checked when the API is created", () => {
  it("refuses options that are not an object with a ValidationError naming them", () => {
    expect(() => createSessionsApi(null as never)).toThrow(expect.objectContaining({ field: "options" }));
  });

  it("refuses a plain generated Configuration, which would carry no core wiring", () => {
    expect(() => new SessionsApi(new Configuration({ basePath: ctx.server.url }) as SessionsConfiguration)).toThrow(
      expect.objectContaining({ field: "configuration" }),
    );
  });
});
