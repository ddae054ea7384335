import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { type CoreOptions, ResolvedCoreOptions, resolveCoreOptions, ValidationError } from "../src/index.js";

const TOKEN = "MIIOPTIONSTESTTOKEN";
const base: CoreOptions = { region: "cn-north-4", credentials: { token: TOKEN } };

function refusal(options: unknown): { field: string; rule: string; message: string } {
  try {
    resolveCoreOptions(options as CoreOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const { field, rule, message } = error as ValidationError;
    return { field, rule, message };
  }
  throw new Error("expected a ValidationError");
}

describe("resolveCoreOptions", () => {
  it("applies the defaults", () => {
    const resolved = resolveCoreOptions(base);
    expect(resolved).toBeInstanceOf(ResolvedCoreOptions);
    expect(resolved.endpoint).toBe("https://gaussdb-nosql.cn-north-4.myhuaweicloud.com");
    expect(resolved.retry).toEqual({
      maxRetries: 2,
      timeoutMs: 30_000,
      baseDelayMs: 500,
      maxDelayMs: 8_000,
      maxRetryAfterMs: 60_000,
      maxTotalDelayMs: 60_000,
    });
    expect(resolved.maxResponseBytes).toBe(16 * 1024 * 1024);
    expect(resolved.safeToResend({ method: "GET", url: "https://x.example/" })).toBe(true);
    expect(resolved.safeToResend({ method: "DELETE", url: "https://x.example/" })).toBe(false);
    expect(resolved.projectId).toBeUndefined();
    expect(resolveCoreOptions(resolved)).toBe(resolved);
  });

  it("names the field at fault", () => {
    expect(refusal(undefined).field).toBe("options");
    expect(refusal({ region: "cn-north-4" }).field).toBe("credentials");
    expect(refusal({ ...base, projectId: "../../etc" }).field).toBe("projectId");
    expect(refusal({ ...base, region: "atlantis-1" })).toMatchObject({ field: "region", rule: "enum" });
    expect(refusal({ ...base, endpoint: "http://example.com" })).toMatchObject({ field: "endpoint", rule: "https" });
    expect(refusal({ ...base, maxRetries: -1 })).toMatchObject({ field: "maxRetries", rule: "range" });
    expect(refusal({ ...base, maxRetries: 1.5 })).toMatchObject({ field: "maxRetries", rule: "integer" });
    expect(refusal({ ...base, maxRetries: 11 })).toMatchObject({ field: "maxRetries", rule: "range" });
    expect(refusal({ ...base, timeoutMs: 0 })).toMatchObject({ field: "timeoutMs", rule: "range" });
    expect(refusal({ ...base, timeoutMs: "5s" })).toMatchObject({ field: "timeoutMs", rule: "type" });
    expect(refusal({ ...base, fetch: "fetch" })).toMatchObject({ field: "fetch", rule: "type" });
    expect(refusal({ ...base, maxResponseBytes: 1.5 })).toMatchObject({ field: "maxResponseBytes", rule: "integer" });
    expect(refusal({ ...base, safeToResend: true })).toMatchObject({ field: "safeToResend", rule: "type" });
    expect(refusal({ ...base, backoff: { maxTotalDelayMs: -1 } })).toMatchObject({ field: "backoff.maxTotalDelayMs", rule: "range" });
    expect(refusal({ ...base, logger: 3 })).toMatchObject({ field: "logger", rule: "type" });
    expect(refusal({ ...base, onRetry: "log" })).toMatchObject({ field: "onRetry", rule: "type" });
    expect(refusal({ ...base, userAgent: "ua\r\nX-Injected: 1" })).toMatchObject({ field: "userAgent", rule: "pattern" });
    expect(refusal({ ...base, allowInsecureHttp: "yes" })).toMatchObject({ field: "allowInsecureHttp", rule: "type" });
    expect(refusal({ ...base, credentials: { token: "a\nb" } })).toMatchObject({ field: "credentials.token" });
    expect(refusal({ ...base, credentials: { accessKey: "AK", secretKey: "s\rk" } })).toMatchObject({ field: "credentials.secretKey" });
  });

  it("refuses a token holding CR/LF before it could split a header, without echoing it", () => {
    const { field, message } = refusal({ ...base, credentials: { token: "abcSECRET\r\nX-Evil: 1" } });
    expect(field).toBe("credentials.token");
    expect(message).not.toContain("SECRET");
    expect(message).not.toContain("X-Evil");
  });

  it("never shows credentials when printed or serialized", () => {
    const secretKey = "OPTIONS-SECRET-KEY-VALUE";
    for (const credentials of [{ token: TOKEN }, { accessKey: "AK", secretKey, securityToken: "OPTIONS-SECURITY-TOKEN" }]) {
      const resolved = resolveCoreOptions({ ...base, credentials });
      for (const text of [
        JSON.stringify(resolved),
        inspect(resolved, { depth: 10 }),
        String(resolved.credentials),
        inspect({ resolved }),
      ]) {
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(secretKey);
        expect(text).not.toContain("OPTIONS-SECURITY-TOKEN");
      }
    }
  });
});

describe("unknown options", () => {
  it("are refused, naming the option and the closest known one", () => {
    expect(refusal({ ...base, timeout: 5 })).toEqual({
      field: "timeout",
      rule: "unknown",
      message: "timeout: is not an option (did you mean `timeoutMs`?)",
    });
    expect(refusal({ ...base, max_retries: 1 }).message).toContain("`maxRetries`");
    expect(refusal({ ...base, projectID: "x" }).message).toContain("`projectId`");
    expect(refusal({ ...base, backoff: { baseDelay: 1 } })).toMatchObject({ field: "backoff.baseDelay", rule: "unknown" });
    expect(refusal({ ...base, backoff: { baseDelay: 1 } }).message).toContain("`backoff.baseDelayMs`");
    expect(refusal({ ...base, runtime: { clock: () => 0 } }).field).toBe("runtime.clock");
  });

  it("list the known options when nothing is close", () => {
    const { message } = refusal({ ...base, zzzzzz: 1 });
    expect(message).toContain("known: projectId, region, endpoint, credentials");
  });

  it("in credentials are refused by name, never quoting a value", () => {
    const secret = "misplaced-secret-value-123";
    const { field, message } = refusal({
      region: "cn-north-4",
      credentials: { accessKey: "AKEXAMPLE12345678901", secretKey: "s", secretkey: secret },
    });
    expect(field).toBe("credentials.secretkey");
    expect(message).toContain("`credentials.secretKey`");
    expect(message).not.toContain(secret);
    expect(refusal({ region: "cn-north-4", credentials: { token: TOKEN, provider: async () => ({}) } }).rule).toBe("oneOf");
  });

  it("are accepted when a client declares them", () => {
    expect(() => resolveCoreOptions({ ...base, middleware: [] } as CoreOptions, ["middleware"])).not.toThrow();
  });
});
