import { describe, expect, it } from "vitest";
import { type TargetResult as InstanceResult, outcomeOf } from "../src/results.js";

const closed: InstanceResult = { instanceId: "a", status: "closed" };
const failed = (kind: NonNullable<InstanceResult["kind"]>): InstanceResult => ({ instanceId: "b", status: "failed", kind });

describe("the exit code of a run", () => {
  it.each([
    ["every instance closed", [closed, closed], "success", 0],
    ["some closed, some failed", [closed, failed("auth")], "partial", 5],
    ["all failed on auth", [failed("auth"), failed("auth")], "auth", 3],
    ["all failed as not found", [failed("not-found")], "not-found", 4],
    ["all failed retryably", [failed("retryable"), failed("retryable")], "retryable", 6],
    ["all failed for another reason", [failed("other")], "failure", 1],
    ["all failed for mixed reasons", [failed("auth"), failed("not-found")], "failure", 1],
    ["all failed, retryable mixed with other", [failed("retryable"), failed("other")], "failure", 1],
    ["interrupted, whatever else happened", [closed, { instanceId: "c", status: "aborted" }], "interrupted", 130],
  ] as const)("%s: %s (%i)", (_name, results, outcome, exitCode) => {
    expect(outcomeOf(results)).toEqual({ outcome, exitCode });
  });
});
