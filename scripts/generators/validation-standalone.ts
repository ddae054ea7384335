/**
 * Compiles every schema with one Ajv instance (draft 2020-12, strict, allErrors),
 * references between them kept (`inlineRefs: false`), and turns Ajv's standalone
 * output into one dependency-free ES module, `validators.gen.js`:
 *
 * - each schema's validator is emitted once, and the schemas that reference it call it;
 * - each validator's errors carry a `schemaPath` that starts with its schema's name
 *   (`Session#/properties/id/type`), which is how the hints are keyed;
 * - validators whose code differs only in their length limits and patterns (and in
 *   the name their errors carry) share one factory, called once per schema;
 * - Ajv's run-time helper for string lengths (`ajv/dist/runtime/ucs2length`,
 *   which JSON Schema needs to count code points, not UTF-16 units) is replaced
 *   by an equivalent inlined here, so the package has no dependencies;
 * - whatever is not a function declaration is annotated `@__PURE__`, so bundlers
 *   drop a validator nobody imports.
 *
 * Anything else Ajv might `require` makes generation fail, naming it.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import { camelCase } from "./validation-names.js";
import { analyzePattern } from "./validation-pattern.js";
import type { JsonSchema, SchemaEntry } from "./validation-schemas.js";

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

/** Appends an error (or builds it, its keyword being the last segment of its schemaPath) to Ajv's list of them (`null` while there are none). */
const APPEND_ERROR = `function appendError(errors, instancePath, schemaPath, params) {
  const error =
    schemaPath === undefined
      ? instancePath
      : { instancePath, schemaPath, keyword: schemaPath.slice(schemaPath.lastIndexOf("/") + 1), params };
  if (errors === null) return [error];
  errors.push(error);
  return errors;
}`;

/** Appends the errors a called validator found to Ajv's list, each located from the caller's `instancePath`. */
const APPEND_ERRORS = `function appendErrors(errors, found, instancePath) {
  for (const error of found) error.instancePath = instancePath + error.instancePath;
  return errors === null ? found : errors.concat(found);
}`;

/** Every property name anywhere in `value`. */
function keysIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysIn(v, into);
  else if (typeof value === "object" && value !== null)
    for (const [key, v] of Object.entries(value)) {
      into.add(key);
      keysIn(v, into);
    }
  return into;
}

/**
 * Rewrites Ajv's length checks `ucs2length(x) > L` and `ucs2length(x) < L` so the
 * character count is computed only when the UTF-16 length cannot decide: a string
 * of n UTF-16 units has between n/2 and n characters. Exact, and it saves a loop
 * over every string whose length is not close to a limit.
 */
function shortCircuitLengthChecks(code: string): string {
  return code
    .replace(/\bucs2length\(([\w$.]+)\) > (\d+|c\[\d+\])/g, (_, x: string, l: string) => `(${x}.length > ${l} && ucs2length(${x}) > ${l})`)
    .replace(
      /\bucs2length\(([\w$.]+)\) < (\d+|c\[\d+\])/g,
      (_, x: string, l: string) =>
        `(${x}.length < ${l} || (${x}.length < ${/\d$/.test(l) ? 2 * Number(l) : `2 * ${l}`} && ucs2length(${x}) < ${l}))`,
    );
}

/** Values of these keywords are data, not schemas: copied untouched. */
const DATA_KEYWORDS = new Set(["const", "enum", "default", "examples", "example"]);

/** Placeholders for the length limits and patterns while Ajv compiles: `PLACEHOLDER + i` stands for the i-th constant. */
const PLACEHOLDER = 987_654_000;

/**
 * A copy of `schema` whose length limits and patterns are placeholders (the originals are pushed onto
 * `constants`), without the `minLength`/`maxLength` its `pattern` already enforces: an anchored pattern
 * whose every match has F characters, with minLength ≤ F ≤ maxLength, accepts exactly the strings that
 * also pass the length checks, so Ajv need not count characters on the way to success.
 * The package still reports a wrong length: the limits travel in the hints.
 */
function forAjv(value: unknown, constants: Array<number | string>): unknown {
  if (Array.isArray(value)) return value.map((v) => forAjv(v, constants));
  if (typeof value !== "object" || value === null) return value;
  const schema = value as JsonSchema;
  const analysis = typeof schema.pattern === "string" ? analyzePattern(schema.pattern) : undefined;
  const fixed = analysis?.allowed ? analysis.fixedLength : undefined;
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY;
  const impliedLengths = fixed !== undefined && min <= fixed && fixed <= max;
  const out: JsonSchema = {};
  for (const [key, v] of Object.entries(schema)) {
    const isLength = key === "minLength" || key === "maxLength";
    if (isLength && impliedLengths) continue;
    if (isLength && typeof v === "number") out[key] = PLACEHOLDER + constants.push(v) - 1;
    else if (key === "pattern" && typeof v === "string") out[key] = `^${PLACEHOLDER + constants.push(v) - 1}$`;
    else out[key] = DATA_KEYWORDS.has(key) ? v : forAjv(v, constants);
  }
  return out;
}

