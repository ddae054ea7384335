/**
 * Compiles one schema with Ajv (draft 2020-12, strict, allErrors) and turns
 * Ajv's standalone output into a dependency-free ES module expression:
 *
 * - Ajv's run-time helper for string lengths (`ajv/dist/runtime/ucs2length`,
 *   which JSON Schema needs to count code points, not UTF-16 units) is replaced
 *   by an equivalent inlined here, so the package has no dependencies;
 * - the code is wrapped in an IIFE annotated `@__PURE__`, because Ajv's code
 *   assigns properties to its functions at the top level, which would stop
 *   bundlers from dropping a validator nobody imports.
 *
 * Anything else Ajv might `require` makes generation fail, naming it.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import { analyzePattern } from "./validation-pattern.js";
import type { JsonSchema } from "./validation-schemas.js";

// Keywords OpenAPI 3.1 allows in a Schema Object beyond JSON Schema's vocabularies;
// Ajv's strict mode rejects unknown keywords, so they are declared as annotations.
const OPENAPI_KEYWORDS = ["discriminator", "xml", "externalDocs", "example"];

/** Counts code points like Ajv's ucs2length: a surrogate pair is one character, a lone surrogate is one. */
const UCS2LENGTH = `function ucs2length(str) {
  const len = str.length;
  let length = 0;
  for (let pos = 0; pos < len; length++) {
    const unit = str.charCodeAt(pos++);
    if (unit >= 0xd800 && unit <= 0xdbff && pos < len && (str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++;
  }
  return length;
}`;

function usesKeyword(value: unknown, keywords: string[]): boolean {
  if (Array.isArray(value)) return value.some((v) => usesKeyword(v, keywords));
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value).some(([key, v]) => keywords.includes(key) || usesKeyword(v, keywords));
}

function extensionKeywords(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) extensionKeywords(v, into);
  else if (typeof value === "object" && value !== null)
    for (const [key, v] of Object.entries(value)) {
      if (key.startsWith("x-")) into.add(key);
      extensionKeywords(v, into);
    }
  return into;
}

/**
 * Rewrites Ajv's length checks `ucs2length(x) > L` and `ucs2length(x) < L` so the
 * character count is computed only when the UTF-16 length cannot decide: a string
 * of n UTF-16 units has between n/2 and n characters. Exact, and it saves a loop
 * over every string whose length is not close to a limit.
 */
function shortCircuitLengthChecks(code: string, counters: string[]): string {
  let out = code;
  for (const counter of counters) {
    out = out
      .replace(
        new RegExp(`\\b${counter}\\(([\\w$.]+)\\) > (\\d+|limits\\[\\d+\\])`, "g"),
        (_, x: string, l: string) => `(${x}.length > ${l} && ${counter}(${x}) > ${l})`,
      )
      .replace(
        new RegExp(`\\b${counter}\\(([\\w$.]+)\\) < (\\d+|limits\\[\\d+\\])`, "g"),
        (_, x: string, l: string) =>
          `(${x}.length < ${l} || (${x}.length < ${/\d$/.test(l) ? 2 * Number(l) : `2 * ${l}`} && ${counter}(${x}) < ${l}))`,
      );
  }
  return out;
}

/**
 * A copy of `schema` without the `minLength`/`maxLength` its `pattern` already
 * enforces: an anchored pattern whose every match has F characters, with
 * minLength ≤ F ≤ maxLength, accepts exactly the strings that also pass the
 * length checks, so Ajv need not count characters on the way to success.
 * The package still reports a wrong length: the limits travel in the hints.
 */
const DATA_KEYWORDS = new Set(["const", "enum", "default", "examples", "example"]);

export function withoutImpliedLengths(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutImpliedLengths);
  if (typeof value !== "object" || value === null) return value;
  const out: JsonSchema = {};
  // Values of these keywords are data, not schemas: copy them untouched.
  for (const [key, v] of Object.entries(value)) out[key] = DATA_KEYWORDS.has(key) ? v : withoutImpliedLengths(v);
  const fixed = typeof out.pattern === "string" ? analyzePattern(out.pattern)?.fixedLength : undefined;
  const min = typeof out.minLength === "number" ? out.minLength : 0;
  const max = typeof out.maxLength === "number" ? out.maxLength : Number.POSITIVE_INFINITY;
  if (fixed !== undefined && analyzePattern(out.pattern as string)?.allowed && min <= fixed && fixed <= max) {
    delete out.minLength;
    delete out.maxLength;
  }
  return out;
}

