// Provenance markers: where a fact in the spec comes from (`x-source`: an
// absolute https URL or a list of them) or why it is the project's own
// modelling (`x-assumption`: a one-line reason). Shared by the lint rule
// (geminidb/provenance) and `pnpm spec:claims`, so both read the markers the
// same way. Plain JS: Redocly loads plugins without a TypeScript loader.

import { isObject } from "./openapi.js";

export const SOURCE = "x-source";
export const ASSUMPTION = "x-assumption";

// Subtrees that hold instance data, not document structure: a marker there is data, not a claim.
const DATA_KEYS = new Set(["example", "examples", "enum", "const", "default"]);

/** The problem with an `x-source` value, or undefined when it is one absolute https URL or a non-empty list of them. */
export function sourceProblem(value) {
  const urls = Array.isArray(value) ? value : [value];
  if (urls.length === 0) return "x-source must be an absolute https URL or a non-empty list of them, not an empty list";
  for (const url of urls) {
    if (typeof url !== "string") return `x-source must hold URLs (strings), not ${JSON.stringify(url)}`;
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      return `x-source ${JSON.stringify(url)} is not an absolute URL`;
    }
    if (parsed.protocol !== "https:") return `x-source ${JSON.stringify(url)} must use https`;
  }
  return undefined;
}

/** The problem with an `x-assumption` value, or undefined when it is a non-empty one-line reason. */
export function assumptionProblem(value) {
  if (typeof value !== "string" || value.trim() === "") return "x-assumption must be a non-empty reason";
  if (/[\r\n]/.test(value.trim())) return "x-assumption must be one line";
  return undefined;
}

/** The JSON pointer (`#/a/b`) of a path of keys, escaped per RFC 6901. */
export function pointerOf(path) {
  return `#/${path.map((s) => String(s).replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const COMPONENT_KINDS = {
  schemas: "schema",
  parameters: "parameter",
  headers: "header",
  responses: "response",
  securitySchemes: "security scheme",
  requestBodies: "request body",
  examples: "example",
};

/** What kind of object a path leads to, in words a reviewer reads. */
export function claimKind(path) {
  if (path[0] === "x-error-catalog" && path.length === 2) return "error catalog entry";
  const extension = [...path].reverse().find((s) => typeof s === "string" && s.startsWith("x-"));
  if (extension !== undefined) return `${extension} value`;
  if (path[0] === "paths" && path.length === 3 && HTTP_METHODS.has(path[2])) return "operation";
  if (path[0] === "paths" && path.includes("parameters")) return "parameter";
  if (path[0] === "components" && path.length === 3) return COMPONENT_KINDS[path[1]] ?? path[1];
  if (path[0] === "components" && path[1] === "schemas") return "schema property";
  if (path.length === 1 && path[0] === "info") return "info";
  return "object";
}

/**
 * Every object in the document that carries a provenance marker, with its
 * path (keys from the root), kind, and raw marker values. Walks the whole
 * document except instance data (examples, enums, constants, defaults).
 */
export function* markedObjects(root) {
  function* walk(node, path) {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) yield* walk(item, [...path, i]);
      return;
    }
    if (!isObject(node)) return;
    if (SOURCE in node || ASSUMPTION in node) {
      yield {
        path,
        kind: claimKind(path),
        source: node[SOURCE],
        assumption: node[ASSUMPTION],
        hasSource: SOURCE in node,
        hasAssumption: ASSUMPTION in node,
      };
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === SOURCE || key === ASSUMPTION || DATA_KEYS.has(key)) continue;
      yield* walk(child, [...path, key]);
    }
  }
  yield* walk(root, []);
}

/**
 * The objects that must carry a marker whether or not they do: every entry
 * of `x-error-catalog` and every operation.
 */
export function* objectsNeedingProvenance(root) {
  if (isObject(root["x-error-catalog"])) {
    for (const [code, entry] of Object.entries(root["x-error-catalog"])) {
      if (isObject(entry)) yield { path: ["x-error-catalog", code], node: entry, what: `Catalog entry ${code}` };
    }
  }
  if (isObject(root.paths)) {
    for (const [path, item] of Object.entries(root.paths)) {
      if (!isObject(item)) continue;
      for (const method of HTTP_METHODS) {
        if (isObject(item[method]))
          yield { path: ["paths", path, method], node: item[method], what: `Operation ${method.toUpperCase()} ${path}` };
      }
    }
  }
}

/**
 * One row per claim: a sourced object gives one row per URL, an assumed one a
 * row with its reason; an object with both markers gives both.
 */
export function claimRows(root) {
  const rows = [];
  for (const marked of markedObjects(root)) {
    const pointer = pointerOf(marked.path);
    if (marked.hasSource) {
      const urls = Array.isArray(marked.source) ? marked.source : [marked.source];
      for (const url of urls) rows.push({ pointer, kind: marked.kind, status: "sourced", detail: String(url) });
    }
    if (marked.hasAssumption) rows.push({ pointer, kind: marked.kind, status: "assumed", detail: String(marked.assumption) });
  }
  for (const needed of objectsNeedingProvenance(root)) {
    if (!(SOURCE in needed.node) && !(ASSUMPTION in needed.node)) {
      rows.push({
        pointer: pointerOf(needed.path),
        kind: claimKind(needed.path),
        status: "unmarked",
        detail: `${needed.what} has no x-source or x-assumption`,
      });
    }
  }
  return rows;
}