/** A constant as JavaScript source, escaped like Ajv's own string literals. */
const literal = (value: number | string): string =>
  typeof value === "number"
    ? String(value)
    : JSON.stringify(value)
        .replace(/\u2028/g, "\\u2028")
        .replace(/\u2029/g, "\\u2029");

/**
 * One of Ajv's functions, with its constants (limits, patterns) as `c[k]`, its pattern
 * objects as `r<k>`, the name its errors carry as `id`, and itself as `validate`:
 * functions with the same template differ only in those.
 */
interface AjvFunction {
  name: string;
  id: string;
  template: string;
  /** The indexes, into the module's constants, of `c[0]`, `c[1]`, ... */
  constants: number[];
}

const NOT_A_PROPERTY = "(?<![\\w$.])";

function templateOf(name: string, id: string, body: string, regexes: Map<string, number>): AjvFunction {
  const constants: number[] = [];
  const local = (i: number): number => (constants.includes(i) ? constants.indexOf(i) : constants.push(i) - 1);
  const template = body.replace(
    new RegExp(
      `${NOT_A_PROPERTY}(pattern\\d+)\\b|"\\^987654(\\d{3})\\$"|\\b987654(\\d{3})\\b|${NOT_A_PROPERTY}${name}\\b|schemaPath:"#`,
      "g",
    ),
    (match, pattern?: string, inPattern?: string, inLimit?: string) => {
      if (pattern !== undefined) return regexes.has(pattern) ? `r${local(regexes.get(pattern) as number)}` : match;
      if (inPattern !== undefined || inLimit !== undefined) return `c[${local(Number(inPattern ?? inLimit))}]`;
      return match === name ? "validate" : 'schemaPath:id+"#';
    },
  );
  return { name, id, template, constants };
}

/** The JavaScript of one function of `group` (one template): a function on its own, or a factory and its calls. */
function render(group: AjvFunction[], constants: Array<number | string>, sources: Map<string, string>): string {
  const first = group[0] as AjvFunction;
  const regexes = [...new Set(first.template.match(/\br\d+\b/g) ?? [])].map((r) => Number(r.slice(1)));
  const doc = `/** Ajv's validator for ${group.map((f) => sources.get(f.id)).join(", and for ")} (standalone code; draft 2020-12, strict, allErrors). */`;
  if (group.length === 1) {
    const value = (k: string) => literal(constants[first.constants[Number(k)] as number] as number | string);
    const code = first.template
      .replace(new RegExp(`${NOT_A_PROPERTY}c\\[(\\d+)\\]`, "g"), (_, k: string) => value(k))
      .replace(new RegExp(`${NOT_A_PROPERTY}r(\\d+)\\b`, "g"), (_, k: string) => `pattern${first.constants[Number(k)]}`)
      .replace(new RegExp(`${NOT_A_PROPERTY}validate\\b`, "g"), first.name)
      .replaceAll('schemaPath:id+"#', `schemaPath:${JSON.stringify(first.id).slice(0, -1)}#`);
    return [
      ...regexes.map((k) => `const pattern${first.constants[k]} = /* @__PURE__ */ new RegExp(${value(String(k))}, "u");`),
      doc,
      `function ${first.name}(data, instancePath = ""){\n${code}\n}`,
    ].join("\n");
  }
  const factory = `validator${first.id}`;
  return [
    doc,
    `function ${factory}(id, c) {`,
    ...regexes.map((k) => `const r${k} = new RegExp(c[${k}], "u");`),
    `return function validate(data, instancePath = ""){\n${first.template}\n};\n}`,
    ...group.map(
      (f) =>
        `const ${f.name} = /* @__PURE__ */ ${factory}(${JSON.stringify(f.id)}, [${f.constants.map((i) => literal(constants[i] as number | string)).join(", ")}]);`,
    ),
  ].join("\n");
}

