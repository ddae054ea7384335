import type { StandardSchemaV1 as Official } from "@standard-schema/spec";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  closeInstanceSessionsInputSchema,
  type ErrorBody,
  errorBodySchema,
  instanceIdSchema,
  projectIdSchema,
  STANDARD_SCHEMA_VENDOR,
  type StandardSchemaV1,
} from "../src/index.js";
import { covered } from "./support/validators.js";

/** What a library accepting any Standard Schema does: call validate and read value or issues. */
async function parseWith<S extends Official>(schema: S, value: unknown): Promise<Official.InferOutput<S>> {
  const result = await schema["~standard"].validate(value);
  if (result.issues)
    throw new Error(result.issues.map((i) => `${(i.path ?? []).map(String).join(".") || "(root)"}: ${i.message}`).join("; "));
  return result.value;
}

describe("Standard Schema v1", () => {
  it("every schema has version 1 and vendor geminidb-sessions", () => {
    expect(STANDARD_SCHEMA_VENDOR).toBe("geminidb-sessions");
    for (const { standard } of covered) {
      expect(standard["~standard"].version).toBe(1);
      expect(standard["~standard"].vendor).toBe("geminidb-sessions");
      expect(typeof standard["~standard"].validate).toBe("function");
    }
  });

  it("our declaration is assignable to the official one, with the right output types", () => {
    expectTypeOf(projectIdSchema).toExtend<Official<unknown, string>>();
    expectTypeOf(errorBodySchema).toExtend<Official<unknown, ErrorBody>>();
    expectTypeOf<Official.InferOutput<typeof closeInstanceSessionsInputSchema>>().toEqualTypeOf<{
      projectId: string;
      instanceId: string;
      nodeId?: string;
    }>();
    expectTypeOf<StandardSchemaV1.Result<string>>().toExtend<Official.Result<string>>();
  });

  it("works through a generic Standard Schema consumer", async () => {
    await expect(parseWith(instanceIdSchema, "c865f921f3dd45198f209a607533a779in12")).resolves.toBe("c865f921f3dd45198f209a607533a779in12");
    await expect(parseWith(instanceIdSchema, "a/b")).rejects.toThrow(`(root): '/' is not allowed in an instance ID (got "a/b")`);
    await expect(parseWith(closeInstanceSessionsInputSchema, { projectId: "x" })).rejects.toThrow("instanceId: is required");
  });

  it("returns the value itself on success, synchronously", () => {
    const body = { error: { code: "APIGW.0202", message: "Backend unavailable" } };
    const result = errorBodySchema["~standard"].validate(body);
    expect(result).toEqual({ value: body });
    expect((result as { value: unknown }).value).toBe(body);
  });
});
