import { createSessionsClient } from "@geminidb-sessions/client";

// An IAM token (X-Auth-Token). Tokens last 24 hours.
const client = createSessionsClient({
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  region: "cn-north-4",
  credentials: { token: process.env.GEMINIDB_TOKEN ?? "" },
});

const { requestId } = await client.closeInstanceSessions({ instanceId: "c865f921f3dd45198f209a607533a779in12" });
console.log(`sessions closed (request ${requestId})`);
