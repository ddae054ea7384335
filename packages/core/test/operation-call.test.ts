import { describe, expect, it } from "vitest";
import { prepareCall, resolveCoreOptions, sendCall, ValidationError } from "../src/index.js";
import { AK, INSTANCE, PROJECT, SK, TOKEN } from "./helpers.js";

const OTHER_PROJECT = "0123456789abcdef0123456789abcdef";

function options(credentials: { token: string } | { accessKey: string; secretKey: string }) {
  return resolveCoreOptions({ endpoint: "http://127.0.0.1:1", projectId: PROJECT, credentials });
}

describe("prepareCall: the project header", () => {
  it("sends no X-Project-Id with a token (it only names the project an AK/SK signature is for)", () => {
    const call = prepareCall("closeInstanceSessions", { instanceId: INSTANCE, projectId: OTHER_PROJECT }, options({ token: TOKEN }), "f");
    expect(call.target).toBe(`/v3/${OTHER_PROJECT}/instances/${INSTANCE}/sessions`);
    expect(Object.keys(call.headers).map((name) => name.toLowerCase())).not.toContain("x-project-id");
  });

  it("names the path's project, the per-call one over the configured one, in X-Project-Id with AK/SK", () => {
    const aksk = options({ accessKey: AK, secretKey: SK });
    expect(prepareCall("closeInstanceSessions", { instanceId: INSTANCE }, aksk, "f").headers).toEqual({ "X-Project-Id": PROJECT });
    expect(prepareCall("closeInstanceSessions", { instanceId: INSTANCE, projectId: OTHER_PROJECT }, aksk, "f").headers).toEqual({
      "X-Project-Id": OTHER_PROJECT,
    });
  });
});

describe("prepareCall: input that is not an object", () => {
  it.each([
    ["null", null],
    ["undefined", undefined],
    ["a bare instance ID", INSTANCE],
    ["an array", [INSTANCE]],
  ])("refuses %s, naming the input", (_label, input) => {
    let error: unknown;
    try {
      prepareCall("closeInstanceSessions", input, options({ token: TOKEN }), "f");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("input");
  });
});

describe("sendCall: a call not made by prepareCall", () => {
  it("refuses a call without its operation's checks before anything is sent", async () => {
    let sent = 0;
    const resolved = resolveCoreOptions({
      endpoint: "http://127.0.0.1:1",
      projectId: PROJECT,
      credentials: { token: TOKEN },
      fetch: async () => {
        sent++;
        return new Response("{}");
      },
    });
    const { checks: _checks, ...handMade } = prepareCall("closeInstanceSessions", { instanceId: INSTANCE }, resolved, "f");
    const error = await sendCall(resolved, handMade as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("call");
    expect(sent).toBe(0);
  });
});
