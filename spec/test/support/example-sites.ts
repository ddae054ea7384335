import { HTTP_METHODS, isJsonObject, type JsonObject, objectAt } from "./openapi-document.js";

/** One example in the spec and the schema it must satisfy. */
export interface ExampleSite {
  /** Where the example is written (JSON pointer); for a `$ref`'d example also where its target is. */
  pointers: string[];
  /** JSON pointer of the schema the example must validate against. */
  schemaPointer: string;
  /** The example value; undefined for an example given only by `externalValue`. */
  value: unknown;
  /** True when the value lives elsewhere (`externalValue`) and cannot be checked offline. */
  external: boolean;
}

const escapeSegment = (s: string) => s.replaceAll("~", "~0").replaceAll("/", "~1");
const child = (pointer: string, ...segments: (string | number)[]) =>
  [pointer.replace(/\/$/, ""), ...segments.map((s) => escapeSegment(String(s)))].join("/");

// Keywords whose value is one subschema, a list of them, or a map of them (JSON Schema 2020-12).
const SUBSCHEMA = [
  "items",
  "not",
  "if",
  "then",
  "else",
  "contains",
  "propertyNames",
  "additionalProperties",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contentSchema",
];
const SUBSCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SUBSCHEMA_MAPS = ["properties", "patternProperties", "$defs", "dependentSchemas"];

/**
 * Every example in the document, found by walking the places OpenAPI 3.1
 * allows them: schema `examples`/`example`, and the `example`/`examples` of
 * parameters, headers and media types (checked against their `schema`).
 */
export function collectExampleSites(doc: JsonObject): ExampleSite[] {
  const sites: ExampleSite[] = [];

  const schema = (node: unknown, at: string): void => {
    if (!isJsonObject(node)) return;
    if (Array.isArray(node.examples)) {
      for (const [i, value] of node.examples.entries()) {
        sites.push({ pointers: [child(at, "examples", i)], schemaPointer: at, value, external: false });
      }
    }
    if ("example" in node) sites.push({ pointers: [child(at, "example")], schemaPointer: at, value: node.example, external: false });
    for (const key of SUBSCHEMA) schema(node[key], child(at, key));
    for (const key of SUBSCHEMA_LISTS) {
      const list = node[key];
      if (Array.isArray(list)) for (const [i, item] of list.entries()) schema(item, child(at, key, i));
    }
    for (const key of SUBSCHEMA_MAPS) eachEntry(node[key], at, key, schema);
  };

  // Parameter, header and media type objects: their examples describe values of their `schema`.
  const withSchema = (node: unknown, at: string): void => {
    if (!isJsonObject(node) || "$ref" in node) return; // the target is visited where it is written
    const schemaPointer = child(at, "schema");
    if ("example" in node) sites.push({ pointers: [child(at, "example")], schemaPointer, value: node.example, external: false });
    if (isJsonObject(node.examples)) {
      for (const [name, raw] of Object.entries(node.examples)) {
        const usedAt = child(at, "examples", name);
        const target = isJsonObject(raw) && typeof raw.$ref === "string" ? raw.$ref : undefined;
        const example = target === undefined ? raw : objectAt(doc, target);
        if (!isJsonObject(example)) continue;
        sites.push({
          pointers: target === undefined ? [usedAt] : [usedAt, target],
          schemaPointer,
          value: example.value,
          external: !("value" in example) && "externalValue" in example,
        });
      }
    }
    schema(node.schema, schemaPointer);
    eachEntry(node.content, at, "content", withSchema);
  };

  const response = (node: unknown, at: string): void => {
    if (!isJsonObject(node) || "$ref" in node) return;
    eachEntry(node.headers, at, "headers", withSchema);
    eachEntry(node.content, at, "content", withSchema);
  };

  const requestBody = (node: unknown, at: string): void => {
    if (!isJsonObject(node) || "$ref" in node) return;
    eachEntry(node.content, at, "content", withSchema);
  };

  const operation = (node: unknown, at: string): void => {
    if (!isJsonObject(node)) return;
    eachItem(node.parameters, at, "parameters", withSchema);
    requestBody(node.requestBody, child(at, "requestBody"));
    eachEntry(node.responses, at, "responses", response);
  };

  const pathItem = (node: unknown, at: string): void => {
    if (!isJsonObject(node) || "$ref" in node) return;
    eachItem(node.parameters, at, "parameters", withSchema);
    for (const method of HTTP_METHODS) operation(node[method], child(at, method));
  };

  eachEntry(doc.paths, "#", "paths", pathItem);
  eachEntry(doc.webhooks, "#", "webhooks", pathItem);
  const components = isJsonObject(doc.components) ? doc.components : {};
  const base = "#/components";
  eachEntry(components.schemas, base, "schemas", schema);
  eachEntry(components.parameters, base, "parameters", withSchema);
  eachEntry(components.headers, base, "headers", withSchema);
  eachEntry(components.responses, base, "responses", response);
  eachEntry(components.requestBodies, base, "requestBodies", requestBody);
  eachEntry(components.pathItems, base, "pathItems", pathItem);
  return sites;
}

function eachEntry(map: unknown, at: string, key: string, visit: (node: unknown, at: string) => void): void {
  if (!isJsonObject(map)) return;
  for (const [name, node] of Object.entries(map)) visit(node, child(at, key, name));
}

function eachItem(list: unknown, at: string, key: string, visit: (node: unknown, at: string) => void): void {
  if (Array.isArray(list)) for (const [i, node] of list.entries()) visit(node, child(at, key, i));
}

// Maps whose keys are names chosen by the author, so a key `example` there is not the keyword.
const NAME_MAPS = new Set(["properties", "patternProperties", "$defs", "dependentSchemas"]);
// Keywords whose values are instance data, not document structure.
const DATA_KEYWORDS = new Set(["enum", "const", "default"]);

/**
 * Where every `example` and `examples` entry is written, found by a blind
 * walk of the whole document (extensions aside). It knows nothing of where
 * OpenAPI allows examples, so it catches any that collectExampleSites misses.
 */
export function findExamplePointers(doc: JsonObject): string[] {
  const found: string[] = [];
  const walk = (node: unknown, at: string, parentKey: string | undefined): void => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, child(at, i), undefined);
      return;
    }
    if (!isJsonObject(node)) return;
    const namesOnly = parentKey !== undefined && NAME_MAPS.has(parentKey);
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith("x-")) continue;
      if (!namesOnly && key === "example") {
        found.push(child(at, key));
      } else if (!namesOnly && key === "examples" && (Array.isArray(value) || isJsonObject(value))) {
        for (const entry of Object.keys(value)) found.push(child(at, key, entry));
      } else if (namesOnly || !DATA_KEYWORDS.has(key)) {
        walk(value, child(at, key), key);
      }
    }
  };
  walk(doc, "#", undefined);
  return found;
}
