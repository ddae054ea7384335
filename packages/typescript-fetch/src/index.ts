export {
  AbortError,
  type AkSkProvider,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  type Credentials,
  CredentialsError,
  credentialEnvVars,
  credentialsFromEnv,
  type Environment,
  endpointEnvVar,
  GeminiDbError,
  type GeminiDbErrorName,
  InvalidResponseError,
  isKnownRegion,
  type Logger,
  NotFoundError,
  optionsFromEnv,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ResponseTooLargeError,
  ServerError,
  type TemporaryAkSk,
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
