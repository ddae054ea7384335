/*
 * `@geminidb-sessions/core/public-surface`: the names every client flavour re-exports
 * (`export * from "@geminidb-sessions/core/public-surface"` in @geminidb-sessions/client
 * and @geminidb-sessions/typescript-fetch), listed once here so the flavours cannot drift
 * apart: the error classes, the credential and environment helpers, and the types their
 * options and errors are written in. A name only one flavour exports stays in that
 * flavour's own index.
 *
 * The values are the very ones of the main entry (the build shares one chunk between the
 * entries), so `instanceof` holds whichever entry an error class came from.
 */
export type { ErrorCode, OperationId, PaginatedOperationId, Region } from "@geminidb-sessions/validation";
export type { AkSkProvider, Credentials, TemporaryAkSk } from "./credentials.js";
export { isKnownRegion } from "./endpoint.js";
export { credentialEnvVars, credentialsFromEnv, type Environment, endpointEnvVar, optionsFromEnv } from "./environment.js";
export {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  CredentialsError,
  GeminiDbError,
  type GeminiDbErrorName,
  InvalidResponseError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ResponseTooLargeError,
  ServerError,
  TimeoutError,
  ValidationError,
} from "./errors.js";
export type { Logger } from "./logger.js";
export type { RetryHook, RetryInfo } from "./options.js";
