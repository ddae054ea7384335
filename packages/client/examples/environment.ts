import { createSessionsClient, optionsFromEnv } from "@geminidb-sessions/client";

// Credentials, project, region and endpoint from the variables the vendor's tools read;
// what you pass yourself wins over the environment.
//   GEMINIDB_TOKEN, or HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK (+ HUAWEICLOUD_SDK_SECURITY_TOKEN)
//   HUAWEICLOUD_SDK_PROJECT_ID, HUAWEICLOUD_SDK_REGION
//   HUAWEICLOUD_SDK_REGION_GAUSSDBFORNOSQL_<REGION> (an endpoint for that region, e.g. ..._CN_NORTH_4)
export const client = createSessionsClient(optionsFromEnv(process.env, { timeoutMs: 10_000 }));
