// The smallest close program with the client's operation functions: a bare client and the one operation it calls.
import { closeInstanceSessions, createBareSessionsClient } from "@geminidb-sessions/client";

export async function close(token: string, projectId: string, instanceId: string): Promise<string | undefined> {
  const client = createBareSessionsClient({ projectId, region: "cn-north-4", credentials: { token } });
  const { requestId } = await closeInstanceSessions(client, { instanceId });
  return requestId;
}
