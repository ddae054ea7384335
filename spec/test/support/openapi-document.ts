import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot, specPath } from "../../../scripts/lib/repo.js";

/** A JSON object as the YAML parser returns it. */
export type JsonObject = Record<string, unknown>;

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Absolute path of the handwritten spec. */
export const specFile = join(repoRoot, specPath);

/** Reads and parses the real spec; every call returns a fresh copy that callers may mutate. */
export async function loadSpecDocument(): Promise<JsonObject> {
  return parse(await readFile(specFile, "utf8")) as JsonObject;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The JSON pointer (`#/a/b`) of a path of keys, escaped per RFC 6901. */
export function pointerTo(segments: readonly (string | number)[]): string {
  return `#/${segments.map((s) => String(s).replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;
}

function segmentsOf(pointer: string): string[] {
  if (!pointer.startsWith("#/")) throw new Error(`Only local JSON pointers are supported, got ${pointer}`);
  return pointer
    .slice(2)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** The object a local JSON pointer points at; throws when there is none. */
export function objectAt(doc: JsonObject, pointer: string): JsonObject {
  let node: unknown = doc;
  for (const segment of segmentsOf(pointer)) {
    node = isJsonObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[segment] : undefined;
  }
  if (!isJsonObject(node)) throw new Error(`${pointer} is not an object in the document`);
  return node;
}

/** Follows local `$ref`s from a node written at `pointer` to the object it stands for. */
export function deref(doc: JsonObject, node: unknown, pointer: string): { node: JsonObject; pointer: string } {
  let current = { node, pointer };
  for (let hops = 0; isJsonObject(current.node) && typeof current.node.$ref === "string"; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${pointer}`);
    current = { node: objectAt(doc, current.node.$ref), pointer: current.node.$ref };
  }
  if (!isJsonObject(current.node)) throw new Error(`${pointer} is not an object`);
  return current as { node: JsonObject; pointer: string };
}

export interface OperationResponse {
  operationPointer: string;
  status: string;
  /** The response object itself, after following `$ref`s: mutate it to change the response. */
  response: JsonObject;
  /** Where the response object is written (the component, for a `$ref`). */
  pointer: string;
}

/** Every response of every operation under `paths`, resolved. */
export function operationResponses(doc: JsonObject): OperationResponse[] {
  const found: OperationResponse[] = [];
  const paths = isJsonObject(doc.paths) ? doc.paths : {};
  for (const [path, rawPathItem] of Object.entries(paths)) {
    const pathItem = deref(doc, rawPathItem, pointerTo(["paths", path]));
    for (const method of HTTP_METHODS) {
      const operation = pathItem.node[method];
      if (!isJsonObject(operation) || !isJsonObject(operation.responses)) continue;
      const operationPointer = `${pathItem.pointer}/${method}`;
      for (const [status, rawResponse] of Object.entries(operation.responses)) {
        const response = deref(doc, rawResponse, `${operationPointer}/responses/${status}`);
        found.push({ operationPointer, status, response: response.node, pointer: response.pointer });
      }
    }
  }
  return found;
}

/** The first response with a 4xx or 5xx status; the spec without one is itself broken. */
export function firstErrorResponse(doc: JsonObject): OperationResponse {
  const response = operationResponses(doc).find((r) => /^[45][0-9]{2}$/.test(r.status));
  if (!response) throw new Error("The spec declares no error response");
  return response;
}

/** The root `x-error-catalog`. */
export function errorCatalogOf(doc: JsonObject): Record<string, JsonObject> {
  const catalog = doc["x-error-catalog"];
  if (!isJsonObject(catalog)) throw new Error("The spec has no x-error-catalog");
  return catalog as Record<string, JsonObject>;
}

/** Every security scheme, resolved. */
export function securitySchemes(doc: JsonObject): JsonObject[] {
  const schemes = objectAt(doc, pointerTo(["components", "securitySchemes"]));
  return Object.entries(schemes).map(([name, raw]) => deref(doc, raw, pointerTo(["components", "securitySchemes", name])).node);
}
