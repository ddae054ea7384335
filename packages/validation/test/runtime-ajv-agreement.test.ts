import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { schemas } from "../src/index.js";
import { covered } from "./support/validators.js";

// Ajv compiling the exported JSON Schemas at run time is the reference the generated code must agree with.
const ajv = new Ajv2020({ strict: true, allErrors: true });
// OpenAPI extensions (`x-...`) are annotations; strict mode wants them declared.
ajv.addVocabulary([...new Set(JSON.stringify(schemas).match(/"x-[^"]+"(?=:)/g) ?? [])].map((k) => JSON.parse(k) as string));

/** Strings near the schemas' valid values: their examples, cut, extended and with a character changed. */
const examples = Object.values(schemas).flatMap((s) => ("examples" in s ? (s.examples as readonly unknown[]) : []));
const stringsNearExamples = fc
  .record({
    example: fc.constantFrom(...examples.filter((e): e is string => typeof e === "string")),
    at: fc.nat(),
    edit: fc.constantFrom("cut", "insert", "replace"),
    char: fc.oneof(
      fc.constantFrom("0", "f", "g", "F", "i", "n", "T", "Z", ";", "/", " ", "\n", "é", "😀", "\ud800"),
      fc.string({ maxLength: 1 }),
    ),
  })
  .map(({ example, at, edit, char }) => {
    const i = at % (example.length + 1);
    if (edit === "cut") return example.slice(0, i);
    if (edit === "insert") return example.slice(0, i) + char + example.slice(i);
    return example.slice(0, i) + char + example.slice(i + 1);
  });

const values = fc.oneof(
  fc.anything({ withNullPrototype: true, withUnicodeString: true }),
  stringsNearExamples,
  fc.record({ project_id: stringsNearExamples, instance_id: stringsNearExamples }, { requiredKeys: [] }),
  fc.record({ error_code: fc.oneof(fc.string(), fc.integer()), error_msg: fc.string(), request_id: fc.string() }, { requiredKeys: [] }),
  fc.record(
    { error: fc.record({ code: fc.oneof(fc.string(), fc.constant(null)), message: fc.string() }, { requiredKeys: [] }) },
    { requiredKeys: [] },
  ),
  fc.constantFrom(...examples),
);

describe("the generated validators agree with Ajv compiling the exported JSON Schemas at run time", () => {
  it.each(covered)("$name", ({ name, is, validate }) => {
    const reference = ajv.compile(schemas[name as keyof typeof schemas]);
    fc.assert(
      fc.property(values, (value) => {
        const expected = reference(value);
        expect(is(value)).toBe(expected);
        expect(validate(value).ok).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
