import { createSessionsClient } from "@geminidb-sessions/client";

// A token provider is called lazily, its token shared by concurrent calls, and
// asked again once if the service answers 401 APIGW.0301 (expired token).
async function fetchIamToken(): Promise<string> {
  const response = await fetch("https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens", { method: "POST" /* , body: … */ });
  return response.headers.get("x-subject-token") ?? "";
}

export const client = createSessionsClient({
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  region: "cn-north-4",
  credentials: { token: fetchIamToken },
});
