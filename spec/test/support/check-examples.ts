import { Ajv2020 } from "ajv/dist/2020.js";
import { collectExampleSites, type ExampleSite } from "./example-sites.js";
import type { JsonObject } from "./openapi-document.js";

/** The URI the spec is registered under, so `$ref: '#/components/...'` resolves inside it. */
const SPEC_ID = "https://geminidb-sessions.invalid/openapi.json";

// OpenAPI 3.1's additions to the JSON Schema vocabulary: annotations, nothing to validate.
const OPENAPI_KEYWORDS = ["discriminator", "xml", "externalDocs", "example"];

export interface ExampleFailure {
  site: ExampleSite;
  message: string;
}

export interface ExampleCheck {
  checked: ExampleSite[];
  failures: ExampleFailure[];
}

/** URI fragment for a JSON pointer: each segment percent-encoded (paths hold `{` and `}`). */
function fragmentOf(pointer: string): string {
  return `#${pointer
    .slice(1)
    .split("/")
    .map((s) => encodeURIComponent(s))
    .join("/")}`;
}

/** Every `x-...` key anywhere in the document. */
function extensionKeys(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) extensionKeys(item, found);
  else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key.startsWith("x-")) found.add(key);
      extensionKeys(child, found);
    }
  }
  return found;
}

/** Validates values against the schemas of one spec document, found by JSON pointer. */
export interface SpecValidator {
  /** The errors of `value` against the schema at `schemaPointer` (`#/components/schemas/...`), or undefined when it is valid. */
  errorsOf(schemaPointer: string, value: unknown): string | undefined;
}

/** Ajv (JSON Schema 2020-12, strict) over one spec document: what the examples and the schema tests validate with. */
export function specValidator(doc: JsonObject): SpecValidator {
  // Strict: an unknown keyword or format in the spec fails the check instead of being ignored.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  // Ajv compiles the document root when a $ref into it resolves; the root's
  // OpenAPI fields (openapi, info, paths, components, x-...) are not JSON
  // Schema keywords, so they are declared as annotations too.
  // Specification extensions (`x-secret`, ...) are annotations wherever they stand.
  for (const keyword of new Set([...OPENAPI_KEYWORDS, ...Object.keys(doc), ...extensionKeys(doc)])) {
    if (!ajv.getKeyword(keyword)) ajv.addKeyword({ keyword });
  }
  ajv.addSchema(doc, SPEC_ID);
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  return {
    errorsOf(schemaPointer, value) {
      let validate = validators.get(schemaPointer);
      if (!validate) {
        validate = ajv.compile({ $ref: `${SPEC_ID}${fragmentOf(schemaPointer)}` });
        validators.set(schemaPointer, validate);
      }
      return validate(value) ? undefined : ajv.errorsText(validate.errors);
    },
  };
}

/** Validates every example of a spec (the real one or a mutated copy) against its schema. */
export function checkExamples(doc: JsonObject): ExampleCheck {
  const validator = specValidator(doc);
  const checked = collectExampleSites(doc);
  const failures: ExampleFailure[] = [];
  for (const site of checked) {
    if (site.external) {
      failures.push({ site, message: "externalValue examples cannot be checked; inline the value" });
      continue;
    }
    const message = validator.errorsOf(site.schemaPointer, site.value);
    if (message !== undefined) failures.push({ site, message });
  }
  return { checked, failures };
}
