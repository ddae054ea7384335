import { describe, expect, it } from "vitest";
import { isKnownRegion, isLoopbackHost, regionEndpoint, resolveEndpoint, ValidationError } from "../src/index.js";

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

const refusal = (options: Parameters<typeof resolveEndpoint>[0]) => {
  try {
    resolveEndpoint(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return { field: (error as ValidationError).field, rule: (error as ValidationError).rule };
  }
  throw new Error("expected a ValidationError");
};

describe("resolveEndpoint", () => {
  it("resolves a region, and lets an explicit endpoint override it", () => {
    expect(resolveEndpoint({ region: "cn-north-4" })).toBe("https://gaussdb-nosql.cn-north-4.myhuaweicloud.com");
    expect(resolveEndpoint({ region: "cn-north-4", endpoint: "https://proxy.example.com:8443/" })).toBe("https://proxy.example.com:8443");
    expect(resolveEndpoint({ region: "not-a-region", endpoint: "https://proxy.example.com" })).toBe("https://proxy.example.com");
  });

  it("refuses an unknown or missing region", () => {
    expect(refusal({ region: "mars-north-1" })).toEqual({ field: "region", rule: "enum" });
    expect(refusal({ region: "__proto__" })).toEqual({ field: "region", rule: "enum" });
    expect(refusal({})).toEqual({ field: "region", rule: "required" });
  });

  it("allows http:// only to loopback unless the caller opts in", () => {
    expect(resolveEndpoint({ endpoint: "http://127.0.0.1:8080" })).toBe("http://127.0.0.1:8080");
    expect(resolveEndpoint({ endpoint: "http://127.5.6.7" })).toBe("http://127.5.6.7");
    expect(resolveEndpoint({ endpoint: "http://localhost:3000/" })).toBe("http://localhost:3000");
    expect(resolveEndpoint({ endpoint: "http://[::1]:8080" })).toBe("http://[::1]:8080");
    expect(refusal({ endpoint: "http://gaussdb-nosql.cn-north-4.myhuaweicloud.com" })).toEqual({ field: "endpoint", rule: "https" });
    expect(refusal({ endpoint: "http://127.0.0.1.example.com" })).toEqual({ field: "endpoint", rule: "https" });
    expect(refusal({ endpoint: "http://10.0.0.1" })).toEqual({ field: "endpoint", rule: "https" });
    expect(resolveEndpoint({ endpoint: "http://10.0.0.1", allowInsecureHttp: true })).toBe("http://10.0.0.1");
  });

  it("requires an origin: no path, query, fragment or user info, and an http(s) scheme", () => {
    expect(refusal({ endpoint: "https://example.com/v3" })).toEqual({ field: "endpoint", rule: "origin" });
    expect(refusal({ endpoint: "https://example.com?x=1" })).toEqual({ field: "endpoint", rule: "origin" });
    expect(refusal({ endpoint: "https://example.com/?" })).toEqual({ field: "endpoint", rule: "origin" });
    expect(refusal({ endpoint: "https://example.com#frag" })).toEqual({ field: "endpoint", rule: "origin" });
    expect(refusal({ endpoint: "https://user:pass@example.com" })).toEqual({ field: "endpoint", rule: "origin" });
    expect(refusal({ endpoint: "ftp://example.com" })).toEqual({ field: "endpoint", rule: "scheme" });
    expect(refusal({ endpoint: "example.com" })).toEqual({ field: "endpoint", rule: "format" });
  });

  it("recognizes loopback hosts as a URL spells them", () => {
    for (const host of ["localhost", "LOCALHOST", "127.0.0.1", "127.255.255.254", "[::1]"]) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["128.0.0.1", "127.0.0.256", "localhost.evil.com", "[::2]", "127.0.0"]) expect(isLoopbackHost(host)).toBe(false);
  });

  it("refuses anything that is not already exactly an origin", () => {
    for (const endpoint of [
      "https://host.example\n.evil",
      "https://host.example\t",
      " https://host.example",
      "https://host.example ",
      "https://host.example/./",
      "https://host.example/a/..",
      "https://host.example/..",
      "https://host.example//",
      "https://host.example:443",
      "https://host.example:8443/#",
      "https://@host.example",
      "https:host.example",
      "https:/host.example",
      "https://host.example\\",
      "https://host.example/%2e",
    ]) {
      expect(refusal({ endpoint }), JSON.stringify(endpoint)).toEqual({ field: "endpoint", rule: "origin" });
    }
  });

  it("accepts an origin as written, in any letter case, with at most one trailing slash", () => {
    expect(resolveEndpoint({ endpoint: "https://Host.Example:8443" })).toBe("https://host.example:8443");
    expect(resolveEndpoint({ endpoint: "HTTPS://host.example/" })).toBe("https://host.example");
    expect(resolveEndpoint({ endpoint: "http://[::1]:8080/" })).toBe("http://[::1]:8080");
  });
});
