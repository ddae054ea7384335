/**
 * Collects, from the spec, every schema the validation package validates: each
 * of `components.schemas`, and each operation's input (parameters and body) as one object.
 * For each it produces the JSON Schema the package exports (self-contained,
 * draft 2020-12, references as `$defs`), a dereferenced copy, and the copy Ajv
 * compiles, whose references to components stay references (each component's
 * validator is emitted once; its errors' `schemaPath`s start with its name).
 */
import { nounFromTitle, pascalCase } from "./validation-names.js";

export type JsonSchema = { [keyword: string]: unknown };

const DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
const COMPONENT_REF = /^#\/components\/schemas\/([^/]+)$/;

export interface SchemaEntry {
  /** The export name: the component's name, or `<OperationId>Input`. */
  name: string;
  /** Where in the spec it comes from, for comments. */
  source: string;
  /** The exported, self-contained JSON Schema. */
  jsonSchema: JsonSchema;
  /** The dereferenced schema: what the validator checks, as one tree. */
  compiled: JsonSchema;
  /** The schema Ajv compiles: `$id` the name, references to components kept as `{ $ref: "<Name>" }` (see `dereference`). */
  ajvSchema: JsonSchema;
  /** True when the schema validates a single string (it then takes a `path` argument). */
  scalar: boolean;
  /** For scalars: the name the spec gives the value where it is used (a parameter or header name). */
  defaultPath: string | undefined;
  /** Sub-schemas of `compiled` that hold credentials. */
  secrets: WeakSet<object>;
  /** A value to show in JSDoc examples: the schema's first example, else the first example of a response using it. */
  docExample: unknown;
  /** Title and description, for JSDoc. */
  title: string | undefined;
  description: string | undefined;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
  $ref?: string;
}

/** A parameter's first example: its own `example`/`examples`, else its schema's (resolving one reference). */
function parameterExample(parameter: Parameter, components: Record<string, JsonSchema>): unknown {
  if (parameter.example !== undefined) return parameter.example;
  const first = Object.values(parameter.examples ?? {}).find((e) => e.value !== undefined);
  if (first) return first.value;
  const name = componentName(parameter.schema?.$ref);
  const schema = name ? components[name] : parameter.schema;
  return Array.isArray(schema?.examples) ? schema.examples[0] : undefined;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
}

export const isObject = (value: unknown): value is JsonSchema => typeof value === "object" && value !== null && !Array.isArray(value);

function componentName(ref: unknown): string | undefined {
  return typeof ref === "string" ? COMPONENT_REF.exec(ref)?.[1] : undefined;
}

function component(components: Record<string, JsonSchema>, name: string): JsonSchema {
  const schema = components[name];
  if (!schema) throw new Error(`validation generator: $ref to missing schema #/components/schemas/${name}`);
  return schema;
}

/**
 * Whether a schema's values are credentials, so messages must never quote them:
 * the spec marks them `x-secret: true` (or `writeOnly: true`).
 */
export function isSecretSchema(schema: JsonSchema): boolean {
  return schema.writeOnly === true || schema["x-secret"] === true;
}

/** Deep copy with every `#/components/schemas/X` reference rewritten to `#/$defs/X`; records which components are used. */
function withDefsRefs(value: unknown, used: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withDefsRefs(v, used));
  if (!isObject(value)) return value;
  const out: JsonSchema = {};
  for (const [key, v] of Object.entries(value)) {
    const name = key === "$ref" ? componentName(v) : undefined;
    if (name !== undefined) {
      used.add(name);
      out[key] = `#/$defs/${name}`;
    } else out[key] = withDefsRefs(v, used);
  }
  return out;
}

/** The self-contained JSON Schema for `root`: `$schema`, the schema itself, and every component it reaches under `$defs`. */
function exportedSchema(root: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  const used = new Set<string>();
  const top = withDefsRefs(root, used) as JsonSchema;
  const defs: Record<string, unknown> = {};
  // A Set's iteration also visits what is added to it meanwhile: the components those components use.
  for (const name of used) defs[name] = withDefsRefs(component(components, name), used);
  return { $schema: DRAFT_2020_12, ...top, ...(Object.keys(defs).length > 0 ? { $defs: defs } : {}) };
}

