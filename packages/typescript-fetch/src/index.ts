export {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  type Credentials,
  CredentialsError,
  credentialsFromEnv,
  GeminiDbError,
  InvalidResponseError,
  type Logger,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ResponseTooLargeError,
  ServerError,
  TimeoutError,
  ValidationError,
} from "@geminidb-sessions/core";
export type { ErrorCode, OperationId, PaginatedOperationId, Region } from "@geminidb-sessions/validation";
export { createSessionsApi } from "./create-sessions-api.js";
export * from "./generated/index.js";
export type { InitOverrides } from "./project-header.js";
export {
  type OperationRequest,
  type OperationResponse,
  type ProjectDefaulted,
  SessionsApi,
  type SessionsApiOperations,
  type SessionsApiPages,
} from "./sessions-api.js";
export { type SessionsApiOptions, SessionsConfiguration } from "./sessions-configuration.js";
