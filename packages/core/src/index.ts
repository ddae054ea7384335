export type { ValidationIssue } from "@geminidb-sessions/validation";
export {
  AKSK_REFRESH_MARGIN_MS,
  type AkSkProvider,
  type AkSkProviderCredentials,
  AkSkProviderSource,
  AkSkSource,
  type CredentialSource,
  type Credentials,
  protectCredentials,
  type StaticAkSkCredentials,
  type TemporaryAkSk,
  type TokenCredentials,
  type TokenProvider,
  TokenSource,
} from "./credentials.js";
export { sha256Hex } from "./crypto.js";
export { type EndpointOptions, isKnownRegion, isLoopbackHost, regionEndpoint, resolveEndpoint } from "./endpoint.js";
export {
  credentialEnvVars,
  credentialsFromEnv,
  type Environment,
  type EnvOptions,
  endpointEnvVar,
  optionsFromEnv,
} from "./environment.js";
export { type ErrorFromResponseOptions, errorFromResponse } from "./error-response.js";
export {
  AbortError,
  ApiError,
  type ApiErrorInit,
  type ApiErrorName,
  AuthenticationError,
  apiErrorClassFor,
  BadRequestError,
  ConflictError,
  ConnectionError,
  CredentialsError,
  GeminiDbError,
  type GeminiDbErrorName,
  InvalidResponseError,
  isRetryableStatus,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  type ResponseErrorInit,
  ResponseTooLargeError,
  ServerError,
  TimeoutError,
  ValidationError,
} from "./errors.js";
export { checkInstanceId, checkProjectId, closestName, refuseUnknownKeys } from "./input-checks.js";
export type { LogDetails, Logger, LogLevel } from "./logger.js";
export {
  checkWireCall,
  type Operation,
  operationAt,
  operationById,
  type PreparedCall,
  paginate,
  prepareCall,
  readSuccessBody,
} from "./operation-call.js";
export {
  CALL_OPTION_NAMES,
  type CallOptions,
  CORE_OPTION_NAMES,
  type CoreOptions,
  callRetryPolicy,
  DEFAULT_MAX_RESPONSE_BYTES,
  type FetchLike,
  MAX_RESPONSE_BYTES_LIMIT,
  MAX_RETRIES_LIMIT,
  MAX_TIMEOUT_MS,
  type ResendQuestion,
  ResolvedCoreOptions,
  type RetryHook,
  type RetryInfo,
  readOnlyMethod,
  resolveCoreOptions,
} from "./options.js";
export { type HeadersLike, REDACTED, redactHeaders, scrubSecrets } from "./redact.js";
export {
  backoffDelay,
  defaultRetryPolicy,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
  type Sleep,
  shouldRetry,
  sleep,
} from "./retry.js";
export {
  type AkSkCredentials,
  formatSdkDate,
  parseAuthorization,
  parseSdkDate,
  type SignableRequest,
  signRequest,
  signString,
  stringToSign,
} from "./signer.js";
export { createCoreFetch } from "./transport.js";
