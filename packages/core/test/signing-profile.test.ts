import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as profile from "../src/signing-profile.js";

// The signing profile lives in the spec's `x-signing`; core takes it from the
// generated validation package. This test proves the chain end to end.
const specPath = fileURLToPath(new URL("../../../spec/openapi.yaml", import.meta.url));
const spec = parse(readFileSync(specPath, "utf8")) as {
  components: { securitySchemes: { akskSignature: { "x-signing": Record<string, unknown> }; iamToken: { name: string; in: string } } };
};
const signing = spec.components.securitySchemes.akskSignature["x-signing"];

describe("signing profile", () => {
  it("matches the spec's x-signing extension", () => {
    expect(profile.SIGNING_ALGORITHM).toBe(signing.algorithm);
    expect(profile.DATE_HEADER).toBe(signing.dateHeader);
    expect(profile.PROJECT_HEADER).toBe(signing.projectHeader);
    expect(profile.SECURITY_TOKEN_HEADER).toBe(signing.securityTokenHeader);
    expect(profile.UNSIGNED_HEADERS).toEqual((signing.unsignedHeaders as string[]).map((name) => name.toLowerCase()));
    expect(profile.MAX_CLOCK_SKEW_SECONDS).toBe(signing.maxClockSkewSeconds);
  });

  it("sends the IAM token in the header the spec's iamToken scheme names", () => {
    expect(spec.components.securitySchemes.iamToken.in).toBe("header");
    expect(profile.TOKEN_HEADER).toBe(spec.components.securitySchemes.iamToken.name);
  });
});
