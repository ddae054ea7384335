import { createSessionsApi } from "@geminidb-sessions/typescript-fetch";

// An IAM token (X-Auth-Token). Tokens last 24 hours.
const api = createSessionsApi({
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  region: "cn-north-4",
  credentials: { token: process.env.GEMINIDB_TOKEN ?? "" },
});

const response = await api.closeInstanceSessionsRaw({ instanceId: "c865f921f3dd45198f209a607533a779in12" });
const requestId = response.raw.headers.get("x-request-id");
console.log(`sessions closed (request ${requestId})`);
