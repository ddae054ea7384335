/**
 * What the validation package needs to explain a failed check in words,
 * worked out once at generation time for every place in a compiled schema
 * that has something to say. Keys are the schema locations Ajv reports in an
 * error's `schemaPath` (minus the keyword), e.g. `ListInstanceSessionsInput#/properties/body`
 * (each schema's validator names its errors after the schema, see validation-standalone.ts).
 * The shape is `LocationHints`, which the runtime in packages/validation reads.
 */
import type { LocationHints } from "../../packages/validation/src/compiled-validator.js";
import { analyzePattern } from "./validation-pattern.js";
import { isObject, type JsonSchema, nounFor } from "./validation-schemas.js";

/** Ajv's escaping of a property name in `schemaPath` (a JSON Pointer inside a URI fragment). */
export function schemaPathSegment(name: string): string {
  return encodeURIComponent(name.replace(/~/g, "~0").replace(/\//g, "~1"));
}

function hintsFor(schema: JsonSchema, secret: boolean): LocationHints {
  const hints: LocationHints = {};
  const noun = nounFor(schema);
  if (noun) hints.noun = noun;
  if (secret) hints.secret = true;
  if (typeof schema.pattern === "string") {
    const analysis = analyzePattern(schema.pattern);
    if (analysis) {
      hints.shape = analysis.shape;
      if (analysis.allowed) hints.allowed = analysis.allowed.flat();
      if (analysis.fixedLength !== undefined) hints.fixedLength = analysis.fixedLength;
    }
  }
  if (typeof schema.minLength === "number") hints.minLength = schema.minLength;
  if (typeof schema.maxLength === "number") hints.maxLength = schema.maxLength;
  if (schema.additionalProperties === false && schema.patternProperties === undefined)
    hints.properties = Object.keys(isObject(schema.properties) ? schema.properties : {});
  return hints;
}

/**
 * Every location of `schema` with hints, keyed from `root` (the schema's name and `#`,
 * as its validator's errors report them). `secrets` holds the sub-schemas that
 * carry credentials; everything below one of them is secret too.
 */
export function collectHints(schema: JsonSchema, secrets: WeakSet<object>, root: string): Record<string, LocationHints> {
  const out: Record<string, LocationHints> = {};
  const visit = (node: unknown, at: string, inSecret: boolean): void => {
    if (!isObject(node)) return;
    const secret = inSecret || secrets.has(node);
    const hints = hintsFor(node, secret);
    if (Object.keys(hints).length > 0) out[at] = hints;
    for (const keyword of ["properties", "patternProperties", "$defs", "dependentSchemas"]) {
      const map = node[keyword];
      if (isObject(map)) for (const [name, sub] of Object.entries(map)) visit(sub, `${at}/${keyword}/${schemaPathSegment(name)}`, secret);
    }
    for (const keyword of ["anyOf", "oneOf", "allOf", "prefixItems"]) {
      const list = node[keyword];
      if (Array.isArray(list)) for (const [i, sub] of list.entries()) visit(sub, `${at}/${keyword}/${i}`, secret);
    }
    for (const keyword of ["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames"]) {
      visit(node[keyword], `${at}/${keyword}`, secret);
    }
  };
  visit(schema, root, false);
  return out;
}