/** Finds the end of the JSON literal starting at `start` (an object or array), skipping over strings. */
function jsonLiteralEnd(code: string, start: number): number {
  let depth = 0;
  for (let i = start; i < code.length; i++) {
    const c = code[i];
    if (c === '"') {
      for (i++; code[i] !== '"'; i++) if (code[i] === "\\") i++;
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error("validation generator: unterminated schema literal in Ajv's output");
}

/** Removes `const schemaN = {...};` literals Ajv emits but the code never reads (it only would with `verbose`). */
function dropUnusedSchemaLiterals(code: string): string {
  let out = code;
  for (const match of [...code.matchAll(/const (schema\d+) = /g)]) {
    const name = match[1] as string;
    if ((out.match(new RegExp(`\\b${name}\\b`, "g")) ?? []).length !== 1) continue;
    const start = out.indexOf(`const ${name} = `);
    const end = jsonLiteralEnd(out, start + `const ${name} = `.length);
    out = out.slice(0, start) + out.slice(out[end] === ";" ? end + 1 : end);
  }
  return out;
}

/**
 * Ajv's standalone validator for `schema`, as a JavaScript expression that
 * evaluates to the validation function (`(data) => boolean`, with `.errors`).
 */
const SENTINEL = 987_654_000;

/** A copy of `schema` whose length limits are placeholders (`SENTINEL + i`), and the limits in that order. */
function withLimitPlaceholders(value: unknown, limits: number[]): unknown {
  if (Array.isArray(value)) return value.map((v) => withLimitPlaceholders(v, limits));
  if (typeof value !== "object" || value === null) return value;
  const out: JsonSchema = {};
  for (const [key, v] of Object.entries(value)) {
    if ((key === "minLength" || key === "maxLength") && typeof v === "number") out[key] = SENTINEL + limits.push(v) - 1;
    else out[key] = DATA_KEYWORDS.has(key) ? v : withLimitPlaceholders(v, limits);
  }
  return out;
}

/**
 * Ajv's standalone validator for `schema`, as a JavaScript expression: the
 * validation function (`(data) => boolean`, with `.errors`); with `parametrised`,
 * when the schema has length limits, a function of the limits (`limits`, in
 * schema order) that returns one, so schemas that differ only in their limits can share the code.
 */
export function compileStandalone(schema: JsonSchema, parametrised = false): { code: string; limits: number[] } {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    messages: false, // the package writes its own messages
    code: { source: true, esm: true, lines: true },
  });
  ajv.addVocabulary([...OPENAPI_KEYWORDS, ...extensionKeywords(schema, new Set())]);
  // Ajv2020 always tracks which properties and items were evaluated, for
  // unevaluatedProperties/unevaluatedItems. A schema without them gains nothing
  // from it, and the tracking stops anyOf from stopping at the first branch
  // that passes; so it is switched off for such schemas (results are the same).
  if (!usesKeyword(schema, ["unevaluatedProperties", "unevaluatedItems"])) (ajv.opts as { unevaluated?: boolean }).unevaluated = false;
  const limits: number[] = [];
  const compact = withoutImpliedLengths(schema);
  const validate = ajv.compile((parametrised ? withLimitPlaceholders(compact, limits) : compact) as JsonSchema);
  const source = standaloneCode(ajv, validate);

  const header = /^"use strict";\s*export const validate = (validate\d+);\s*export default \1;\s*/.exec(source);
  if (!header) throw new Error(`validation generator: unexpected Ajv standalone output: ${source.slice(0, 120)}`);
  const entry = header[1] as string;
  let body = source.slice(header[0].length);

  const counters = [...body.matchAll(/const (func\d+) = require\("ajv\/dist\/runtime\/ucs2length"\)\.default;/g)].map(
    (m) => m[1] as string,
  );
  body = body.replace(/const (func\d+) = require\("ajv\/dist\/runtime\/ucs2length"\)\.default;/g, "const $1 = ucs2length;");
  body = body.replace(new RegExp(`\\b${String(SENTINEL).slice(0, 6)}(\\d{3})\\b`, "g"), (_, i: string) => `limits[${Number(i)}]`);
  body = shortCircuitLengthChecks(body, counters);
  const leftover = /require\(([^)]*)\)/.exec(body);
  if (leftover)
    throw new Error(`validation generator: Ajv's code needs ${leftover[1]} at run time; inline an equivalent in validation-standalone.ts`);
  if (/\beval\s*\(|new Function\b/.test(body)) throw new Error("validation generator: Ajv's code evaluates strings at run time");
  body = dropUnusedSchemaLiterals(body);
  const code = `(() => {\n${body.trim()}\nreturn ${entry};\n})()`;
  return { code: limits.length > 0 ? `(limits) => ${code}` : `/* @__PURE__ */ ${code}`, limits };
}

/**
 * The module of every validator, `validators.gen.js`: each distinct compiled
 * validator once (schemas whose code is the same share it), named by the first
 * schema that needs it, and the string-length helper once if any uses it.
 */
export function validatorsModule(validators: Array<{ name: string; sources: string[]; code: string }>): string {
  const uses = validators.some((v) => v.code.includes("ucs2length"));
  return [
    ...(uses ? [UCS2LENGTH, ""] : []),
    ...validators.flatMap((v) => [
      `/** Ajv's validator for ${v.sources.join(", and for ")}, compiled ahead of time (standalone code; draft 2020-12, strict, allErrors). */`,
      `export const ${v.name} = ${v.code};`,
      "",
    ]),
  ].join("\n");
}
