// Type-level tests of core's public types, checked by `tsc` in the typecheck task:
// a wrong assertion or an unused @ts-expect-error fails it.
import { expectTypeOf } from "vitest";
import {
  type ApiError,
  type CoreOptions,
  type Credentials,
  type GeminiDbError,
  NotFoundError,
  RateLimitError,
  resolveCoreOptions,
  TimeoutError,
  ValidationError,
} from "../src/index.js";

// Error names are literal types, so `switch (err.name)` is checked.
expectTypeOf(new ValidationError("f", "r", "m").name).toEqualTypeOf<"ValidationError">();
expectTypeOf(new NotFoundError({ status: 404, message: "m" }).name).toEqualTypeOf<"NotFoundError">();
expectTypeOf(new RateLimitError({ status: 429, message: "m" }).name).toEqualTypeOf<"RateLimitError">();
expectTypeOf(new TimeoutError("m", { timeoutMs: 1, attempts: 1 }).name).toEqualTypeOf<"TimeoutError">();
expectTypeOf<"NotFoundError">().toExtend<ApiError["name"]>();
expectTypeOf<"ValidationError">().toExtend<GeminiDbError["name"]>();
expectTypeOf<"SomethingElse">().not.toExtend<GeminiDbError["name"]>();

// The region is the spec's list.
expectTypeOf<"cn-north-4">().toExtend<CoreOptions["region"]>();
expectTypeOf<"mars-1">().not.toExtend<CoreOptions["region"]>();

// Credentials: exactly one form.
expectTypeOf<{ token: string }>().toExtend<Credentials>();
expectTypeOf<{ accessKey: string; secretKey: string; securityToken: string }>().toExtend<Credentials>();
expectTypeOf<{ provider: () => Promise<{ accessKey: string; secretKey: string }> }>().toExtend<Credentials>();
expectTypeOf<{ token: string; accessKey: string; secretKey: string }>().not.toExtend<Credentials>();
expectTypeOf<{ provider: () => Promise<{ accessKey: string; secretKey: string }>; accessKey: string }>().not.toExtend<Credentials>();

export function typeChecks(): void {
  // @ts-expect-error not a region the spec lists
  resolveCoreOptions({ region: "mars-1", credentials: { token: "t" } });
  // @ts-expect-error a token and an AK/SK pair together
  resolveCoreOptions({ region: "cn-north-4", credentials: { token: "t", accessKey: "AK", secretKey: "SK" } });
  // @ts-expect-error the option is timeoutMs
  resolveCoreOptions({ region: "cn-north-4", credentials: { token: "t" }, timeout: 5 });
}
