import { closeInstanceSessions, createBareSessionsClient } from "@geminidb-sessions/client";

// A client without methods: a bundle carries only the operations it imports (here, one).
const client = createBareSessionsClient({
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  region: "cn-north-4",
  credentials: { token: process.env.GEMINIDB_TOKEN ?? "" },
});

const { requestId } = await closeInstanceSessions(client, { instanceId: "c865f921f3dd45198f209a607533a779in12" });
console.log(`sessions closed (request ${requestId})`);
