import { type OperationId, operations } from "@geminidb-sessions/validation";

/** One route of the API port: an operation of the spec's operations table. */
export interface Route {
  operationId: OperationId;
  method: string;
  template: string;
}

/** Every route the API port serves: one per operation of the spec (generated into the validation package). */
export const routes: readonly Route[] = Object.values(operations).map((op) => ({
  operationId: op.operationId,
  method: op.method,
  template: op.path,
}));

/** What the raw request target names. */
export type TargetMatch =
  /** Not an origin-form target, or it holds bytes a request target may not hold (e.g. `#`). */
  | { kind: "malformed" }
  /** No API at this method and path. */
  | { kind: "no-route" }
  /**
   * An operation, with its raw path parameters (exactly as they came on the wire, never
   * decoded) and its query parameters (decoded; a name given twice keeps the first value).
   */
  | { kind: "operation"; operationId: OperationId; params: Record<string, string>; query: Record<string, string> };

type TemplateSegment = { literal: string } | { param: string };

const compiled = routes.map((route) => ({
  route,
  segments: route.template
    .split("/")
    .slice(1)
    .map((segment): TemplateSegment => {
      const param = /^\{(.+)\}$/.exec(segment)?.[1];
      return param === undefined ? { literal: segment } : { param };
    }),
}));

// RFC 3986 `pchar` and `/` for the path, plus `?` in the query. No `#`, no spaces, no
// controls, no non-ASCII: a target holding them is malformed, never routed.
const pathCharacters = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const queryCharacters = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
const badPercentEscape = /%(?![0-9A-Fa-f]{2})/;

function parseQuery(query: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  try {
    for (const [name, value] of new URLSearchParams(query)) if (!(name in out)) out[name] = value;
  } catch {
    return undefined;
  }
  return out;
}

/**
 * Matches a method and a raw request target (as `IncomingMessage.url` gives it, before any
 * decoding or dot-segment removal) against every route. Literal segments must match byte for
 * byte, so `%73essions`, `..`, `//` or a trailing `/` never reach an operation through a
 * different spelling; a parameter segment is returned raw, for the spec's patterns to judge.
 */
export function matchRequestTarget(method: string, rawTarget: string): TargetMatch {
  if (!rawTarget.startsWith("/")) return { kind: "malformed" };
  const queryStart = rawTarget.indexOf("?");
  const path = queryStart === -1 ? rawTarget : rawTarget.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? "" : rawTarget.slice(queryStart + 1);
  if (!pathCharacters.test(path) || !queryCharacters.test(rawQuery) || badPercentEscape.test(rawTarget)) {
    return { kind: "malformed" };
  }
  const segments = path.split("/").slice(1);
  for (const { route, segments: template } of compiled) {
    if (method !== route.method || segments.length !== template.length) continue;
    const params: Record<string, string> = {};
    const matches = template.every((expected, index) => {
      const actual = segments[index] ?? "";
      if ("literal" in expected) return actual === expected.literal;
      params[expected.param] = actual;
      return true;
    });
    if (!matches) continue;
    const query = parseQuery(rawQuery);
    if (query === undefined) return { kind: "malformed" };
    return { kind: "operation", operationId: route.operationId, params, query };
  }
  return { kind: "no-route" };
}
