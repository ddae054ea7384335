import { createSessionsClient } from "@geminidb-sessions/client";
import { createNodeFetch } from "@geminidb-sessions/core/node";

// Node.js only: node:http keep-alive instead of the global fetch, for less CPU per call.
const nodeFetch = createNodeFetch();
const client = createSessionsClient({
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  region: "cn-north-4",
  credentials: { token: process.env.GEMINIDB_TOKEN ?? "" },
  fetch: nodeFetch,
});
console.log(`calls go to ${client.endpoint} over node:http keep-alive`);
nodeFetch.close(); // at the end: closes the idle sockets
