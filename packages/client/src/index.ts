// The names every client flavour shares (errors, credential and environment helpers, types) are listed once, in core.

export { defaultRetryPolicy, type FetchLike, MAX_RETRIES_LIMIT } from "@geminidb-sessions/core";
export * from "@geminidb-sessions/core/public-surface";
export { type BareSessionsClient, type CallInput, type CallResult, createBareSessionsClient } from "./bare-client.js";
// One function per operation of the spec (`closeInstanceSessions(client, input)`, ...), for bundles that carry only what they call.
export * from "./generated/operations.gen.js";
export type { components, operations, paths } from "./generated/schema.gen.js";
export {
  createSessionsClient,
  type SessionsClient,
  type SessionsClientOptions,
  type SessionsOperations,
  type SessionsPages,
} from "./sessions-client.js";
