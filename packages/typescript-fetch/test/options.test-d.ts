// Type-level tests of createSessionsApi's options and per-call overrides, checked by `tsc`
// in the typecheck task: a wrong assertion or an unused @ts-expect-error fails it.
import { expectTypeOf } from "vitest";
import { createSessionsApi, type InitOverrides, NotFoundError, type SessionsApiOptions } from "../src/index.js";

expectTypeOf<"cn-north-4">().toExtend<SessionsApiOptions["region"]>();
expectTypeOf<"mars-1">().not.toExtend<SessionsApiOptions["region"]>();
expectTypeOf<{ timeoutMs: number; maxRetries: number; signal: AbortSignal }>().toExtend<InitOverrides>();
expectTypeOf(new NotFoundError({ status: 404, message: "m" }).name).toEqualTypeOf<"NotFoundError">();

export function typeChecks(): void {
  const api = createSessionsApi({ region: "cn-north-4", credentials: { token: "t" } });
  void api.closeInstanceSessions({ instanceId: "c865f921f3dd45198f209a607533a779in12" }, { timeoutMs: 5_000, maxRetries: 0 });
  // @ts-expect-error maxRetries is a number
  void api.closeInstanceSessions({ instanceId: "c865f921f3dd45198f209a607533a779in12" }, { maxRetries: "0" });
  // @ts-expect-error not a region the spec lists
  createSessionsApi({ region: "mars-1", credentials: { token: "t" } });
  // @ts-expect-error a token and an AK/SK pair together
  createSessionsApi({ region: "cn-north-4", credentials: { token: "t", accessKey: "AK", secretKey: "SK" } });
  // @ts-expect-error the option is timeoutMs
  createSessionsApi({ region: "cn-north-4", credentials: { token: "t" }, timeout: 5 });
}
