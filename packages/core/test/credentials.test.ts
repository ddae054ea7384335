import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  AkSkSource,
  CredentialsError,
  credentialEnvVars,
  credentialsFromEnv,
  protectCredentials,
  TokenSource,
  ValidationError,
} from "../src/index.js";

const SK = "env-secret-key-0123456789";
const ST = "env-security-token-abcdef";
const PROJECT = "619d3e78f61b4be68bc5aa0b59edcf7b";

function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).field;
  }
  throw new Error("expected a ValidationError");
}

describe("credentialsFromEnv", () => {
  it("reads the vendor's variables", () => {
    const { credentials, projectId } = credentialsFromEnv({
      HUAWEICLOUD_SDK_AK: "ENVAK123",
      HUAWEICLOUD_SDK_SK: SK,
      HUAWEICLOUD_SDK_SECURITY_TOKEN: ST,
      HUAWEICLOUD_SDK_PROJECT_ID: PROJECT,
    });
    expect(projectId).toBe(PROJECT);
    expect(credentials.accessKey).toBe("ENVAK123");
    expect(credentials.secretKey).toBe(SK);
    expect(credentials.securityToken).toBe(ST);
  });

  it("leaves out what is not set", () => {
    const result = credentialsFromEnv({ HUAWEICLOUD_SDK_AK: "ENVAK123", HUAWEICLOUD_SDK_SK: SK, HUAWEICLOUD_SDK_PROJECT_ID: "" });
    expect(result.projectId).toBeUndefined();
    expect("projectId" in result).toBe(false);
    expect(result.credentials.securityToken).toBeUndefined();
  });

  it("names the missing or malformed variable, never its value", () => {
    expect(fieldOf(() => credentialsFromEnv({ HUAWEICLOUD_SDK_SK: SK }))).toBe(credentialEnvVars.accessKey);
    expect(fieldOf(() => credentialsFromEnv({ HUAWEICLOUD_SDK_AK: "ENVAK123", HUAWEICLOUD_SDK_SK: "" }))).toBe(credentialEnvVars.secretKey);
    const badSk = "zq9Xv7\nwith-newline";
    try {
      credentialsFromEnv({ HUAWEICLOUD_SDK_AK: "ENVAK123", HUAWEICLOUD_SDK_SK: badSk });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).field).toBe(credentialEnvVars.secretKey);
      expect(String(error)).not.toContain("zq9Xv7");
    }
    expect(fieldOf(() => credentialsFromEnv({ HUAWEICLOUD_SDK_AK: "A", HUAWEICLOUD_SDK_SK: SK, HUAWEICLOUD_SDK_PROJECT_ID: "x/y" }))).toBe(
      credentialEnvVars.projectId,
    );
  });

  it("returns credentials that never print their secrets", () => {
    const { credentials } = credentialsFromEnv({
      HUAWEICLOUD_SDK_AK: "ENVAK123",
      HUAWEICLOUD_SDK_SK: SK,
      HUAWEICLOUD_SDK_SECURITY_TOKEN: ST,
    });
    for (const text of [JSON.stringify(credentials), String(credentials), inspect(credentials), inspect({ credentials }, { depth: 5 })]) {
      expect(text).not.toContain(SK);
      expect(text).not.toContain(ST);
      expect(text).toContain("***");
    }
    expect(Object.keys(credentials)).not.toContain("secretKey");
  });
});

describe("protectCredentials", () => {
  it("wraps a token or an AK/SK pair so they never print", () => {
    const token = protectCredentials({ token: "MIIEXAMPLETOKENVALUE" });
    expect(token).toBeInstanceOf(TokenSource);
    const aksk = protectCredentials({ accessKey: "AK1", secretKey: SK, securityToken: ST });
    expect(aksk).toBeInstanceOf(AkSkSource);
    for (const value of [token, aksk]) {
      for (const text of [JSON.stringify(value), String(value), inspect(value, { showHidden: true, depth: 10 })]) {
        expect(text).not.toContain("MIIEXAMPLETOKENVALUE");
        expect(text).not.toContain(SK);
        expect(text).not.toContain(ST);
      }
    }
    expect(protectCredentials(aksk)).toBe(aksk);
  });

  it("refuses missing, mixed or malformed credentials, naming the field", () => {
    expect(fieldOf(() => protectCredentials(undefined))).toBe("credentials");
    expect(fieldOf(() => protectCredentials({}))).toBe("credentials");
    expect(fieldOf(() => protectCredentials({ token: "t", accessKey: "a", secretKey: "s" }))).toBe("credentials");
    expect(fieldOf(() => protectCredentials({ token: "tok\r\nen" }))).toBe("credentials.token");
    expect(fieldOf(() => protectCredentials({ token: 42 }))).toBe("credentials.token");
    expect(fieldOf(() => protectCredentials({ accessKey: "AK", secretKey: "s\u0007k" }))).toBe("credentials.secretKey");
    expect(fieldOf(() => protectCredentials({ accessKey: "AK" }))).toBe("credentials.secretKey");
    expect(fieldOf(() => protectCredentials({ accessKey: "AK", secretKey: SK, securityToken: "a b" }))).toBe("credentials.securityToken");
  });
});

