// Helpers shared by the rules: walking operations and their responses, and
// reading error codes out of examples. Rules run inside Redocly, which loads
// plugins as plain ES modules (no TypeScript loader on Node 20), hence JS.

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** True for a YAML/JSON map (not null, not a list). */
export function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Follows a chain of `$ref`s (a response may point at a response that points
 * at another). Returns undefined when a reference does not resolve: the
 * built-in `no-unresolved-refs` rule already reports that.
 */
export function deref(ctx, node, location) {
  let current = { node, location };
  for (let hops = 0; isObject(current.node) && typeof current.node.$ref === "string"; hops++) {
    if (hops > 32) return undefined; // a cycle of refs; struct rules report it
    const resolved = ctx.resolve(current.node, current.location.source.absoluteRef);
    if (resolved.node === undefined) return undefined;
    current = resolved;
  }
  return current;
}

/** True for the statuses of error responses: 4xx, 5xx, their ranges, and `default`. */
export function isErrorStatus(status) {
  return status === "default" || /^[45]([0-9]{2}|XX)$/i.test(status);
}

/**
 * Whether a catalog entry's status list covers the response status a
 * response is declared under (`4XX` is covered by any 4xx, `default` by any
 * error status).
 */
export function statusCovers(statuses, status) {
  if (!Array.isArray(statuses)) return false;
  if (status === "default") return statuses.some((s) => Number.isInteger(s) && s >= 400);
  const range = /^([1-5])XX$/i.exec(status);
  if (range) return statuses.some((s) => Number.isInteger(s) && Math.floor(s / 100) === Number(range[1]));
  return statuses.includes(Number(status));
}

/** The error code an example body carries: `error_code` (flat form) or `error.code` (nested form). */
export function errorCodeOf(value) {
  if (!isObject(value)) return undefined;
  if (typeof value.error_code === "string") return value.error_code;
  if (isObject(value.error) && typeof value.error.code === "string") return value.error.code;
  return undefined;
}

/** The root `x-error-catalog`, or undefined when it is missing or not a map. */
export function errorCatalog(root) {
  const catalog = root["x-error-catalog"];
  return isObject(catalog) ? catalog : undefined;
}

/**
 * Every response of every operation (paths and webhooks), resolved, with the
 * status it is declared under and where it is written.
 */
export function* operationResponses(root, ctx) {
  for (const section of ["paths", "webhooks"]) {
    if (!isObject(root[section])) continue;
    for (const [path, rawPathItem] of Object.entries(root[section])) {
      const pathItem = deref(ctx, rawPathItem, ctx.location.child([section, path]));
      if (!pathItem || !isObject(pathItem.node)) continue;
      for (const method of HTTP_METHODS) {
        const operation = pathItem.node[method];
        if (!isObject(operation) || !isObject(operation.responses)) continue;
        const operationName = `${method.toUpperCase()} ${path}`;
        for (const [status, rawResponse] of Object.entries(operation.responses)) {
          const response = deref(ctx, rawResponse, pathItem.location.child([method, "responses", status]));
          if (!response || !isObject(response.node)) continue;
          yield { operationName, status, response: response.node, location: response.location };
        }
      }
    }
  }
}

/**
 * Every example of one media type: its `example` and each entry of its
 * `examples` (resolved). `value` is undefined for an `externalValue` example.
 */
export function* mediaTypeExamples(ctx, mediaType, location) {
  if ("example" in mediaType) {
    yield { name: "example", value: mediaType.example, location: location.child(["example"]) };
  }
  if (!isObject(mediaType.examples)) return;
  for (const [name, rawExample] of Object.entries(mediaType.examples)) {
    const example = deref(ctx, rawExample, location.child(["examples", name]));
    if (!example || !isObject(example.node)) continue;
    yield { name, value: example.node.value, location: example.location };
  }
}

/** Every media type of a response, with where it is written. */
export function* responseMediaTypes(response, location) {
  if (!isObject(response.content)) return;
  for (const [mediaTypeName, mediaType] of Object.entries(response.content)) {
    if (isObject(mediaType)) yield { mediaTypeName, mediaType, location: location.child(["content", mediaTypeName]) };
  }
}

/** Collects problems so that a response shared by several operations is reported once per message. */
export function dedupedReporter(ctx) {
  const seen = new Set();
  return (message, location) => {
    const key = `${location.source.absoluteRef}${location.pointer}\n${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    ctx.report({ message, location });
  };
}
