import { type ErrorCode, errorAdvice, type ValidationIssue } from "@geminidb-sessions/validation";

/**
 * The base class of every error this library throws. Branch on the subclass
 * (`instanceof`) or on `ApiError#code`, never on message text.
 *
 * @example
 * try { await call(); } catch (err) { if (err instanceof GeminiDbError) console.log(err.name); }
 */
export class GeminiDbError extends Error {
  /** The class's name, a literal type in each subclass (`"NotFoundError"`, ...). */
  override name: GeminiDbErrorName = "GeminiDbError";
}

/** The `name` of an `ApiError` or one of its subclasses. */
export type ApiErrorName =
  | "ApiError"
  | "BadRequestError"
  | "AuthenticationError"
  | "PermissionDeniedError"
  | "NotFoundError"
  | "ConflictError"
  | "PayloadTooLargeError"
  | "RateLimitError"
  | "ServerError";

/** The `name` of every error this library throws. */
export type GeminiDbErrorName =
  | "GeminiDbError"
  | "ValidationError"
  | "CredentialsError"
  | "ResponseTooLargeError"
  | "InvalidResponseError"
  | "ConnectionError"
  | "TimeoutError"
  | "AbortError"
  | ApiErrorName;

/**
 * An input (an ID, a credential, an option) was refused before any request was sent.
 *
 * @example
 * if (err instanceof ValidationError) console.log(err.field, err.rule); // "projectId" "pattern"
 */
export class ValidationError extends GeminiDbError {
  override name = "ValidationError" as const;
  /** The option or parameter at fault, e.g. `projectId` or `credentials.secretKey`. */
  readonly field: string;
  /** The rule it broke, e.g. `pattern`, `required`, `type`. */
  readonly rule: string;
  /** Every problem found, first one first. */
  readonly issues: readonly ValidationIssue[];

  /** `message` may already start with `field:` (the validation package's messages do); it is not repeated. */
  constructor(field: string, rule: string, message: string, issues?: readonly ValidationIssue[]) {
    const full = message.startsWith(`${field}:`) ? message : `${field}: ${message}`;
    super(full);
    this.field = field;
    this.rule = rule;
    this.issues = issues ?? [{ path: field, message: full, rule }];
  }
}

/**
 * A credential source failed: a token provider threw or returned nothing usable.
 * `cause` is a copy of what the provider threw with every token this client
 * knows masked (its name, message, `code`, stack and nested causes kept), and the
 * message repeats the cause's masked text.
 */
export class CredentialsError extends GeminiDbError {
  override name = "CredentialsError" as const;
}

/** What the 2xx-body errors carry: where the answer came from. */
export interface ResponseErrorInit {
  status: number;
  requestId?: string | undefined;
  /** The response headers, credentials masked. */
  headers?: Record<string, string>;
}

/**
 * The service answered 2xx with a body larger than `maxResponseBytes` (declared
 * in `Content-Length`, or counted while reading: reading stops at the cap). Not retried.
 *
 * @example
 * if (err instanceof ResponseTooLargeError) console.log(`over ${err.limitBytes} bytes`);
 */
export class ResponseTooLargeError extends GeminiDbError {
  override name = "ResponseTooLargeError" as const;
  readonly retryable = false;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly headers: Record<string, string>;
  /** The cap that was reached (`maxResponseBytes`). */
  readonly limitBytes: number;
  constructor(message: string, init: ResponseErrorInit & { limitBytes: number }) {
    super(message);
    this.status = init.status;
    this.requestId = init.requestId;
    this.headers = init.headers ?? {};
    this.limitBytes = init.limitBytes;
  }
}

/**
 * The service answered 2xx with a body that is not what the spec says the operation
 * answers: not JSON (a proxy's or captive portal's page, say; the message quotes a short
 * one-line snippet, credentials masked), or JSON that fails the success schema (`issues`
 * says where). Not retried: the same request gets the same answer.
 *
 * @example
 * if (err instanceof InvalidResponseError) console.log(err.status, err.requestId);
 */
export class InvalidResponseError extends GeminiDbError {
  override name = "InvalidResponseError" as const;
  readonly retryable = false;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly headers: Record<string, string>;
  /** Where the body departs from the success schema; empty when it is not JSON at all. */
  readonly issues: readonly ValidationIssue[];
  constructor(message: string, init: ResponseErrorInit & { issues?: readonly ValidationIssue[] }) {
    super(message);
    this.status = init.status;
    this.requestId = init.requestId;
    this.headers = init.headers ?? {};
    this.issues = init.issues ?? [];
  }
}

/** What `ApiError`'s constructor needs; `errorFromResponse` fills it from a response. */
export interface ApiErrorInit {
  status: number;
  code?: string | undefined;
  message: string;
  requestId?: string | undefined;
  headers?: Record<string, string>;
  rawBody?: string;
  retryAfterMs?: number | undefined;
}

/** Whether a status is worth retrying when the body names no catalog code for it. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** The catalog's entry for `code`, without the service's message (which no error reads, so no bundle carries it). */
type CatalogEntry = (typeof errorAdvice)[ErrorCode];

