import { AbortError, createSessionsClient } from "@geminidb-sessions/client";

// Each attempt may take 5 s; up to 4 retries (connection errors, timeouts, 429,
// 5xx and retryable catalog codes), backing off with jitter and honoring Retry-After.
const client = createSessionsClient({
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  region: "cn-north-4",
  credentials: { token: process.env.GEMINIDB_TOKEN ?? "" },
  timeoutMs: 5_000,
  maxRetries: 4,
});

// The whole call, retries included, ends after 20 s: also while it waits to retry.
try {
  await client.closeInstanceSessions({ instanceId: "c865f921f3dd45198f209a607533a779in12", signal: AbortSignal.timeout(20_000) });
} catch (error) {
  if (error instanceof AbortError) console.error("gave up after 20 s");
  else throw error;
}

// One call can have its own timeoutMs and maxRetries (the client's apply to every other call).
await client.listInstanceSessions({ instanceId: "c865f921f3dd45198f209a607533a779in12", timeoutMs: 60_000, maxRetries: 0 });

// onRetry (on the client, or per call as here) is told of each retry before its wait.
await client.closeInstanceSessions({
  instanceId: "c865f921f3dd45198f209a607533a779in12",
  onRetry: ({ attempt, reason, delayMs }) => console.error(`attempt ${attempt} failed (${reason}); retrying in ${delayMs} ms`),
});
