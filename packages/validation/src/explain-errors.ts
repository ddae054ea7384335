import type { AjvError, LocationHints, SchemaHints } from "./compiled-validator.js";
import { characterCount, characters, describeCharacter, expectedType, findDisallowed, preview, typeName } from "./describe-value.js";

/** One problem, before it is named for a caller: where it is inside the value, what is wrong, and the rule. */
export interface Explanation {
  segments: string[];
  text: string;
  rule: string;
}

const NO_HINTS: LocationHints = {};

export const isAlternatives = (error: AjvError): boolean => error.keyword === "anyOf" || error.keyword === "oneOf";

/**
 * How `anyOf`/`oneOf` failures are explained (explain-alternatives.ts): given only by the validators
 * whose schema has alternatives, so a bundle of the others leaves that code out.
 */
export interface Alternatives {
  /** True when `error` was found inside a branch of `owner`, an `anyOf`/`oneOf` failure (and is explained with it). */
  owns(owner: AjvError, error: AjvError): boolean;
  /** Explains the `anyOf`/`oneOf` failure `owner` from the failures inside its branches (`errors` holds all of them). */
  explain(owner: AjvError, errors: readonly AjvError[], hints: SchemaHints, root: unknown): Explanation;
}

/** The schema location an error belongs to: its schemaPath without the keyword. */
const locationOf = (error: AjvError): string => error.schemaPath.slice(0, error.schemaPath.lastIndexOf("/"));

export const decodePointer = (pointer: string): string[] =>
  pointer === ""
    ? []
    : pointer
        .slice(1)
        .split("/")
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let value = root;
  for (const segment of segments) value = (value as Record<string, unknown>)[segment];
  return value;
}

