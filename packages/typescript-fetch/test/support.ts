import { projectId, type RecordingServer, token } from "@geminidb-sessions/test-utils";
import { createSessionsApi, type SessionsApi, type SessionsApiOptions } from "../src/index.js";

export { accessKey, instanceId, projectId, secretKey, securityToken, token, useServer } from "@geminidb-sessions/test-utils";

/** An API on the test server, with instant backoff so retry tests do not wait. */
export function apiFor(server: RecordingServer, options: Partial<SessionsApiOptions> = {}): SessionsApi {
  return createSessionsApi({
    projectId,
    endpoint: server.url,
    credentials: { token },
    runtime: { sleep: async () => {} },
    ...options,
  });
}

/** The three generated entry points of the operation, each called the way its users would. */
export const entryPoints = {
  closeInstanceSessions: (api: SessionsApi, input: Parameters<SessionsApi["closeInstanceSessions"]>[0], init?: RequestInit) =>
    api.closeInstanceSessions(input, init),
  closeInstanceSessionsRaw: (api: SessionsApi, input: Parameters<SessionsApi["closeInstanceSessions"]>[0], init?: RequestInit) =>
    api.closeInstanceSessionsRaw(input, init),
} as const;

export const entryPointNames = Object.keys(entryPoints) as (keyof typeof entryPoints)[];

/** The settled rejection of `promise` (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error,
  );
}
