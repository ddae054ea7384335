// The same program with the vendor's SDK (AK/SK only: it has no token credentials).
// Plain JavaScript, bundled from bench/vendor-sdk where the SDK is installed.
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import { ClearInstanceSessionsRequest, GaussDBforNoSQLClient } from "@huaweicloud/huaweicloud-sdk-gaussdbfornosql";

export async function closeAllSessions(ak, sk, projectId, instanceId) {
  const credentials = new BasicCredentials().withAk(ak).withSk(sk).withProjectId(projectId);
  const client = GaussDBforNoSQLClient.newBuilder()
    .withCredential(credentials)
    .withEndpoint("https://gaussdb-nosql.cn-north-4.myhuaweicloud.com")
    .build();
  return client.clearInstanceSessions(new ClearInstanceSessionsRequest().withInstanceId(instanceId));
}
