import { projectId, type RecordingServer, token } from "@geminidb-sessions/test-utils";
import { createSessionsClient, type SessionsClientOptions } from "../src/index.js";

export { accessKey, instanceId, projectId, secretKey, securityToken, token, useServer } from "@geminidb-sessions/test-utils";

/** A client on the test server, with instant backoff so retry tests do not wait. */
export function clientFor(server: RecordingServer, options: Partial<SessionsClientOptions> = {}) {
  return createSessionsClient({
    projectId,
    endpoint: server.url,
    credentials: { token },
    runtime: { sleep: async () => {} },
    ...options,
  });
}
