/**
 * TypeScript types for the validated schemas, written from their JSON Schemas
 * (the subset the spec uses: strings, numbers, booleans, null, arrays, objects,
 * enum/const, anyOf/oneOf and references). Scalars stay `string` etc.; object
 * schemas become interfaces named like the schema.
 */
import { isObject, type JsonSchema, type SchemaEntry } from "./validation-schemas.js";

/** JSON Schema's scalar types and the TypeScript type of their values. */
const SCALAR_TYPES = new Map<unknown, string>([
  ["string", "string"],
  ["number", "number"],
  ["integer", "number"],
  ["boolean", "boolean"],
  ["null", "null"],
]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function jsdoc(schema: JsonSchema, indent: string): string {
  const text = [schema.title, schema.description]
    .filter((t): t is string => typeof t === "string")
    .map((t) => t.trim())
    .join(": ");
  if (!text) return "";
  const lines = text.replace(/\*\//g, "*\\/").split("\n");
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join("\n")}\n${indent} */\n`;
}

class TypeWriter {
  constructor(
    private readonly defs: Record<string, JsonSchema>,
    /** Schemas emitted as named types, referenced by name. */
    private readonly named: Set<string>,
  ) {}

  type(schema: unknown, indent: string): string {
    if (schema === true || schema === undefined) return "unknown";
    if (schema === false) return "never";
    if (!isObject(schema)) throw new Error(`validation generator: not a schema: ${JSON.stringify(schema)}`);
    if (typeof schema.$ref === "string") {
      const name = /^#\/\$defs\/([^/]+)$/.exec(schema.$ref)?.[1];
      if (!name || !this.defs[name]) throw new Error(`validation generator: cannot type ${schema.$ref}`);
      return this.named.has(name) ? name : this.type(this.defs[name], indent);
    }
    if ("const" in schema) return JSON.stringify(schema.const);
    if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
    for (const keyword of ["anyOf", "oneOf"]) {
      const options = schema[keyword];
      if (Array.isArray(options)) return options.map((o) => this.type(o, indent)).join(" | ");
    }
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    return types.map((t) => this.single(schema, t, indent)).join(" | ");
  }

  private single(schema: JsonSchema, type: unknown, indent: string): string {
    const scalar = SCALAR_TYPES.get(type);
    if (scalar !== undefined) return scalar;
    if (type === "array") return `Array<${this.type(schema.items, indent)}>`;
    if (type === "object") return this.object(schema, indent);
    throw new Error(`validation generator: cannot type schema with type ${JSON.stringify(type)}`);
  }

  object(schema: JsonSchema, indent: string): string {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const names = Object.keys(properties);
    if (names.length === 0) return schema.additionalProperties === false ? "Record<string, never>" : "Record<string, unknown>";
    const inner = `${indent}  `;
    const lines = names.map((name) => {
      const sub = properties[name] as JsonSchema;
      const key = IDENTIFIER.test(name) ? name : JSON.stringify(name);
      return `${jsdoc(sub, inner)}${inner}${key}${required.has(name) ? "" : "?"}: ${this.type(sub, inner)};`;
    });
    return `{\n${lines.join("\n")}\n${indent}}`;
  }
}

/** The `types.gen.ts` module: one exported type per object (or union) schema. */
export function typesModule(entries: SchemaEntry[]): string {
  const named = new Set(entries.filter((e) => !e.scalar).map((e) => e.name));
  const parts = ["/** Types of the values the validators accept, generated from the schemas. */", ""];
  for (const entry of entries) {
    if (entry.scalar) continue;
    const defs = (entry.jsonSchema.$defs ?? {}) as Record<string, JsonSchema>;
    const writer = new TypeWriter(defs, named);
    const doc = jsdoc(entry.jsonSchema, "");
    const schema = entry.jsonSchema;
    const body =
      schema.type === "object" && !("anyOf" in schema) && isObject(schema.properties) && Object.keys(schema.properties).length > 0
        ? `export interface ${entry.name} ${writer.object(schema, "")}`
        : `export type ${entry.name} = ${writer.type(schema, "")};`;
    parts.push(`${doc}${body}`, "");
  }
  return parts.join("\n");
}
