import { createSessionsApi, credentialsFromEnv } from "@geminidb-sessions/typescript-fetch";

// AK/SK request signing (SDK-HMAC-SHA256), with a security token for temporary credentials.
export const signed = createSessionsApi({
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  region: "ap-southeast-1",
  credentials: {
    accessKey: process.env.HUAWEICLOUD_SDK_AK ?? "",
    secretKey: process.env.HUAWEICLOUD_SDK_SK ?? "",
    securityToken: process.env.HUAWEICLOUD_SDK_SECURITY_TOKEN, // optional
  },
});

// Or read the vendor's HUAWEICLOUD_SDK_* variables in one go.
const fromEnv = credentialsFromEnv();
export const fromEnvironment = createSessionsApi({ ...fromEnv, region: "ap-southeast-1" });
