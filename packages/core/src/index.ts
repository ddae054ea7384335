// The names both client flavours re-export are listed once, in public-surface.ts; the rest of core's API follows.
export type { ValidationIssue } from "@geminidb-sessions/validation";
export {
  AKSK_REFRESH_MARGIN_MS,
  type AkSkProviderCredentials,
  AkSkProviderSource,
  AkSkSource,
  type CredentialSource,
  protectCredentials,
  type StaticAkSkCredentials,
  type TokenCredentials,
  type TokenProvider,
  TokenSource,
} from "./credentials.js";
export { sha256Hex } from "./crypto.js";
export { type EndpointOptions, isLoopbackHost, regionEndpoint, resolveEndpoint } from "./endpoint.js";
export type { EnvOptions } from "./environment.js";
export { type ErrorFromResponseOptions, errorFromResponse } from "./error-response.js";
export { type ApiErrorInit, type ApiErrorName, apiErrorClassFor, isRetryableStatus, type ResponseErrorInit } from "./errors.js";
export { checkInstanceId, checkProjectId, closestName, refuseUnknownKeys } from "./input-checks.js";
export type { LogDetails, LogLevel } from "./logger.js";
export {
  checkSuccessBody,
  checkWireCall,
  type Operation,
  operationAt,
  operationById,
  type PreparedCall,
  paginate,
  prepareCall,
  prepareOperationCall,
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
  readOnlyMethod,
  resolveCoreOptions,
} from "./options.js";
export * from "./public-surface.js";
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
export { createCoreFetch, sendCall, type TransportAnswer, type TransportRequest, transportCall } from "./transport.js";
