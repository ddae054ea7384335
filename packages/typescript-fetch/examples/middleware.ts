import { createSessionsApi } from "@geminidb-sessions/typescript-fetch";

const api = createSessionsApi({
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  region: "cn-north-4",
  credentials: { token: process.env.GEMINIDB_TOKEN ?? "" },
  // Request/response lines, with X-Auth-Token, Authorization and X-Security-Token masked as ***.
  logger: console,
});

// The generator's middleware, once per call around core's transport (which signs,
// times out and retries each attempt): `pre` may change the request, `post` sees the
// 2xx response, `onError` sees core's typed error.
const traced = api.withMiddleware({
  async pre({ url, init }) {
    const headers = new Headers(init.headers);
    headers.set("X-Trace-Id", "trace-1");
    return { url, init: { ...init, headers } };
  },
  async post({ response }) {
    console.log(`HTTP ${response.status}, request ${response.headers.get("x-request-id")}`);
  },
  async onError({ error }) {
    console.error("failed:", error);
  },
});
await traced.closeInstanceSessions({ instanceId: "c865f921f3dd45198f209a607533a779in12" });
