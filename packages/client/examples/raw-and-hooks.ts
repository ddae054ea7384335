import { createSessionsClient } from "@geminidb-sessions/client";

const client = createSessionsClient({
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  region: "cn-north-4",
  credentials: { token: process.env.GEMINIDB_TOKEN ?? "" },
  // Request/response lines, with X-Auth-Token, Authorization and X-Security-Token masked as ***.
  logger: console,
});

// openapi-fetch middleware: onRequest / onResponse hooks, once per call.
client.use({
  onResponse({ response }) {
    console.log(`HTTP ${response.status}, request ${response.headers.get("x-request-id")}`);
  },
});

// The typed openapi-fetch client, for { data, error, response }.
const { response } = await client.raw.DELETE("/v3/{project_id}/instances/{instance_id}/sessions", {
  params: { path: { project_id: "619d3e78f61b4be68bc5aa0b59edcf7b", instance_id: "c865f921f3dd45198f209a607533a779in12" } },
});
console.log(response.status);
