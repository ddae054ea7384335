import { describe, expect, it } from "vitest";
import type { ValidationResult } from "../src/index.js";
import * as validation from "../src/index.js";
import { spec } from "./support/spec.js";

type Validate = (value: unknown) => ValidationResult<unknown>;

/** The validator the package exports for a schema name, e.g. `validateProjectId` for `ProjectId`. */
function validatorFor(name: string): Validate {
  const fn = (validation as unknown as Record<string, unknown>)[`validate${name}`];
  if (typeof fn !== "function") throw new Error(`the package exports no validate${name}`);
  return fn as Validate;
}

const refName = (ref: string): string => ref.split("/").pop() as string;

describe("every example in the spec is accepted", () => {
  const schemaExamples = Object.entries(spec.components.schemas).flatMap(([name, schema]) =>
    (schema.examples ?? []).map((example, i) => ({ name, i, example })),
  );

  it("covers every schema in components.schemas", () => {
    const withValidator = Object.keys(spec.components.schemas).filter((name) => `validate${name}` in validation);
    expect(withValidator).toEqual(Object.keys(spec.components.schemas));
    expect(schemaExamples.length).toBeGreaterThan(5);
  });

  it.each(schemaExamples)("components.schemas.$name example $i", ({ name, example }) => {
    expect(validatorFor(name)(example)).toEqual({ ok: true, value: example });
  });

  // Parameters whose schema is a component (the IDs); inline ones (offset, limit) are checked with their operation's input.
  const parameterExamples = Object.values(spec.components.parameters).flatMap((parameter) =>
    Object.entries(parameter.schema.$ref === undefined ? {} : (parameter.examples ?? {})).map(([label, { value }]) => ({
      name: parameter.name,
      schema: refName(parameter.schema.$ref as string),
      label,
      value,
    })),
  );

  it.each(parameterExamples)("parameter $name example $label", ({ schema, value }) => {
    expect(validatorFor(schema)(value).ok).toBe(true);
  });

  it("accepts the parameters' examples together as each operation's input", () => {
    const byName = new Map(parameterExamples.map((p) => [p.name, p.value]));
    for (const operation of Object.values(validation.operations)) {
      const input = Object.fromEntries(operation.parameters.filter((p) => p.required).map((p) => [p.key, byName.get(p.name)] as const));
      const result = validation.operationValidators[operation.operationId].input(
        operation.body === null ? input : { ...input, body: { is_all: true } },
      );
      expect(result.ok, operation.operationId).toBe(true);
    }
  });

  const responseExamples = Object.entries(spec.components.responses).flatMap(([response, { content }]) =>
    // JSON bodies only: a 500 or 503 may be a proxy's HTML page, whose schema is a plain string.
    Object.values(content ?? {}).flatMap((media) =>
      Object.entries(media.schema.$ref === undefined ? {} : (media.examples ?? {})).map(([label, { value }]) => ({
        response,
        label,
        schema: refName(media.schema.$ref as string),
        value,
      })),
    ),
  );

  it("finds the error responses' examples", () => {
    expect(responseExamples.length).toBeGreaterThan(10);
  });

  it.each(responseExamples)("response $response example $label matches $schema", ({ schema, value }) => {
    expect(validatorFor(schema)(value)).toEqual({ ok: true, value });
  });

  it("accepts every operation's success examples", () => {
    for (const operation of Object.values(validation.operations)) {
      const item = (spec.paths as Record<string, Record<string, unknown>>)[operation.path]?.[operation.method.toLowerCase()] as {
        responses: Record<string, { content: { "application/json": { examples: Record<string, { value: unknown }> } } }>;
      };
      const examples = Object.values(item.responses[String(operation.success.status)]?.content["application/json"].examples ?? {});
      expect(examples.length, operation.operationId).toBeGreaterThan(0);
      const check = validation.operationValidators[operation.operationId].success;
      for (const { value } of examples) expect(check?.(value).ok, operation.operationId).toBe(true);
    }
  });
});

describe("the exported JSON Schemas come from the spec", () => {
  it("each is the spec's schema, with references moved under $defs", () => {
    for (const [name, schema] of Object.entries(spec.components.schemas)) {
      const exported = (validation.schemas as Record<string, Record<string, unknown>>)[name];
      const { $schema, $defs, ...rest } = exported ?? {};
      expect($schema).toBe("https://json-schema.org/draft/2020-12/schema");
      expect(JSON.stringify(rest).replaceAll("#/$defs/", "#/components/schemas/")).toBe(JSON.stringify(schema));
      for (const [defName, def] of Object.entries(($defs ?? {}) as Record<string, unknown>))
        expect(JSON.stringify(def).replaceAll("#/$defs/", "#/components/schemas/")).toBe(JSON.stringify(spec.components.schemas[defName]));
    }
  });

  it("the path parameters schema is built from the operation's parameters", () => {
    const schema = validation.schemas.CloseInstanceSessionsInput;
    expect(schema.required).toEqual(["projectId", "instanceId"]);
    expect(schema.properties.projectId).toEqual({ $ref: "#/$defs/ProjectId" });
    expect(schema.$defs.InstanceId.pattern).toBe(spec.components.schemas.InstanceId?.pattern);
  });
});