/** The module of every validator, `validators.gen.js`, exporting `camelCase(name)` for each schema. */
export function validatorsModule(entries: SchemaEntry[]): string {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    messages: false, // the package writes its own messages
    inlineRefs: false, // a referenced schema's validator is called, not copied
    code: { source: true, esm: true, lines: true },
  });
  const schemas = entries.map((e) => e.ajvSchema);
  const keys = keysIn(schemas);
  ajv.addVocabulary([...OPENAPI_KEYWORDS, ...[...keys].filter((key) => key.startsWith("x-"))]);
  // Ajv2020 always tracks which properties and items were evaluated, for
  // unevaluatedProperties/unevaluatedItems. Schemas without them gain nothing
  // from it, and the tracking stops anyOf from stopping at the first branch
  // that passes; so it is switched off for them (results are the same).
  if (!keys.has("unevaluatedProperties") && !keys.has("unevaluatedItems")) (ajv.opts as { unevaluated?: boolean }).unevaluated = false;
  const constants: Array<number | string> = [];
  for (const schema of schemas) ajv.addSchema(forAjv(schema, constants) as JsonSchema);
  if (constants.length > 1000) throw new Error("validation generator: more than 1000 length limits and patterns");
  // Ajv also emits each schema as a literal (`const schemaN = {...};`, JSON on one line) that its code reads only with `verbose`.
  let source = standaloneCode(ajv, Object.fromEntries(entries.map((e) => [e.name, e.name]))).replace(/^const schema\d+ = .*;$/gm, "");

  const exported = new Map([...source.matchAll(/^export const (\w+) = (validate\d+);$/gm)].map((m) => [m[1] as string, m[2] as string]));
  source = source.replace(/^"use strict";$|^export const \w+ = validate\d+;$/gm, "");
  const counter = /^const (func\d+) = require\("ajv\/dist\/runtime\/ucs2length"\)\.default;$/m.exec(source);
  if (counter) source = source.replace(counter[0], "").replace(new RegExp(`\\b${counter[1]}\\b`, "g"), "ucs2length");
  const leftover = /require\(([^)]*)\)/.exec(source);
  if (leftover)
    throw new Error(`validation generator: Ajv's code needs ${leftover[1]} at run time; inline an equivalent in validation-standalone.ts`);
  if (/\beval\s*\(|new Function\b/.test(source)) throw new Error("validation generator: Ajv's code evaluates strings at run time");

  const regexes = new Map<string, number>();
  source = source.replace(/^const (pattern\d+) = new RegExp\("\^987654(\d{3})\$", "u"\);$/gm, (_, name: string, i: string) => {
    regexes.set(name, Number(i));
    return "";
  });
  const functions: AjvFunction[] = [];
  source = source.replace(
    /^function (validate\d+)\(data, \{.*\}=\{\}\)\{\n\/\*# sourceURL="([^"]*)" \*\/;\n([\s\S]*?\n\1\.errors = vErrors;\nreturn errors === 0;)\n\}$/gm,
    (_, name: string, id: string, ajvBody: string) => {
      // A call of another schema's validator passes no options (building them cost more than the check on the way
      // to success); on failure, the caller puts its own instancePath in front of those of the callee's errors.
      const body = ajvBody.replace(
        /^if\(!\((validate\d+)\((.+?), \{instancePath(?::(.+?))?,parentData(?::[^,]+)?,parentDataProperty(?::[^,]+)?,rootData,dynamicAnchors\}\)\)\)\{\nvErrors = vErrors === null \? \1\.errors : vErrors\.concat\(\1\.errors\);$/gm,
        (_call, callee: string, data: string, instancePath?: string) =>
          `if(!(${callee}(${data}))){\nvErrors = appendErrors(vErrors, ${callee}.errors, ${instancePath ?? "instancePath"});`,
      );
      const option = /\b(parentData|parentDataProperty|rootData|dynamicAnchors)\b/.exec(body)?.[1];
      if (option) throw new Error(`validation generator: ${id}'s validator reads ${option} ($data or $dynamicRef), which is not supported`);
      functions.push(templateOf(name, id, body, regexes));
      return "";
    },
  );
  if (/\bfunction\b|987654\d{3}/.test(source) || functions.some((f) => /\bschema\d+\b/.test(f.template)))
    throw new Error(`validation generator: unexpected Ajv standalone output: ${source.trim().slice(0, 200)}`);
  const groups = new Map<string, AjvFunction[]>();
  for (const f of functions) groups.set(f.template, [...(groups.get(f.template) ?? []), f]);
  const sources = new Map(entries.map((e) => [e.name, e.source]));
  const code = [
    source.trim().replace(/= new RegExp\(/g, "= /* @__PURE__ */ new RegExp("),
    ...[...groups.values()].map((group) => render(group, constants, sources)),
    entries.map((e) => `export const ${camelCase(e.name)} = ${exported.get(e.name)};`).join("\n"),
  ].join("\n\n");
  // Ajv appends each error with the same five lines; one helper does it, and builds the error when its keyword
  // is the last segment of its schemaPath (always, so far; otherwise the object stays as Ajv wrote it).
  const appended = code.replace(
    /^const (err\d+) = (\{.*\});\nif\(vErrors === null\)\{\nvErrors = \[\1\];\n\}\nelse \{\nvErrors\.push\(\1\);\n\}$/gm,
    (_, _name, error: string) => {
      const parts = /^\{instancePath(?::(.+?))?,schemaPath:((?:id\+)?"[^"]*\/([^"/]+)"),keyword:"\3",params:(\{.*\})\}$/.exec(error);
      return `vErrors = appendError(vErrors, ${parts ? `${parts[1] ?? "instancePath"}, ${parts[2]}, ${parts[4]}` : error});`;
    },
  );
  return [
    ...(appended.includes("ucs2length") ? [UCS2LENGTH, ""] : []),
    ...(appended.includes("appendError(") ? [APPEND_ERROR, ""] : []),
    ...(appended.includes("appendErrors(") ? [APPEND_ERRORS, ""] : []),
    shortCircuitLengthChecks(appended),
  ].join("\n");
}
