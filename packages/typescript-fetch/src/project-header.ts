import type { CallOptions } from "@geminidb-sessions/core";
import { authProfile } from "@geminidb-sessions/validation";
import type { InitOverrideFunction } from "./generated/index.js";

/**
 * The generator's second parameter: a `RequestInit` to merge, or a function returning one.
 * The object form also takes `timeoutMs` and `maxRetries`, which override the API's own for
 * that call only, and `onRetry`, told of that call's retries after the API's own `onRetry` (the
 * transport reads them from the request's `init`).
 */
export type InitOverrides = (RequestInit & CallOptions) | InitOverrideFunction;

/** `X-Project-Id`, the header an AK/SK signature names its project in. */
export const projectHeader = authProfile.projectHeader;

/**
 * The generator replaces the request's headers wholesale when an init override has
 * `headers`. The AK/SK signature must name the path's project, so this wraps the
 * caller's overrides to put `X-Project-Id` back into any headers they supply.
 */
export function keepProjectHeader(initOverrides: InitOverrides | undefined, projectId: string): InitOverrides | undefined {
  if (initOverrides === undefined) return undefined;
  return async (context) => {
    const override = typeof initOverrides === "function" ? await initOverrides(context) : initOverrides;
    if (override?.headers === undefined) return override ?? {};
    // A plain record, as the generator's own headers are, so `pre` middleware can spread it.
    const headers: Record<string, string> = {};
    new Headers(override.headers).forEach((value, name) => {
      headers[name] = value;
    });
    headers[projectHeader.toLowerCase()] = projectId;
    return { ...override, headers };
  };
}