describe("TokenSource", () => {
  it("calls the provider lazily, once for concurrent callers, and again after invalidation", async () => {
    let calls = 0;
    let release: (value: string) => void = () => {};
    const source = new TokenSource(
      () =>
        new Promise<string>((resolve) => {
          calls++;
          release = resolve;
        }),
    );
    expect(calls).toBe(0);
    const all = Promise.all([source.token(), source.token(), source.token()]);
    release("token-one");
    expect(await all).toEqual(["token-one", "token-one", "token-one"]);
    expect(await source.token()).toBe("token-one");
    expect(calls).toBe(1);

    expect(source.invalidate("token-one")).toBe(true);
    const next = source.token();
    release("token-two");
    expect(await next).toBe("token-two");
    expect(calls).toBe(2);
    // A stale invalidation (someone already refreshed) keeps the fresh token.
    source.invalidate("token-one");
    expect(await source.token()).toBe("token-two");
    expect(calls).toBe(2);
  });

  it("does not cache a failure, and wraps it in CredentialsError", async () => {
    let calls = 0;
    const source = new TokenSource(async () => {
      calls++;
      if (calls === 1) throw new Error("IAM is down");
      return "token-after-failure";
    });
    const error = await source.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).cause).toBeInstanceOf(Error);
    expect(await source.token()).toBe("token-after-failure");
  });

  it("refuses a provided token that could split a header", async () => {
    const source = new TokenSource(async () => "bad\r\ntoken");
    const error = await source.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("credentials.token");
    expect(String(error)).not.toContain("bad");
  });

  it("abandons a call in flight only when every waiter has given up", async () => {
    let calls = 0;
    const releases: Array<(value: string) => void> = [];
    const source = new TokenSource(
      () =>
        new Promise<string>((resolve) => {
          calls++;
          releases.push(resolve);
        }),
    );
    const first = new AbortController();
    const second = new AbortController();
    const waiting = source.token(second.signal);
    void source.token(first.signal);
    first.abort();
    // One waiter is left: a new caller joins the same call.
    const joined = source.token();
    expect(calls).toBe(1);
    releases[0]?.("token-one");
    expect(await waiting).toBe("token-one");
    expect(await joined).toBe("token-one");

    source.invalidate("token-one");
    const stuck = new AbortController();
    void source.token(stuck.signal);
    stuck.abort();
    // Its only waiter gave up: the next caller asks again.
    const fresh = source.token();
    expect(calls).toBe(3);
    releases[2]?.("token-three");
    expect(await fresh).toBe("token-three");
    // A token returned late by an abandoned call is still masked wherever a server echoes it.
    releases[1]?.("token-two-late");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(source.secrets()).toEqual(expect.arrayContaining(["token-one", "token-two-late", "token-three"]));
    // ...but it does not replace the newer token the next call gets.
    expect(await source.token()).toBe("token-three");
    expect(calls).toBe(3);
  });

  it("cannot refresh a fixed token", () => {
    expect(new TokenSource("MIIFIXED").invalidate("MIIFIXED")).toBe(false);
  });
});

describe("a provider's failure in CredentialsError's message", () => {
  it("follows the cause chain and the code, masking every token the provider gave", async () => {
    const given = "MIIgiven-token-then-refused-0001";
    let fail = false;
    const source = new TokenSource(async () => {
      if (!fail) return given;
      const reason = Object.assign(new Error(`connect refused by 127.0.0.1:5000 while renewing ${given}`), { code: "ECONNREFUSED" });
      throw new TypeError("fetch failed", { cause: reason });
    });
    await source.token();
    source.invalidate(given);
    fail = true;
    const error = await source.token().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as Error).message).toBe(
      "The token provider failed: fetch failed: connect refused by 127.0.0.1:5000 while renewing *** (ECONNREFUSED)",
    );
  });

  it("is one line of printable text: C0 and C1 control characters and line separators become blanks", async () => {
    const source = new TokenSource(async () => {
      throw new Error("bad\u001b[31m red\u009b2J\nnext\u2028line\u007f end");
    });
    const error = await source.token().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe("The token provider failed: bad [31m red 2J next line end");
  });
});
