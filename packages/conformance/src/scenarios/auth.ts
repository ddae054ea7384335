import { AuthenticationError, CredentialsError } from "@geminidb-sessions/core";
import { demoIds } from "@geminidb-sessions/emulator";
import type { Scenario, ScenarioRun } from "../scenario.js";
import { conformanceIds } from "../world.js";

const refused = { result: "rejected", errorClass: AuthenticationError.name, status: 401, code: "APIGW.0301", retryable: false } as const;
const demoPair = { accessKey: demoIds.accessKey, secretKey: demoIds.secretKey };
/** A token provider that counts its calls in `tokenCalls` and hands out `token`. */
const provider = (run: ScenarioRun, token: string) => ({
  credentials: {
    token: async () => {
      run.count("tokenCalls");
      return token;
    },
  },
});

/** Every way to authenticate, and the ways each is refused. */
export const authScenarios: Scenario[] = [
  {
    name: "a token string",
    options: () => ({ credentials: { token: demoIds.token } }),
    expected: { result: "resolved", requests: 1, sessionsLeft: 0 },
  },
  {
    name: "a token provider, asked once",
    options: (run) => provider(run, demoIds.token),
    expected: { result: "resolved", requests: 1, notes: { tokenCalls: 1 } },
  },
  {
    name: "a token provider whose token expired: asked again on 401, the call sent again",
    options: (run) => ({
      credentials: { token: async () => (run.count("tokenCalls") === 1 ? demoIds.expiredToken : demoIds.token) },
    }),
    expected: { result: "resolved", requests: 2, waits: [], notes: { tokenCalls: 2 }, sessionsLeft: 0 },
  },
  {
    name: "a token provider that only has expired tokens: refreshed once, then AuthenticationError",
    options: (run) => provider(run, demoIds.expiredToken),
    expected: { ...refused, requests: 2, notes: { tokenCalls: 2 } },
  },
  {
    name: "a token provider that throws: CredentialsError, nothing sent",
    options: (run) => ({
      credentials: {
        token: async () => {
          run.count("tokenCalls");
          throw new Error("the identity service is down");
        },
      },
    }),
    expected: { result: "rejected", errorClass: CredentialsError.name, requests: 0, notes: { tokenCalls: 1 } },
  },
  {
    name: "a fixed expired token is not refreshed",
    options: () => ({ credentials: { token: demoIds.expiredToken } }),
    expected: { ...refused, requests: 1 },
  },
  {
    name: "an unknown token",
    options: () => ({ credentials: { token: "MIIUnknownTokenForConformance0001" } }),
    expected: { ...refused, requests: 1 },
  },
  {
    name: "a token used for another project's path",
    options: () => ({ credentials: { token: demoIds.token } }),
    input: { instanceId: demoIds.instances.otherProject, projectId: demoIds.otherProjectId },
    expected: { ...refused, requests: 1 },
  },
  {
    name: "an AK/SK signature",
    options: () => ({ credentials: demoPair }),
    expected: { result: "resolved", requests: 1, sessionsLeft: 0 },
  },
  {
    name: "an AK/SK signature made with the wrong SK",
    options: () => ({ credentials: { accessKey: demoIds.accessKey, secretKey: `${demoIds.secretKey}x` } }),
    expected: { ...refused, requests: 1 },
  },
  {
    name: "an unknown AK",
    options: () => ({ credentials: { accessKey: "UNKNOWNCONFORMANCEAK01", secretKey: demoIds.secretKey } }),
    expected: { ...refused, requests: 1 },
  },
  {
    name: "temporary AK/SK with their security token",
    options: () => ({ credentials: conformanceIds.temporary }),
    expected: { result: "resolved", requests: 1, sessionsLeft: 0 },
  },
  {
    name: "temporary AK/SK without their security token",
    options: () => ({ credentials: { accessKey: conformanceIds.temporary.accessKey, secretKey: conformanceIds.temporary.secretKey } }),
    expected: { ...refused, requests: 1 },
  },
  {
    name: "AK/SK: a per-call projectId is the one signed in X-Project-Id",
    options: () => ({ credentials: conformanceIds.multiProject, projectId: demoIds.otherProjectId }),
    input: { instanceId: demoIds.instances.redisProxy, projectId: demoIds.projectId },
    expected: { result: "resolved", requests: 1, sessionsLeft: 0 },
  },
  {
    name: "AK/SK: a per-call projectId of another bound project reaches that project's instance",
    options: () => ({ credentials: conformanceIds.multiProject }),
    input: { instanceId: demoIds.instances.otherProject, projectId: demoIds.otherProjectId },
    expected: { result: "resolved", requests: 1, sessionsLeft: 12 },
  },
  {
    name: "AK/SK: a per-call projectId the key is not bound to",
    options: () => ({ credentials: demoPair }),
    input: { instanceId: demoIds.instances.otherProject, projectId: demoIds.otherProjectId },
    expected: { ...refused, requests: 1 },
  },
];
