// The smallest useful program with the recommended client: close every session of one instance.
import { createSessionsClient } from "@geminidb-sessions/client";

export async function closeInstanceSessions(token: string, projectId: string, instanceId: string): Promise<string | undefined> {
  const client = createSessionsClient({ projectId, region: "cn-north-4", credentials: { token } });
  const { requestId } = await client.closeInstanceSessions({ instanceId });
  return requestId;
}
