// Type-level tests of the public client API, checked by `tsc` in the typecheck
// task: a wrong assertion or an unused @ts-expect-error fails it.
import { expectTypeOf } from "vitest";
import { type ApiError, type CallResult, createSessionsClient, type ErrorCode, type SessionsClient } from "../src/index.js";

const client = createSessionsClient({ projectId: "619d3e78f61b4be68bc5aa0b59edcf7b", region: "cn-north-4", credentials: { token: "t" } });
expectTypeOf(client).toEqualTypeOf<SessionsClient>();
expectTypeOf(client.closeInstanceSessions({ instanceId: "c865f921f3dd45198f209a607533a779in12" })).resolves.toEqualTypeOf<
  CallResult<"closeInstanceSessions">
>();
expectTypeOf<CallResult<"closeInstanceSessions">["requestId"]>().toEqualTypeOf<string | undefined>();

// Every operation of the spec is a typed method, its input and result from the generated types.
const listed = client.listNodeSessions({ nodeId: "784b3fb7bac14bc490659950dd4f022fno12", limit: 10, addrPrefix: "10.0." });
expectTypeOf(listed).resolves.toHaveProperty("data").toHaveProperty("total_count").toEqualTypeOf<number>();
expectTypeOf(client.pages.listNodeSessions).parameter(0).toHaveProperty("nodeId").toEqualTypeOf<string>();
expectTypeOf(client.getNodeSessionStatistics({ nodeId: "784b3fb7bac14bc490659950dd4f022fno12" }))
  .resolves.toHaveProperty("data")
  .toHaveProperty("top_source_ips")
  .items.toHaveProperty("client_ip")
  .toEqualTypeOf<string>();

// The error code is the catalog's union, still open to codes the service adds later.
expectTypeOf<"DBS.200002">().toExtend<ApiError["code"]>();
expectTypeOf<ErrorCode>().toExtend<ApiError["code"]>();
expectTypeOf<"DBS.999999">().toExtend<ApiError["code"]>();

export function typeChecks(): void {
  // @ts-expect-error instanceId is required
  void client.closeInstanceSessions({});
  // @ts-expect-error the parameter is instanceId, not instance_id
  void client.closeInstanceSessions({ instance_id: "c865f921f3dd45198f209a607533a779in12" });
  // @ts-expect-error instanceId is a string
  void client.closeInstanceSessions({ instanceId: 12 });
  // @ts-expect-error closeNodeSessions needs its body
  void client.closeNodeSessions({ nodeId: "784b3fb7bac14bc490659950dd4f022fno12" });
  // @ts-expect-error is_all is a boolean
  void client.closeNodeSessions({ nodeId: "784b3fb7bac14bc490659950dd4f022fno12", body: { is_all: "yes" } });
  // @ts-expect-error only paginated operations have a page iterator
  void client.pages.getNodeSessionStatistics;
  // @ts-expect-error credentials are required
  createSessionsClient({ projectId: "619d3e78f61b4be68bc5aa0b59edcf7b", region: "cn-north-4" });
  // @ts-expect-error a credential is a token or an AK/SK pair, not a password
  createSessionsClient({ region: "cn-north-4", credentials: { password: "x" } });
  // @ts-expect-error an AK needs its SK
  createSessionsClient({ region: "cn-north-4", credentials: { accessKey: "AK" } });
  // @ts-expect-error maxRetries is a number
  createSessionsClient({ region: "cn-north-4", credentials: { token: "t" }, maxRetries: "2" });
}