function catalogEntry(code: string | undefined): CatalogEntry | undefined {
  if (code === undefined || !Object.hasOwn(errorAdvice, code)) return undefined;
  return errorAdvice[code as ErrorCode];
}

/**
 * The service (or its gateway) answered with a non-2xx status. `code` is the
 * body's error code (one of the spec's catalog, or any other string the service
 * may add later); `retryable`, `meaning` and `remedy` come from the catalog.
 *
 * @example
 * if (err instanceof ApiError && err.code === "DBS.200002") console.log("no such instance", err.requestId);
 */
export class ApiError extends GeminiDbError {
  override name: ApiErrorName = "ApiError";
  /** The HTTP status. */
  readonly status: number;
  /** The error code from the body (`error_code` or `error.code`), when there was one. */
  readonly code: ErrorCode | (string & {}) | undefined;
  /** `X-Request-Id` of the response (or the body's `request_id`): quote it to support. */
  readonly requestId: string | undefined;
  /** The response headers, lower-case names; credential headers and any echoed credential masked. */
  readonly headers: Record<string, string>;
  /** The response body as text (at most 64 KiB), with any credential of this client masked. */
  readonly rawBody: string;
  /** Whether calling again can help: the catalog's flag for a known code at this status, else by status. */
  readonly retryable: boolean;
  /** What the catalog says the code means, for known codes. */
  readonly meaning: string | undefined;
  /** What the catalog says to do about it, for known codes. */
  readonly remedy: string | undefined;
  /** How long `Retry-After` asked to wait, in milliseconds, when the response had one. */
  readonly retryAfterMs: number | undefined;
  /** How many attempts the call made before this error was thrown (1 when it was not retried). */
  attempts = 1;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.headers = init.headers ?? {};
    this.rawBody = init.rawBody ?? "";
    this.retryAfterMs = init.retryAfterMs;
    const entry = catalogEntry(init.code);
    this.meaning = entry?.meaning;
    this.remedy = entry?.remedy;
    const listed = entry !== undefined && (entry.statuses as readonly number[]).includes(init.status);
    // A code may be retryable at some of its statuses only (`retryableStatuses`, e.g. APIGW.0201 at 502 and 504).
    const retryableAt = entry !== undefined && "retryableStatuses" in entry ? (entry.retryableStatuses as readonly number[]) : [];
    this.retryable = listed ? entry.retryable || retryableAt.includes(init.status) : isRetryableStatus(init.status);
  }
}

/** 400: the request is malformed or a parameter is wrong. */
export class BadRequestError extends ApiError {
  override name = "BadRequestError" as const;
}
/** 401: the token or the AK/SK signature was refused. */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError" as const;
}
/** 403: the caller may not do this, or the instance's state forbids it now. */
export class PermissionDeniedError extends ApiError {
  override name = "PermissionDeniedError" as const;
}
/** 404: no such instance, node or API. */
export class NotFoundError extends ApiError {
  override name = "NotFoundError" as const;
}
/** 409: the request conflicts with the instance's current state. */
export class ConflictError extends ApiError {
  override name = "ConflictError" as const;
}
/** 413: the request is too large for the gateway. */
export class PayloadTooLargeError extends ApiError {
  override name = "PayloadTooLargeError" as const;
}
/** 429: throttled; `retryAfterMs` says how long the service asked to wait. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError" as const;
}
/** 5xx: the service or its gateway failed. */
export class ServerError extends ApiError {
  override name = "ServerError" as const;
}

/** The `ApiError` subclass for a status (the base class for statuses without one). */
export function apiErrorClassFor(status: number): typeof ApiError {
  switch (status) {
    case 400:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 413:
      return PayloadTooLargeError;
    case 429:
      return RateLimitError;
    default:
      return status >= 500 && status <= 599 ? ServerError : ApiError;
  }
}

/** No response arrived: DNS, refused or reset connection, TLS failure. Retried by default. */
export class ConnectionError extends GeminiDbError {
  override name = "ConnectionError" as const;
  readonly retryable = true;
  /** How many attempts were made before giving up. */
  readonly attempts: number;
  constructor(message: string, options: { attempts: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.attempts = options.attempts;
  }
}

/**
 * An attempt took longer than `timeoutMs`, and no further attempt was allowed:
 * every attempt timed out, or a 2xx answer's body stalled on a request that is
 * not sent again (see `safeToResend`); the message says which.
 */
export class TimeoutError extends GeminiDbError {
  override name = "TimeoutError" as const;
  readonly retryable = true;
  /** The per-attempt timeout that elapsed. */
  readonly timeoutMs: number;
  /** How many attempts were made before giving up. */
  readonly attempts: number;
  constructor(message: string, options: { timeoutMs: number; attempts: number }) {
    super(message);
    this.timeoutMs = options.timeoutMs;
    this.attempts = options.attempts;
  }
}

/** The caller's `AbortSignal` fired; the call stopped at once. `cause` is the signal's reason. */
export class AbortError extends GeminiDbError {
  override name = "AbortError" as const;
  readonly retryable = false;
  constructor(message = "The request was aborted by the caller.", options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}
