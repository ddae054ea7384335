import { ValidationError } from "@geminidb-sessions/core";
import { demoIds } from "@geminidb-sessions/emulator";
import type { Scenario } from "../scenario.js";

function refusedCall(name: string, field: string, scenario: Pick<Scenario, "options" | "input">): Scenario {
  return {
    name: `${name}: ValidationError on ${field}, nothing sent`,
    ...scenario,
    expected: { phase: "call", result: "rejected", errorClass: ValidationError.name, field, requests: 0, sessionsLeft: 12 },
  };
}

function refusedOptions(name: string, field: string, options: NonNullable<Scenario["options"]>): Scenario {
  return {
    name: `${name}: the factory throws ValidationError on ${field}`,
    options,
    expected: { phase: "create", result: "rejected", errorClass: ValidationError.name, field, requests: 0 },
  };
}

const badInstanceIds = [
  ["a fragment", "x#y"],
  ["dot segments", `${demoIds.instances.redisProxy}/../..`],
  ["a slash", "a/b"],
  ["a query", `${demoIds.instances.redisProxy}?x=1`],
  ["percent-encoding", "c865f921f3dd45198f209a607533a779in1%2F"],
  ["surrounding whitespace", ` ${demoIds.instances.redisProxy}`],
  ["an empty string", ""],
] as const;

/** Input refused before any I/O, per call and at creation. */
export const inputScenarios: Scenario[] = [
  ...badInstanceIds.map(([label, instanceId]) => refusedCall(`an instanceId with ${label}`, "instanceId", { input: { instanceId } })),
  refusedCall("a malformed per-call projectId", "projectId", {
    input: { instanceId: demoIds.instances.redisProxy, projectId: "../admin" },
  }),
  refusedCall("no projectId in the options or the call", "projectId", { options: () => ({ projectId: undefined }) }),
  refusedOptions("a malformed projectId option", "projectId", () => ({ projectId: "NOT-A-PROJECT" })),
  refusedOptions("an unknown region", "region", () => ({ endpoint: undefined, region: "mars-north-1" as never })),
  refusedOptions("http:// to a host that is not loopback", "endpoint", () => ({ endpoint: "http://gaussdb.example.com" })),
  refusedOptions("an endpoint with a path", "endpoint", () => ({ endpoint: "https://gaussdb.example.com/v3" })),
  refusedOptions("a token holding CR/LF", "credentials.token", () => ({ credentials: { token: "abc\r\nX-Evil: 1" } })),
  refusedOptions("an AK without an SK", "credentials.secretKey", () => ({ credentials: { accessKey: demoIds.accessKey } as never })),
  refusedOptions("maxRetries above the limit", "maxRetries", () => ({ maxRetries: 11 })),
  refusedOptions("a timeoutMs of 0", "timeoutMs", () => ({ timeoutMs: 0 })),
  refusedOptions("an onRetry that is not a function", "onRetry", () => ({ onRetry: "log" as never })),
];
