import { createSessionsClient, type TemporaryAkSk } from "@geminidb-sessions/client";

// Temporary AK/SK (from IAM's POST /v3.0/OS-CREDENTIAL/securitytokens, an agency, a
// vault...): asked for before the first request, again 5 minutes before expiresAt and
// once when the gateway refuses the signature (401 APIGW.0301); one call in flight at a time.
async function fetchTemporaryCredentials(): Promise<TemporaryAkSk> {
  const response = await fetch("https://vault.example.internal/huaweicloud/temporary-credentials");
  const body = (await response.json()) as { access: string; secret: string; securitytoken: string; expires_at: string };
  return { accessKey: body.access, secretKey: body.secret, securityToken: body.securitytoken, expiresAt: body.expires_at };
}

export const client = createSessionsClient({
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  region: "cn-north-4",
  credentials: { provider: fetchTemporaryCredentials },
});
