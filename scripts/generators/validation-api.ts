/**
 * The typed module the validation package exports for one schema:
 * `validate<Name>`, the guard `is<Name>` and the Standard Schema object
 * `<name>Schema`, all delegating to the Ajv-compiled validator next to it.
 */
import type { LocationHints } from "../../packages/validation/src/compiled-validator.js";
import { camelCase, kebabCase } from "./validation-names.js";
import { nounFor, type SchemaEntry } from "./validation-schemas.js";

const firstSentence = (text: string | undefined): string => {
  if (!text) return "";
  const flat = text.replace(/\s+/g, " ").trim();
  const end = flat.search(/\.(\s|$)/);
  return end < 0 ? flat : flat.slice(0, end + 1);
};

const comment = (text: string): string => text.replace(/\*\//g, "*\\/");

export function validatorFileBase(entry: SchemaEntry): string {
  return kebabCase(entry.name);
}

/**
 * Source of `src/generated/validate-<name>.gen.ts`: the typed API over the schema's
 * validator (its export in `validators.gen.js`), and the hints that word its failures
 * (its own, and through `calls`, the schemas its validator calls, those of the schemas they are exported next to).
 */
export function apiModule(entry: SchemaEntry, hints: Record<string, LocationHints>, calls: string[], hasAlternatives = false): string {
  const { name } = entry;
  const type = entry.scalar ? "string" : name;
  const noun = nounFor(entry.compiled) ?? `a valid ${name}`;
  const what = comment(`${noun} (${entry.source})${entry.description ? `: ${firstSentence(entry.description)}` : "."}`);
  const sample = entry.docExample;
  const sampleCode = sample === undefined ? "value" : JSON.stringify(sample);
  // Only a validator that can report an `anyOf`/`oneOf` failure brings the code that explains one.
  const alt = hasAlternatives ? ", alternatives" : "";
  const lines = [
    ...(hasAlternatives ? [`import { alternatives } from "../explain-alternatives.js";`] : []),
    `import { passes, runStandard, runValidator } from "../run-validator.js";`,
    `import { STANDARD_SCHEMA_VENDOR, type StandardSchemaV1 } from "../standard-schema.js";`,
    `import type { ValidationResult } from "../validation-result.js";`,
    `import type { SchemaHints } from "../compiled-validator.js";`,
  ];
  if (!entry.scalar) lines.push(`import type { ${name} } from "./types.gen.js";`);
  const called = calls.map((c) => `${camelCase(c)}Hints`);
  lines.push(
    ...calls.map((c, i) => `import { hints as ${called[i]} } from "./validate-${kebabCase(c)}.gen.js";`),
    `import { ${camelCase(name)} as validate } from "./validators.gen.js";`,
    "",
    "/** Words for explaining a failure, worked out from the schema at generation time (scripts/generators/validation-hints.ts); with those of the schemas its validator calls. */",
    calls.length > 0
      ? `export const hints: SchemaHints = /* @__PURE__ */ Object.assign(${compactJson(hints)}, ${called.join(", ")});`
      : `export const hints: SchemaHints = ${compactJson(hints)};`,
    "",
    "/**",
    ` * Checks that \`value\` is ${what}`,
    " *",
    " * @param value - The value to check: anything; never throws.",
    ...(entry.scalar
      ? [
          ` * @param path - How messages name the value, e.g. the option name your users know. Defaults to \`${entry.defaultPath}\`, its name in the spec.`,
        ]
      : []),
    " * @returns `{ ok: true, value }`, or `{ ok: false, issues }` with one message a person can act on per problem.",
    " * @example",
    ` * const result = validate${name}(${sampleCode});`,
    ' * if (!result.ok) throw new TypeError(result.issues.map((issue) => issue.message).join("; "));',
    " */",
    entry.scalar
      ? `export function validate${name}(value: unknown, path = ${JSON.stringify(entry.defaultPath)}): ValidationResult<string> {`
      : `export function validate${name}(value: unknown): ValidationResult<${type}> {`,
    `  return runValidator<${type}>(validate, hints, value, ${entry.scalar ? "path" : '""'}${alt});`,
    "}",
    "",
    "/**",
    ` * True when \`value\` is ${comment(noun)}; never throws.`,
    " *",
    " * @example",
    sample === undefined ? ` * if (is${name}(value)) use(value); // value: ${type}` : ` * is${name}(${sampleCode}); // true`,
    " */",
    `export function is${name}(value: unknown): value is ${type} {`,
    "  return passes(validate, value);",
    "}",
    "",
    "/**",
    ` * ${comment(noun.charAt(0).toUpperCase() + noun.slice(1))} as a Standard Schema v1 object, for libraries that accept any Standard Schema.`,
    " * Issue messages leave out the value's name; `path` locates the problem inside the value.",
    " *",
    " * @example",
    ` * const result = ${camelCase(name)}Schema["~standard"].validate(${sampleCode});`,
    ` * if ("issues" in result) console.log(result.issues);`,
    " */",
    `export const ${camelCase(name)}Schema: StandardSchemaV1<unknown, ${type}> = {`,
    `  "~standard": { version: 1, vendor: STANDARD_SCHEMA_VENDOR, validate: (value) => runStandard<${type}>(validate, hints, value${alt}) },`,
    "};",
    "",
  );
  return lines.join("\n");
}

/** Source of `src/generated/validators.gen.d.ts`, typing the Ajv module. */
export function validatorDeclarations(entries: SchemaEntry[]): string {
  return [
    `import type { CompiledValidator } from "../compiled-validator.js";`,
    "",
    ...entries.map((e) => `export declare const ${camelCase(e.name)}: CompiledValidator;`),
    "",
  ].join("\n");
}

/** JSON with two-space indentation, but arrays of numbers on one line. */
function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s+([-\d.,\s]+?)\s+\]/g, (_, inner: string) => `[${inner.split(/,\s*/).join(", ")}]`);
}