const list = (words: readonly string[], conjunction = "or"): string =>
  words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} ${conjunction} ${words[words.length - 1]}`;

/** The length problem of a string, if any, from the schema's limits (in the hints, else in Ajv's error). */
function explainLength(errors: AjvError[], hints: LocationHints, text: string, segments: string[]): Explanation | undefined {
  const limit = (keyword: string): number | undefined => {
    const error = errors.find((e) => e.keyword === keyword);
    return error ? Number(error.params.limit) : undefined;
  };
  const min = hints.minLength ?? limit("minLength");
  const max = hints.maxLength ?? limit("maxLength");
  const count = characterCount(text);
  const rule = min !== undefined && count < min ? "minLength" : max !== undefined && count > max ? "maxLength" : undefined;
  if (rule === undefined) return undefined;
  const bound = (rule === "minLength" ? min : max) as number;
  if (rule === "minLength" && bound === 1) return { segments, rule, text: "must not be empty" };
  const expected =
    hints.shape && hints.fixedLength === bound
      ? `must be ${hints.shape}`
      : `must be ${rule === "minLength" ? "at least" : "at most"} ${characters(bound)} long`;
  return { segments, rule, text: `${expected} (${count === 0 ? "got an empty string" : `got ${characters(count)}`})` };
}

/** Explains the failures of one string: a disallowed character first, then a wrong length, else the wrong shape. */
function explainString(errors: AjvError[], hints: LocationHints, text: string, segments: string[]): Explanation[] {
  const secret = hints.secret === true;
  const noun = hints.noun ?? "this value";
  const out: Explanation[] = [];
  const pattern = errors.find((e) => e.keyword === "pattern");
  const bad = pattern && hints.allowed ? findDisallowed(text, hints.allowed) : undefined;
  if (bad) {
    const what = describeCharacter(bad.codePoint, secret);
    // An upper-case letter where only lower case is allowed (IDs copied from a console that shows them in capitals).
    const badChar = String.fromCodePoint(bad.codePoint);
    const lowered = text.toLowerCase();
    const caseOnly =
      badChar !== badChar.toLowerCase() && hints.allowed !== undefined && findDisallowed(lowered, hints.allowed) === undefined;
    const hint = caseOnly ? (secret ? "; use lower case" : `; use lower case: ${preview(lowered)}`) : "";
    out.push({
      segments,
      rule: "pattern",
      text: secret
        ? `contains ${what} at position ${bad.position}, which is not allowed in ${noun}${hint}`
        : `${what} is not allowed in ${noun} (got ${preview(text)}${hint})`,
    });
  }
  const length = explainLength(errors, hints, text, segments);
  if (length) out.push(length);
  if (pattern && out.length === 0) {
    const expected = hints.shape ?? `match the pattern ${String(pattern.params.pattern)}`;
    out.push({ segments, rule: "pattern", text: secret ? `must be ${expected}` : `must be ${expected} (got ${preview(text)})` });
  }
  return out;
}

/** Explains the failures at one schema location for one value. */
function explainLocation(errors: AjvError[], hints: LocationHints, value: unknown, segments: string[]): Explanation[] {
  const out: Explanation[] = [];
  const stringErrors: AjvError[] = [];
  for (const error of errors) {
    const params = error.params;
    switch (error.keyword) {
      case "type":
        return [{ segments, rule: "type", text: `must be ${expectedType(params.type)} (got ${typeName(value)})` }];
      case "required":
        out.push({ segments: [...segments, String(params.missingProperty)], rule: "required", text: "is required" });
        break;
      case "additionalProperties": {
        const allowed = hints.properties ?? [];
        const where = hints.noun ?? "this object";
        out.push({
          segments: [...segments, String(params.additionalProperty)],
          rule: "additionalProperties",
          text:
            allowed.length === 0
              ? `is not allowed: ${where} has no properties`
              : `is not allowed in ${where} (expected only ${list(allowed, "and")})`,
        });
        break;
      }
      case "pattern":
      case "minLength":
      case "maxLength":
        if (typeof value === "string") stringErrors.push(error);
        break;
      case "enum":
      case "const": {
        const options = (error.keyword === "enum" ? (params.allowedValues as unknown[]) : [params.allowedValue]).map((v) =>
          JSON.stringify(v),
        );
        out.push({ segments, rule: error.keyword, text: hints.secret ? "is not one of the allowed values" : `must be ${list(options)}` });
        break;
      }
      default:
        out.push({ segments, rule: error.keyword, text: `does not satisfy the schema's "${error.keyword}" rule` });
    }
  }
  if (stringErrors.length > 0) out.push(...explainString(stringErrors, hints, value as string, segments));
  return out;
}

/**
 * Turns Ajv's errors into explanations a person can act on, using the hints
 * the generator worked out for each schema location. `root` is the value that
 * was validated (messages look at the failing parts of it). `alternatives`
 * explains `anyOf`/`oneOf` failures; the validators of schemas that have them pass it.
 */
export function explainErrors(errors: readonly AjvError[], hints: SchemaHints, root: unknown, alternatives?: Alternatives): Explanation[] {
  const owners = alternatives === undefined ? [] : errors.filter(isAlternatives);
  // Errors grouped by schema location and value, in the order Ajv found them (there are only ever a few).
  const groups: AjvError[][] = [];
  for (const error of errors) {
    if (owners.length > 0 && owners.some((owner) => alternatives?.owns(owner, error))) continue; // explained with the alternatives it belongs to
    const location = locationOf(error);
    const group = groups.find((g) => (g[0] as AjvError).instancePath === error.instancePath && locationOf(g[0] as AjvError) === location);
    if (group) group.push(error);
    else groups.push([error]);
  }
  const out: Explanation[] = [];
  for (const group of groups) {
    const first = group[0] as AjvError;
    if (alternatives !== undefined && isAlternatives(first)) {
      for (const owner of group) out.push(alternatives.explain(owner, errors, hints, root));
      continue;
    }
    const segments = decodePointer(first.instancePath);
    out.push(...explainLocation(group, hints[locationOf(first)] ?? NO_HINTS, valueAt(root, segments), segments));
  }
  return out;
}
