import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { errorCatalog, regionEndpoints } from "../src/index.js";

const spec = parse(readFileSync(new URL("../../../spec/openapi.yaml", import.meta.url), "utf8"));

describe("facts generated from the spec", () => {
  it("the error catalog is the spec's x-error-catalog, entry for entry", () => {
    expect(errorCatalog).toEqual(spec["x-error-catalog"]);
  });

  it("every region of every server maps to that server's URL", () => {
    const expected: Record<string, string> = {};
    for (const server of spec.servers)
      for (const region of server.variables.region.enum) expected[region] = server.url.replace("{region}", region);
    expect(regionEndpoints).toEqual(expected);
    expect(regionEndpoints["eu-west-101"]).toMatch(/\.myhuaweicloud\.eu$/);
  });
});
