// The names every client flavour shares (errors, credential and environment helpers, types) are listed once, in core.

export { defaultRetryPolicy, type FetchLike, MAX_RETRIES_LIMIT } from "@geminidb-sessions/core";
export * from "@geminidb-sessions/core/public-surface";
export type { components, operations, paths } from "./generated/schema.gen.js";
export {
  type CallInput,
  type CallResult,
  createSessionsClient,
  type SessionsClient,
  type SessionsClientOptions,
  type SessionsOperations,
  type SessionsPages,
} from "./sessions-client.js";
