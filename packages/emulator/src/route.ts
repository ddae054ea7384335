import { operation } from "@geminidb-sessions/validation";

/** The one route the API port serves, as the spec states it (generated into the validation package). */
export const clearInstanceSessionsRoute = {
  method: operation.method,
  template: operation.path,
} as const;

/** The path parameters of the route, exactly as they came on the wire (never decoded). */
export interface RawPathParams {
  project_id: string;
  instance_id: string;
}

/** What the raw request target names. */
export type TargetMatch =
  /** Not an origin-form target, or it holds bytes a request target may not hold (e.g. `#`). */
  | { kind: "malformed" }
  /** No API at this method and path. */
  | { kind: "no-route" }
  /** The operation, with its raw path parameters. */
  | { kind: "operation"; params: RawPathParams };

type TemplateSegment = { literal: string } | { param: keyof RawPathParams };

const templateSegments: readonly TemplateSegment[] = clearInstanceSessionsRoute.template
  .split("/")
  .slice(1)
  .map((segment) => {
    const param = /^\{(.+)\}$/.exec(segment)?.[1];
    if (param === "project_id" || param === "instance_id") return { param };
    return { literal: segment };
  });

// RFC 3986 `pchar` and `/` for the path, plus `?` in the query. No `#`, no spaces, no
// controls, no non-ASCII: a target holding them is malformed, never routed.
const pathCharacters = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const queryCharacters = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
const badPercentEscape = /%(?![0-9A-Fa-f]{2})/;

/**
 * Matches a method and a raw request target (as `IncomingMessage.url` gives it, before any
 * decoding or dot-segment removal) against the route. Literal segments must match byte for
 * byte, so `%73essions`, `..`, `//` or a trailing `/` never reach the operation through a
 * different spelling; a parameter segment is returned raw, for the ID patterns to judge.
 */
export function matchRequestTarget(method: string, rawTarget: string): TargetMatch {
  if (!rawTarget.startsWith("/")) return { kind: "malformed" };
  const queryStart = rawTarget.indexOf("?");
  const path = queryStart === -1 ? rawTarget : rawTarget.slice(0, queryStart);
  const query = queryStart === -1 ? "" : rawTarget.slice(queryStart + 1);
  if (!pathCharacters.test(path) || !queryCharacters.test(query) || badPercentEscape.test(rawTarget)) {
    return { kind: "malformed" };
  }
  if (method !== clearInstanceSessionsRoute.method) return { kind: "no-route" };
  const segments = path.split("/").slice(1);
  if (segments.length !== templateSegments.length) return { kind: "no-route" };
  const params: Partial<RawPathParams> = {};
  for (const [index, expected] of templateSegments.entries()) {
    const actual = segments[index] ?? "";
    if ("literal" in expected) {
      if (actual !== expected.literal) return { kind: "no-route" };
    } else {
      params[expected.param] = actual;
    }
  }
  const { project_id, instance_id } = params;
  if (project_id === undefined || instance_id === undefined) return { kind: "no-route" };
  return { kind: "operation", params: { project_id, instance_id } };
}