/**
 * Deep copy with every component reference replaced by (a copy of) the component, marking copies of secret components.
 * With `keepRefs`, a reference stays a reference (`{ $ref: "<Name>" }`, the component's `$id` for Ajv), so the
 * component's validator is called rather than copied, except inside `anyOf`/`oneOf` (an error found in a branch
 * must be reported under it) and under a secret schema (whose hints make everything below secret).
 */
function dereference(
  value: unknown,
  components: Record<string, JsonSchema>,
  secrets: WeakSet<object>,
  trail: string[] = [],
  inSecret = false,
  keepRefs = false,
): unknown {
  if (Array.isArray(value)) return value.map((v) => dereference(v, components, secrets, trail, inSecret, keepRefs));
  if (!isObject(value)) return value;
  const name = componentName(value.$ref);
  if (name !== undefined) {
    if (trail.includes(name)) throw new Error(`validation generator: recursive schema ${[...trail, name].join(" → ")} is not supported`);
    const { $ref: _ref, ...siblings } = value;
    if (Object.keys(siblings).length > 0)
      throw new Error(`validation generator: keywords next to $ref (${Object.keys(siblings).join(", ")}) are not supported`);
    const target = component(components, name);
    if (keepRefs && !inSecret) return { $ref: name };
    return dereference(target, components, secrets, [...trail, name], inSecret || isSecretSchema(target));
  }
  if (typeof value.$ref === "string") throw new Error(`validation generator: unsupported $ref ${value.$ref}`);
  const out: JsonSchema = {};
  for (const [key, v] of Object.entries(value))
    out[key] = dereference(v, components, secrets, trail, inSecret, keepRefs && key !== "anyOf" && key !== "oneOf");
  if (inSecret) secrets.add(out);
  return out;
}

/** Where each component is used under a name of its own: a parameter's name or a header's name. */
function usageNames(document: JsonSchema): Map<string, string> {
  const names = new Map<string, string>();
  const components = (document.components ?? {}) as JsonSchema;
  const parameters = Object.values((components.parameters ?? {}) as Record<string, Parameter>);
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
  for (const item of Object.values(paths)) {
    parameters.push(...((item.parameters ?? []) as Parameter[]).filter((p) => !p.$ref));
    for (const op of Object.values(item))
      if (isObject(op)) parameters.push(...((op.parameters ?? []) as Parameter[]).filter((p) => !p.$ref));
  }
  for (const parameter of parameters) {
    const name = componentName(parameter.schema?.$ref);
    if (name && !names.has(name)) names.set(name, parameter.name);
  }
  // Security schemes name the header a credential schema is sent in (x-header-schema).
  for (const scheme of Object.values((components.securitySchemes ?? {}) as Record<string, JsonSchema>)) {
    const schema = scheme["x-header-schema"];
    if (typeof schema === "string" && scheme.in === "header" && typeof scheme.name === "string" && !names.has(schema))
      names.set(schema, scheme.name);
  }
  return names;
}

function resolveParameter(parameter: Parameter, document: JsonSchema): Parameter {
  if (!parameter.$ref) return parameter;
  const match = /^#\/components\/parameters\/([^/]+)$/.exec(parameter.$ref);
  const components = (document.components ?? {}) as JsonSchema;
  const resolved = match ? ((components.parameters ?? {}) as Record<string, Parameter>)[match[1] as string] : undefined;
  if (!resolved) throw new Error(`validation generator: cannot resolve parameter ${parameter.$ref}`);
  return resolved;
}

