import { describe, expect, it } from "vitest";
import {
  closeInstanceSessionsInputSchema,
  projectIdSchema,
  type ValidationResult,
  validateAccessKey,
  validateAkSkAuthorization,
  validateCloseInstanceSessionsInput,
  validateCloseSessionsResponse,
  validateErrorBody,
  validateGatewayError,
  validateIamToken,
  validateInstanceId,
  validateProjectId,
  validateSdkDate,
  validateSecretKey,
  validateSecurityToken,
  validateServiceError,
} from "../src/index.js";

const PROJECT = "619d3e78f61b4be68bc5aa0b59edcf7b";
const INSTANCE = "c865f921f3dd45198f209a607533a779in12";

function messages(result: ValidationResult<unknown>): string[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues.map((issue) => issue.message);
}

function issues(result: ValidationResult<unknown>) {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues;
}

describe("type", () => {
  it("names the expected and the received type", () => {
    expect(messages(validateInstanceId(42))).toEqual(["instance_id: must be a string (got number)"]);
    expect(messages(validateProjectId(null))).toEqual(["project_id: must be a string (got null)"]);
    expect(messages(validateProjectId([PROJECT]))).toEqual(["project_id: must be a string (got array)"]);
    expect(messages(validateServiceError("oops"))).toEqual(["must be an object (got string)"]);
    expect(issues(validateProjectId(undefined))[0]).toEqual({
      path: "project_id",
      message: "project_id: must be a string (got undefined)",
      rule: "type",
    });
  });

  it("names nested values by their path", () => {
    expect(issues(validateGatewayError({ error: { code: 7, message: "m" } }))).toEqual([
      { path: "error.code", message: "error.code: must be a string (got number)", rule: "type" },
    ]);
  });
});

