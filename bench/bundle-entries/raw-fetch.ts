// The floor: one hand-written fetch with a token, no checks, no retries, no typed errors.
export async function closeInstanceSessions(token: string, projectId: string, instanceId: string): Promise<string | undefined> {
  const url = `https://gaussdb-nosql.cn-north-4.myhuaweicloud.com/v3/${projectId}/instances/${instanceId}/sessions`;
  const response = await fetch(url, { method: "DELETE", headers: { "X-Auth-Token": token } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.headers.get("x-request-id") ?? undefined;
}
