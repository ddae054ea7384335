import { errorFromResponse, type ResolvedCoreOptions } from "@geminidb-sessions/core";
import { FetchError, ResponseError } from "./generated/index.js";

/**
 * The error a caller should see for what the generated runtime threw, so both
 * flavors fail identically:
 * - `FetchError` wraps whatever the configured `fetchApi` threw. That fetch is core's
 *   transport, which only throws core's typed errors, so the wrapper is removed.
 * - `ResponseError` only appears when a `post` or `onError` middleware hands the
 *   runtime a non-2xx response (core throws before any other non-2xx reaches it);
 *   it becomes the same `ApiError` core builds from any response.
 * - Anything else (a core error thrown directly, a middleware's own error) passes unchanged.
 */
export async function toCoreError(error: unknown, core: ResolvedCoreOptions): Promise<unknown> {
  if (error instanceof FetchError) return error.cause;
  if (error instanceof ResponseError) return errorFromResponse(error.response, { now: core.now, secrets: core.credentials.secrets() });
  return error;
}