/** A request parameter's property name in a call's input: `project_id` → `projectId`, `X-Language` → `xLanguage`. */
export function inputKey(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  return words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("");
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** One parameter of an operation, as the operations table lists it. */
export interface OperationParameter {
  name: string;
  in: "path" | "query" | "header";
  /** Its property name in a call's input. */
  key: string;
  required: boolean;
}

/** One operation, as the spec declares it: what the generated operations table and its input schema are made of. */
export interface OperationFacts {
  operationId: string;
  method: string;
  path: string;
  parameters: OperationParameter[];
  /** The JSON request body: the component schema it references, and whether it is required. */
  body: { schema: string; required: boolean } | undefined;
  /** The 2xx response and the component schema of its JSON body. */
  success: { status: number; schema: string | undefined };
  /** `x-pagination`, when the operation pages through a list. */
  pagination: Record<string, string> | undefined;
  vendorOperationId: string | undefined;
  /** The input object a client call takes: every parameter by its input key, and `body`. */
  inputSchema: JsonSchema;
  summary: string | undefined;
}

/** Every operation of the spec, in path order, with its parameters (path-level ones overridden by operation-level ones). */
export function collectOperations(document: JsonSchema): OperationFacts[] {
  const out: OperationFacts[] = [];
  const components = (((document.components ?? {}) as JsonSchema).schemas ?? {}) as Record<string, JsonSchema>;
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, JsonSchema>)) {
    for (const method of METHODS) {
      const operation = item[method] as (Operation & JsonSchema) | undefined;
      if (!operation) continue;
      const operationId = operation.operationId;
      if (!operationId) throw new Error(`validation generator: ${method.toUpperCase()} ${path} has no operationId`);
      const byName = new Map<string, Parameter>();
      // Operation-level parameters override path-level ones with the same name and location (OpenAPI 3.1, 4.8.10.1).
      for (const p of [...((item.parameters ?? []) as Parameter[]), ...(operation.parameters ?? [])]) {
        const parameter = resolveParameter(p, document);
        byName.set(`${parameter.in}:${parameter.name}`, parameter);
      }
      const parameters: OperationParameter[] = [];
      const properties: Record<string, unknown> = {};
      const required: string[] = [];
      const sample: Record<string, unknown> = {};
      for (const parameter of byName.values()) {
        if (parameter.in !== "path" && parameter.in !== "query" && parameter.in !== "header")
          throw new Error(`validation generator: ${operationId}: parameters in ${parameter.in} are not supported`);
        if (!parameter.schema) throw new Error(`validation generator: parameter ${parameter.name} of ${operationId} has no schema`);
        const key = inputKey(parameter.name);
        if (key in properties)
          throw new Error(`validation generator: ${operationId}: two parameters are both named ${key} in a call's input`);
        // Path parameters are always required (OpenAPI 3.1, 4.8.12.2).
        const isRequired = parameter.in === "path" || parameter.required === true;
        parameters.push({ name: parameter.name, in: parameter.in, key, required: isRequired });
        properties[key] = parameter.schema;
        if (isRequired) {
          required.push(key);
          sample[key] = parameterExample(parameter, components);
        }
      }
      let body: OperationFacts["body"];
      const requestBody = operation.requestBody as JsonSchema | undefined;
      if (requestBody) {
        const media = ((requestBody.content ?? {}) as Record<string, JsonSchema>)["application/json"];
        const schema = componentName((media?.schema as JsonSchema | undefined)?.$ref);
        if (!schema)
          throw new Error(`validation generator: ${operationId}: the request body must be application/json referencing a component schema`);
        body = { schema, required: requestBody.required === true };
        properties.body = { $ref: `#/components/schemas/${schema}` };
        if (body.required) {
          required.push("body");
          sample.body = mediaExample(document, schema) ?? (components[schema]?.examples as unknown[] | undefined)?.[0];
        }
      }
      const responses = (operation.responses ?? {}) as Record<string, JsonSchema>;
      const successStatus = Object.keys(responses).find((s) => /^2\d\d$/.test(s));
      if (!successStatus) throw new Error(`validation generator: ${operationId} has no 2xx response`);
      const successMedia = (((responses[successStatus] as JsonSchema).content ?? {}) as Record<string, JsonSchema>)["application/json"];
      const complete = Object.values(sample).every((v) => v !== undefined);
      const pagination = operation["x-pagination"];
      out.push({
        operationId,
        method: method.toUpperCase(),
        path,
        parameters,
        body,
        success: { status: Number(successStatus), schema: componentName((successMedia?.schema as JsonSchema | undefined)?.$ref) },
        pagination: isObject(pagination)
          ? (Object.fromEntries(Object.entries(pagination).filter(([key]) => !key.startsWith("x-"))) as Record<string, string>)
          : undefined,
        vendorOperationId:
          typeof operation["x-vendor-operation-id"] === "string" ? (operation["x-vendor-operation-id"] as string) : undefined,
        summary: typeof operation.summary === "string" ? operation.summary : undefined,
        inputSchema: {
          title: `Input of ${operationId}`,
          description: `What a call of ${operationId} (${method.toUpperCase()} ${path}) takes: its parameters by their input names, and its body.`,
          type: "object",
          properties,
          required,
          additionalProperties: false,
          ...(complete ? { examples: [sample] } : {}),
        },
      });
    }
  }
  return out;
}

