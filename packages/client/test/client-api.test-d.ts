// Type-level tests of the public client API, checked by `tsc` in the typecheck
// task: a wrong assertion or an unused @ts-expect-error fails it.
import { expectTypeOf } from "vitest";
import { type ApiError, type CloseAllSessionsResult, createSessionsClient, type ErrorCode, type SessionsClient } from "../src/index.js";

const client = createSessionsClient({ projectId: "619d3e78f61b4be68bc5aa0b59edcf7b", region: "cn-north-4", credentials: { token: "t" } });
expectTypeOf(client).toEqualTypeOf<SessionsClient>();
expectTypeOf(
  client.closeAllSessions({ instanceId: "c865f921f3dd45198f209a607533a779in12" }),
).resolves.toEqualTypeOf<CloseAllSessionsResult>();
expectTypeOf<CloseAllSessionsResult["requestId"]>().toEqualTypeOf<string | undefined>();

// The error code is the catalog's union, still open to codes the service adds later.
expectTypeOf<"DBS.200002">().toExtend<ApiError["code"]>();
expectTypeOf<ErrorCode>().toExtend<ApiError["code"]>();
expectTypeOf<"DBS.999999">().toExtend<ApiError["code"]>();

export function typeChecks(): void {
  // @ts-expect-error instanceId is required
  void client.closeAllSessions({});
  // @ts-expect-error the parameter is instanceId, not instance_id
  void client.closeAllSessions({ instance_id: "c865f921f3dd45198f209a607533a779in12" });
  // @ts-expect-error instanceId is a string
  void client.closeAllSessions({ instanceId: 12 });
  // @ts-expect-error credentials are required
  createSessionsClient({ projectId: "619d3e78f61b4be68bc5aa0b59edcf7b", region: "cn-north-4" });
  // @ts-expect-error a credential is a token or an AK/SK pair, not a password
  createSessionsClient({ region: "cn-north-4", credentials: { password: "x" } });
  // @ts-expect-error an AK needs its SK
  createSessionsClient({ region: "cn-north-4", credentials: { accessKey: "AK" } });
  // @ts-expect-error maxRetries is a number
  createSessionsClient({ region: "cn-north-4", credentials: { token: "t" }, maxRetries: "2" });
}