describe("pattern: a character that is not allowed", () => {
  it("quotes a printable character and the value", () => {
    expect(issues(validateInstanceId("a/b"))[0]).toEqual({
      path: "instance_id",
      message: `instance_id: '/' is not allowed in an instance ID (got "a/b")`,
      rule: "pattern",
    });
  });

  it("takes the thing's name from the schema's title", () => {
    expect(messages(validateProjectId(`${PROJECT.slice(0, 31)}G`))[0]).toBe(
      `project_id: 'G' is not allowed in a project ID (got "${PROJECT.slice(0, 31)}G")`,
    );
    expect(messages(validateAccessKey("AK_1"))[0]).toBe(`AccessKey: '_' is not allowed in an access key ID (AK) (got "AK_1")`);
    expect(messages(validateSdkDate("2026-11-28T09:30:00Z"))[0]).toBe(
      `X-Sdk-Date: '-' is not allowed in a signing time (got "2026-11-28T09:30:00Z")`,
    );
  });

  it("names control characters, whitespace, non-ASCII and lone surrogates by code point", () => {
    const at = (c: string) => `${PROJECT.slice(0, 10)}${c}${PROJECT.slice(11)}`;
    expect(messages(validateProjectId(at("\n")))[0]).toMatch(
      /^project_id: a control character \(U\+000A\) is not allowed in a project ID \(got "619d3e78f6\\n/,
    );
    expect(messages(validateProjectId(at("\u007f")))[0]).toMatch(/^project_id: a control character \(U\+007F\)/);
    expect(messages(validateProjectId(at(" ")))[0]).toMatch(/^project_id: a space \(U\+0020\) is not allowed/);
    expect(messages(validateProjectId(at("\u00a0")))[0]).toMatch(/^project_id: a whitespace character \(U\+00A0\) is not allowed/);
    expect(messages(validateProjectId(at("é")))[0]).toMatch(/^project_id: a non-ASCII character \(U\+00E9\) is not allowed/);
    expect(messages(validateProjectId(at("😀")))[0]).toMatch(/^project_id: a non-ASCII character \(U\+1F600\) is not allowed/);
    expect(messages(validateProjectId(at("\ud800")))[0]).toMatch(
      /^project_id: a lone surrogate \(U\+D800\) is not allowed in a project ID \(got ".*\\ud800/,
    );
  });

  it("quotes a single quote unambiguously", () => {
    expect(messages(validateProjectId("a'b"))[0]).toBe(`project_id: "'" is not allowed in a project ID (got "a'b")`);
  });

  it("lets the caller name the value", () => {
    const [issue] = issues(validateInstanceId("C865f921f3dd45198f209a607533a779in12", "instanceId"));
    expect(issue).toEqual({
      path: "instanceId",
      message: `instanceId: 'C' is not allowed in an instance ID (got "C865f921f3dd45198f209a607533a779in12")`,
      rule: "pattern",
    });
  });

  it("shortens a long value to its length and its start", () => {
    const long = `${"a".repeat(99_999)}/`;
    const [message] = messages(validateProjectId(long));
    expect(message).toBe(`project_id: '/' is not allowed in a project ID (got 100000 characters starting "${"a".repeat(48)}…")`);
  });
});

describe("pattern: the wrong shape", () => {
  it("describes the pattern in words when every character is allowed", () => {
    expect(issues(validateInstanceId("c865f921f3dd45198f209a607533a779ab12"))).toEqual([
      {
        path: "instance_id",
        message: `instance_id: must be 32 lowercase hexadecimal characters, then "in", then 2 digits (got "c865f921f3dd45198f209a607533a779ab12")`,
        rule: "pattern",
      },
    ]);
    expect(messages(validateSdkDate("20261128093000Z"))).toEqual([
      `X-Sdk-Date: must be 8 digits, then "T", then 6 digits, then "Z" (got "20261128093000Z")`,
    ]);
  });
});

describe("minLength and maxLength", () => {
  it("says what is expected and how long the value is", () => {
    expect(issues(validateProjectId(PROJECT.slice(1)))).toEqual([
      { path: "project_id", message: "project_id: must be 32 lowercase hexadecimal characters (got 31 characters)", rule: "minLength" },
    ]);
    expect(messages(validateProjectId(`${PROJECT}0`))).toEqual([
      "project_id: must be 32 lowercase hexadecimal characters (got 33 characters)",
    ]);
    expect(messages(validateInstanceId(""))).toEqual([
      `instance_id: must be 32 lowercase hexadecimal characters, then "in", then 2 digits (got an empty string)`,
    ]);
    expect(issues(validateAccessKey("A".repeat(129)))).toEqual([
      { path: "AccessKey", message: "AccessKey: must be at most 128 characters long (got 129 characters)", rule: "maxLength" },
    ]);
  });

  it("says a required string must not be empty", () => {
    expect(issues(validateServiceError({ error_code: "", error_msg: "x" }))).toEqual([
      { path: "error_code", message: "error_code: must not be empty", rule: "minLength" },
    ]);
  });

  it("counts characters, not UTF-16 units", () => {
    expect(messages(validateProjectId("😀".repeat(32)))[1]).toBeUndefined();
    expect(messages(validateProjectId("😀".repeat(31)))[1]).toBe(
      "project_id: must be 32 lowercase hexadecimal characters (got 31 characters)",
    );
  });

  it("reports a bad character before a wrong length", () => {
    expect(issues(validateInstanceId("a/b")).map((i) => i.rule)).toEqual(["pattern", "minLength"]);
  });
});

describe("required and additionalProperties", () => {
  it("names each missing property", () => {
    expect(issues(validateCloseInstanceSessionsInput({}))).toEqual([
      { path: "projectId", message: "projectId: is required", rule: "required" },
      { path: "instanceId", message: "instanceId: is required", rule: "required" },
    ]);
  });

  it("names an unexpected property and lists the expected ones", () => {
    expect(issues(validateCloseInstanceSessionsInput({ projectId: PROJECT, instance_id: INSTANCE }))).toEqual([
      { path: "instanceId", message: "instanceId: is required", rule: "required" },
      {
        path: "instance_id",
        message: "instance_id: is not allowed in the input of closeInstanceSessions (expected only projectId, instanceId and nodeId)",
        rule: "additionalProperties",
      },
    ]);
    expect(issues(validateCloseSessionsResponse({ done: true }))).toEqual([
      { path: "done", message: "done: is not allowed: a success body of a close has no properties", rule: "additionalProperties" },
    ]);
  });

  it("quotes property names that are not identifiers", () => {
    expect(messages(validateCloseSessionsResponse({ "a b": 1 }))).toEqual([
      `["a b"]: is not allowed: a success body of a close has no properties`,
    ]);
  });

  it("reports each parameter's problems under its own name", () => {
    expect(messages(validateCloseInstanceSessionsInput({ projectId: 1, instanceId: "a/b" }))).toEqual([
      "projectId: must be a string (got number)",
      `instanceId: '/' is not allowed in an instance ID (got "a/b")`,
      `instanceId: must be 32 lowercase hexadecimal characters, then "in", then 2 digits (got 3 characters)`,
    ]);
  });
});

describe("anyOf (the error body)", () => {
  it("says once when the value is not an object at all", () => {
    expect(issues(validateErrorBody("<html>Bad gateway</html>"))).toEqual([
      { path: "", message: "must be an object (got string)", rule: "type" },
    ]);
  });

  it("explains why neither form matches, by the forms' titles", () => {
    expect(issues(validateErrorBody({ error_code: "DBS.200001" }))).toEqual([
      {
        path: "",
        message:
          "matches neither a service error body (error_msg: is required) nor a gateway error body (nested form) (error: is required)",
        rule: "anyOf",
      },
    ]);
    expect(messages(validateErrorBody({ error: { code: "" } }))).toEqual([
      "matches neither a service error body (error_code: is required; error_msg: is required) nor a gateway error body (nested form) (error.message: is required; error.code: must not be empty)",
    ]);
  });
});

describe("values that cannot be read", () => {
  it("reports a throwing getter without its message", () => {
    const params = {
      get projectId(): string {
        throw new Error("boom: secret-material");
      },
      instanceId: INSTANCE,
    };
    const result = validateCloseInstanceSessionsInput(params);
    expect(result).toEqual({
      ok: false,
      issues: [{ path: "", message: "could not be read (reading it threw an exception)", rule: "readable" }],
    });
  });

  it("names the value when the caller gave a path", () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(issues(validateProjectId(revoked.proxy, "projectId"))).toEqual([
      { path: "projectId", message: "projectId: could not be read (reading it threw an exception)", rule: "readable" },
    ]);
  });
});

describe("secrets are never quoted", () => {
  it("gives the position and code point of a control character only", () => {
    const token = "MIIDkgYJKoZ\rIhvcNAQcCoIIDgzCCA38CAQ";
    expect(issues(validateIamToken(token))).toEqual([
      {
        path: "X-Auth-Token",
        message: "X-Auth-Token: contains a control character (U+000D) at position 12, which is not allowed in an IAM token",
        rule: "pattern",
      },
    ]);
  });

  it("does not name a printable or non-ASCII character", () => {
    expect(messages(validateAkSkAuthorization("SDK-HMAC-SHA256 Access=A!K, SignedHeaders=host, Signature=00"))).toEqual([
      "Authorization: contains a character at position 25, which is not allowed in an AK/SK Authorization header",
    ]);
    expect(messages(validateSecretKey("abcé123"))).toEqual([
      "SecretKey: contains a non-ASCII character at position 4, which is not allowed in a secret access key (SK)",
    ]);
    expect(messages(validateSecurityToken("tok en"))).toEqual([
      "SecurityToken: contains a space (U+0020) at position 4, which is not allowed in a security token",
    ]);
  });

  it("describes the expected shape without the value", () => {
    const [message] = messages(validateAkSkAuthorization("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=abc"));
    expect(message).toBe(
      `Authorization: must be "SDK-HMAC-SHA256 Access=", then one or more letters or digits, then ", SignedHeaders=", then one or more lowercase letters, digits or '-', then any number of (";", then one or more lowercase letters, digits or '-'), then ", Signature=", then 64 lowercase hexadecimal characters`,
    );
    expect(messages(validateIamToken(""))).toEqual(["X-Auth-Token: must not be empty"]);
    expect(messages(validateSecretKey("k".repeat(257)))).toEqual(["SecretKey: must be at most 256 characters long (got 257 characters)"]);
  });
});

describe("Standard Schema messages", () => {
  it("leave out the value's name and give the path as keys", () => {
    expect(projectIdSchema["~standard"].validate("abc")).toEqual({
      issues: [{ message: "must be 32 lowercase hexadecimal characters (got 3 characters)", path: [] }],
    });
    expect(projectIdSchema["~standard"].validate("a/c")).toEqual({
      issues: [
        { message: `'/' is not allowed in a project ID (got "a/c")`, path: [] },
        { message: "must be 32 lowercase hexadecimal characters (got 3 characters)", path: [] },
      ],
    });
    expect(closeInstanceSessionsInputSchema["~standard"].validate({ projectId: PROJECT, instanceId: 5 })).toEqual({
      issues: [{ message: "must be a string (got number)", path: ["instanceId"] }],
    });
  });
});
