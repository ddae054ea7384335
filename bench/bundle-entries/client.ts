// The smallest close program with the full client (createSessionsClient: every operation as a method, raw, middleware).
import { createSessionsClient } from "@geminidb-sessions/client";

export async function closeInstanceSessions(token: string, projectId: string, instanceId: string): Promise<string | undefined> {
  const client = createSessionsClient({ projectId, region: "cn-north-4", credentials: { token } });
  const { requestId } = await client.closeInstanceSessions({ instanceId });
  return requestId;
}
