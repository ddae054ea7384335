import type { SessionsClientOptions } from "@geminidb-sessions/client";
import type { OperationRequest, SessionsApi, SessionsApiOptions } from "@geminidb-sessions/typescript-fetch";
import { type ErrorCode, errorCatalog } from "@geminidb-sessions/validation";
import { describe, expect, expectTypeOf, it } from "vitest";
import { catalogFaultScenarios } from "../src/scenarios/catalog-faults.js";

describe("what the suite relies on", () => {
  it("both factories take exactly the same options (the client's minus its openapi-fetch middleware)", () => {
    // Checked by the compiler (`tsc` in this package's typecheck); a no-op at run time.
    expectTypeOf<SessionsApiOptions>().toEqualTypeOf<Omit<SessionsClientOptions, "middleware">>();
    expectTypeOf<{ instanceId: string }>().toExtend<OperationRequest<"closeInstanceSessions">>();
    expectTypeOf<{ instanceId: string }>().toExtend<Parameters<SessionsApi["closeInstanceSessions"]>[0]>();
  });

  it("injects every (code, status) pair of the catalog, in both body forms", () => {
    const pairs = Object.entries(errorCatalog).flatMap(([code, entry]) => entry.statuses.map((status) => `${code as ErrorCode} ${status}`));
    const injected = catalogFaultScenarios.map((scenario) => {
      const effect = scenario.faults?.[0]?.effect;
      return effect?.type === "error" ? `${effect.code} ${effect.status} ${effect.form}` : "";
    });
    expect([...injected].sort()).toEqual(pairs.flatMap((pair) => [`${pair} flat`, `${pair} nested`]).sort());
  });
});
