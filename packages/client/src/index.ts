export {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  type Credentials,
  CredentialsError,
  credentialEnvVars,
  credentialsFromEnv,
  defaultRetryPolicy,
  GeminiDbError,
  type Logger,
  MAX_RETRIES_LIMIT,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnexpectedResponseError,
  ValidationError,
} from "@geminidb-sessions/core";
export type { ErrorCode, Region } from "@geminidb-sessions/validation";
export type { components, operations, paths } from "./generated/schema.js";
export type { OperationId, PaginatedOperationId } from "@geminidb-sessions/validation";
export {
  type CallInput,
  type CallResult,
  createSessionsClient,
  type SessionsClient,
  type SessionsClientOptions,
  type SessionsOperations,
  type SessionsPages,
} from "./sessions-client.js";
