import { describe, expect, it } from "vitest";
import { isKnownRegion, regionEndpoint } from "../src/index.js";

describe("regional endpoints", () => {
  it("resolves a region to its https endpoint", () => {
    expect(regionEndpoint("cn-north-4")).toBe("https://gaussdb-nosql.cn-north-4.myhuaweicloud.com");
  });

  it("uses the .eu domain for eu-west-101", () => {
    expect(regionEndpoint("eu-west-101")).toBe("https://gaussdb-nosql.eu-west-101.myhuaweicloud.eu");
  });

  it("knows listed regions and nothing else", () => {
    expect(isKnownRegion("ap-southeast-1")).toBe(true);
    expect(isKnownRegion("mars-north-1")).toBe(false);
    expect(isKnownRegion("toString")).toBe(false);
  });
});