/** The first example of any response or request body whose media type uses `#/components/schemas/<name>` directly. */
function mediaExample(document: JsonSchema, name: string): unknown {
  const found: unknown[] = [];
  const visit = (value: unknown): void => {
    if (found.length > 0) return;
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) {
      if (isObject(value.schema) && componentName(value.schema.$ref) === name && isObject(value.examples)) {
        const first = Object.values(value.examples).find((e) => isObject(e) && e.value !== undefined) as JsonSchema | undefined;
        if (first) found.push(first.value);
      }
      for (const v of Object.values(value)) visit(v);
    }
  };
  visit({ paths: document.paths, components: document.components });
  return found[0];
}

/**
 * Every schema the package validates, in a stable order: components as the
 * spec lists them, then each operation's input.
 */
export function collectSchemas(document: JsonSchema): SchemaEntry[] {
  const components = (((document.components ?? {}) as JsonSchema).schemas ?? {}) as Record<string, JsonSchema>;
  const names = usageNames(document);
  const entry = (name: string, source: string, schema: JsonSchema, secret: boolean, defaultPath?: string): SchemaEntry => {
    const secrets = new WeakSet<object>();
    const compiled = dereference(schema, components, secrets, [name], secret) as JsonSchema;
    const scalar = compiled.type === "string";
    return {
      name,
      source,
      jsonSchema: exportedSchema(schema, components),
      compiled,
      ajvSchema: Object.assign(dereference(schema, components, secrets, [name], secret, true) as JsonSchema, { $id: name }),
      scalar,
      defaultPath: scalar ? (defaultPath ?? name) : undefined,
      secrets,
      docExample: Array.isArray(schema.examples) && schema.examples.length > 0 ? schema.examples[0] : mediaExample(document, name),
      title: typeof schema.title === "string" ? schema.title : undefined,
      description: typeof schema.description === "string" ? schema.description.trim() : undefined,
    };
  };
  const entries = Object.entries(components).map(([name, schema]) =>
    entry(name, `components.schemas.${name}`, schema, isSecretSchema(schema), names.get(name)),
  );
  for (const { operationId, inputSchema, method, path } of collectOperations(document))
    entries.push(entry(`${pascalCase(operationId)}Input`, `the input of ${operationId} (${method} ${path})`, inputSchema, false));
  return entries;
}

/** The noun a schema's title gives, overridden for generated parameter objects ("the path parameters of ..."). */
export function nounFor(schema: JsonSchema): string | undefined {
  if (typeof schema.title !== "string") return undefined;
  if (schema.title.startsWith("Input of ")) return `the i${schema.title.slice(1)}`;
  return nounFromTitle(schema.title);
}
