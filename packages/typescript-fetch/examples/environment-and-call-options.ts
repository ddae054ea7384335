import { createSessionsApi, optionsFromEnv } from "@geminidb-sessions/typescript-fetch";

// Credentials, project, region and endpoint from the environment (GEMINIDB_TOKEN or
// HUAWEICLOUD_SDK_AK/SK, HUAWEICLOUD_SDK_PROJECT_ID, HUAWEICLOUD_SDK_REGION, ...);
// what you pass yourself wins. The table is in the client's README.
const api = createSessionsApi(optionsFromEnv(process.env, { maxRetries: 4 }));

// One call can have its own timeoutMs, maxRetries and onRetry, next to the usual RequestInit fields.
await api.listInstanceSessions(
  { instanceId: "c865f921f3dd45198f209a607533a779in12" },
  {
    timeoutMs: 60_000,
    maxRetries: 1,
    onRetry: ({ reason, delayMs }) => console.error(`${reason}: retrying in ${delayMs} ms`),
    signal: AbortSignal.timeout(120_000),
  },
);
