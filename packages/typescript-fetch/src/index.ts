// The names every client flavour shares (errors, credential and environment helpers, types) are listed once, in core.
export * from "@geminidb-sessions/core/public-surface";
export * from "./generated/index.js";
export {
  createSessionsApi,
  type InitOverrides,
  type OperationRequest,
  type OperationResponse,
  type ProjectDefaulted,
  SessionsApi,
  type SessionsApiOperations,
  type SessionsApiPages,
} from "./sessions-api.js";
export { type SessionsApiOptions, SessionsConfiguration } from "./sessions-configuration.js";
