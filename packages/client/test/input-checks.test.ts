import { ValidationError } from "@geminidb-sessions/core";
import { describe, expect, it } from "vitest";
import { createSessionsClient } from "../src/index.js";
import { projectId, token } from "./support.js";

// Input and option checks are core's (packages/core/test/options.test.ts, endpoint.test.ts) and
// are run through this client by the conformance suite ("input refused before any I/O").
// What is left here is createSessionsClient's own handling of its options.
describe("createSessionsClient's own handling of its options", () => {
  it("refuses a missing options object with a ValidationError, not a TypeError", () => {
    expect(() => createSessionsClient(null as never)).toThrow(ValidationError);
    expect(() => createSessionsClient(undefined as never)).toThrow(/options/);
  });

  it("reports the endpoint it resolved from the region", () => {
    expect(createSessionsClient({ projectId, region: "eu-west-101", credentials: { token } }).endpoint).toBe(
      "https://gaussdb-nosql.eu-west-101.myhuaweicloud.eu",
    );
  });
});
