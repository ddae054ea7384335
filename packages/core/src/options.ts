import type { Region } from "@geminidb-sessions/validation";
import { EXCHANGE, type Exchange } from "./buffered-response.js";
import { type CredentialSource, type Credentials, protectCredentials } from "./credentials.js";
import { resolveEndpoint } from "./endpoint.js";
import { type GeminiDbError, ValidationError } from "./errors.js";
import { checkProjectId, refuseUnknownKeys } from "./input-checks.js";
import type { Logger } from "./logger.js";
import { inspectWith } from "./redact.js";
import { defaultRetryPolicy, sleep as defaultSleep, type RetryPolicy, type Sleep } from "./retry.js";

/** The faster transport a runtime's entry point offers (Node's: node:http keep-alive), made once per client. */
let platformFetch: ((maxResponseBytes: number) => FetchLike) | undefined;
/** `globalThis.fetch` as core found it: one replaced later (a mock, an instrumented fetch) takes precedence. */
const bootFetch: unknown = globalThis.fetch;

/**
 * The `fetch` of a client given none, where no entry point offers a platform transport (browsers,
 * workers, Deno, Bun): `globalThis.fetch`, looked up at call time, so a fetch installed (or mocked)
 * after the client was created is used.
 */
let defaultFetch =
  (_maxResponseBytes: number): FetchLike =>
  (input, init) =>
    globalThis.fetch(input, init);

/**
 * Set by the Node.js entry point (`index.node.ts`): the transport used when a client is given no `fetch`.
 * Only that entry calls it, so only its bundles carry `platformDefaultFetch`.
 */
export function usePlatformFetch(make: (maxResponseBytes: number) => FetchLike): void {
  platformFetch = make;
  defaultFetch = platformDefaultFetch;
}

/**
 * The `fetch` of a client given none, on a platform with its own transport: that transport, made on
 * first use, unless `globalThis.fetch` was replaced since core loaded; looked up at call time, so a
 * fetch installed (or mocked) after the client was created is used.
 */
function platformDefaultFetch(maxResponseBytes: number): FetchLike {
  let own: FetchLike | undefined;
  /** The platform's transport, or undefined when the global fetch is to be used. */
  const platform = (): FetchLike | undefined => {
    const global = globalThis.fetch;
    if (platformFetch === undefined || (global !== bootFetch && typeof global === "function")) return undefined;
    own ??= platformFetch(maxResponseBytes);
    return own;
  };
  const exchange: Exchange = (request) => (platform() as { [EXCHANGE]?: Exchange } | undefined)?.[EXCHANGE]?.(request);
  return Object.assign((input: Request | string | URL, init?: RequestInit) => (platform() ?? globalThis.fetch)(input, init), {
    [EXCHANGE]: exchange,
  });
}

/** A `fetch`-compatible function: the global `fetch`, undici's, a test double, a proxy-aware one. */
export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** The largest `maxRetries` accepted: more would only hammer a failing service. */
export const MAX_RETRIES_LIMIT = 10;
/** The largest `timeoutMs` accepted: what `setTimeout` can wait (about 24.8 days). */
export const MAX_TIMEOUT_MS = 2_147_483_647;
/**
 * The default cap on a 2xx body: 16 MiB. The largest legitimate answer is an
 * instance's whole session list (every node's sessions, unpaginated); a session
 * (the fields of one `CLIENT LIST` line) takes about 170 bytes of JSON, so 16 MiB
 * holds some 98 000 sessions. A node's page (at most 100 sessions) and the other
 * answers are tiny. A larger instance needs a larger `maxResponseBytes`, or the
 * per-node paginated list.
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = 16 * 1024 * 1024;
/** The largest `maxResponseBytes` accepted: 1 GiB. */
export const MAX_RESPONSE_BYTES_LIMIT: number = 1024 * 1024 * 1024;

/** A request as `safeToResend` sees it. */
export interface ResendQuestion {
  /** The HTTP method, upper case. */
  method: string;
  /** The full request URL. */
  url: string;
}

/**
 * The default `safeToResend`: only `GET` and `HEAD`, which read and change
 * nothing. The closes are not resent: their 2xx already says the service took
 * the close, and that repeating one changes nothing more is the project's
 * modelling, not a vendor promise.
 */
export function readOnlyMethod(request: ResendQuestion): boolean {
  return request.method === "GET" || request.method === "HEAD";
}

/**
 * What `onRetry` is told, once before each wait for a retry: a plain object holding no
 * credential (the error's message, headers and body are masked like every error's).
 */
export interface RetryInfo {
  /** The attempt that failed, counting from 1 (the first request); the retry is attempt `attempt + 1`. */
  attempt: number;
  /** How long the call now waits before the retry, in ms (the backoff, or the service's `Retry-After`). */
  delayMs: number;
  /**
   * Why: the service's error code (`APIGW.0308`, `DBS.200019`), `HTTP <status>` (`HTTP 503`)
   * when it sent none, or the error's name (`TimeoutError`, `ConnectionError`).
   */
  reason: string;
  /** The error the attempt failed with: what the call throws if it has no retry left. */
  error: GeminiDbError;
  /** The request's method, upper case. */
  method: string;
  /** The request's full URL (a token or signature never travels in it, only in headers). */
  url: string;
}

/**
 * Told before each wait for a retry (see `RetryInfo`); settable on the client and per call.
 * It observes and cannot steer: what it returns is not awaited, and what it throws (or a
 * promise it returns rejects with) is ignored, as a throwing `logger` is, so it never fails
 * or delays the call. End a call early with its `signal`.
 */
export type RetryHook = (info: RetryInfo) => void;

/**
 * The options both clients take (the client packages add their own on top).
 *
 * @example
 * const options: CoreOptions = { region: "cn-north-4", projectId, credentials: { token: process.env.TOKEN ?? "" } };
 */
export interface CoreOptions {
  /** The project ID for the request path (and `X-Project-Id` on AK/SK requests). 32 lower-case hex characters. */
  projectId?: string | undefined;
  /**
   * A region the spec lists, e.g. `cn-north-4` (the type is the spec's list, so a typo does not
   * compile). Ignored when `endpoint` is set. A region string from elsewhere (a flag, a file):
   * check it with `isKnownRegion`, or let `optionsFromEnv` read it.
   */
  region?: Region | undefined;
  /** An explicit origin, e.g. `https://gaussdb-nosql.cn-north-4.myhuaweicloud.com` or `http://127.0.0.1:8080`. Overrides `region`. */
  endpoint?: string | undefined;
  /** An IAM token (string or async provider), or an AK/SK pair (with a security token for temporary credentials). */
  credentials: Credentials;
  /** Retries after the first attempt. Default 2; 0 turns retries off; at most 10. */
  maxRetries?: number | undefined;
  /** How long one attempt may take, in ms, from sending to the end of the body. Default 30 000. */
  timeoutMs?: number | undefined;
  /** The largest 2xx body read, in bytes; a larger one throws `ResponseTooLargeError`. Default 16 MiB; 1 to 1 GiB. */
  maxResponseBytes?: number | undefined;
  /**
   * Whether a request may be sent again when a 2xx answer arrived but its body
   * stalled or broke off (the service may already have acted on it). Default
   * `readOnlyMethod`: GET and HEAD only. A client can answer per operation
   * (e.g. from the spec's operations table).
   */
  safeToResend?: ((request: ResendQuestion) => boolean) | undefined;
  /**
   * The `fetch` to send requests with. Default: on Node.js, core's keep-alive transport on
   * node:http (`createNodeFetch` from `@geminidb-sessions/core/node`, several times cheaper per
   * call than Node's global `fetch`); everywhere else `globalThis.fetch`. A `globalThis.fetch`
   * replaced after core loaded (a mock, an instrumented fetch) is used instead, looked up at
   * call time. Pass `fetch: globalThis.fetch` (or undici's, a proxy-aware one) to choose.
   */
  fetch?: FetchLike | undefined;
  /** Receives request/response lines with credentials masked. Default: nothing is logged. */
  logger?: Logger | undefined;
  /**
   * Called once before each wait for a retry, with a plain `RetryInfo` object: the attempt that
   * failed, the wait (`delayMs`), the `reason` (error code, `HTTP <status>` or error name), the
   * `error` (credentials masked, as every error's are), `method` and `url`. For counting, logging
   * or showing retries without parsing `logger` lines. A call can pass its own `onRetry` too (next
   * to `timeoutMs` / `maxRetries`); it is called after this one. It observes only: it is called
   * synchronously and not awaited, and a throw (or a rejected promise it returns) is caught and
   * ignored, as a throwing `logger` is, so it can neither fail nor delay the call; end a call
   * with its `signal`. Not called when no retry follows (success, a non-retryable error, the
   * last attempt, the wait budget spent). Default: none.
   */
  onRetry?: RetryHook | undefined;
  /** Allow `http://` to a host that is not loopback. Default false. */
  allowInsecureHttp?: boolean | undefined;
  /** The `User-Agent` to send, e.g. `@geminidb-sessions/client/0.1.0` (not set in browsers, which forbid it). */
  userAgent?: string | undefined;
  /** Advanced: backoff tuning (ms). Defaults: base 500, cap 8 000, longest Retry-After honored 60 000, all waits of a call together 60 000. */
  backoff?:
    | {
        baseDelayMs?: number | undefined;
        maxDelayMs?: number | undefined;
        maxRetryAfterMs?: number | undefined;
        maxTotalDelayMs?: number | undefined;
      }
    | undefined;
  /** For tests: the clock (ms since the epoch), the sleep between retries and the jitter source. */
  runtime?: { now?: (() => number) | undefined; sleep?: Sleep | undefined; random?: (() => number) | undefined } | undefined;
}

/** Options after `resolveCoreOptions`: checked, defaults applied, credentials wrapped so they never print. */
export class ResolvedCoreOptions {
  /** The origin requests go to, without a trailing slash. */
  readonly endpoint: string;
  readonly projectId: string | undefined;
  readonly credentials: CredentialSource;
  readonly retry: Readonly<RetryPolicy>;
  readonly maxResponseBytes: number;
  readonly safeToResend: (request: ResendQuestion) => boolean;
  readonly fetch: FetchLike;
  readonly logger: Logger | undefined;
  /** The client-wide `onRetry`, if one was given. */
  readonly onRetry: RetryHook | undefined;
  readonly userAgent: string | undefined;
  readonly now: () => number;
  readonly sleep: Sleep;
  readonly random: () => number;

  /** @internal Use `resolveCoreOptions`. */
  constructor(fields: Omit<ResolvedCoreOptions, "toJSON">) {
    this.endpoint = fields.endpoint;
    this.projectId = fields.projectId;
    this.credentials = fields.credentials;
    this.retry = fields.retry;
    this.maxResponseBytes = fields.maxResponseBytes;
    this.safeToResend = fields.safeToResend;
    this.fetch = fields.fetch;
    this.logger = fields.logger;
    this.onRetry = fields.onRetry;
    this.userAgent = fields.userAgent;
    this.now = fields.now;
    this.sleep = fields.sleep;
    this.random = fields.random;
    Object.freeze(this);
  }

  /** A safe summary: credentials render as `***`, functions are left out. */
  toJSON(): Record<string, unknown> {
    return {
      endpoint: this.endpoint,
      projectId: this.projectId,
      credentials: this.credentials.toJSON(),
      maxRetries: this.retry.maxRetries,
      timeoutMs: this.retry.timeoutMs,
      maxResponseBytes: this.maxResponseBytes,
      userAgent: this.userAgent,
    };
  }
}
inspectWith(ResolvedCoreOptions, function (this: ResolvedCoreOptions) {
  return `ResolvedCoreOptions ${JSON.stringify(this.toJSON())}`;
});

function fail(field: string, rule: string, message: string): never {
  throw new ValidationError(field, rule, message);
}

function optionalNumber(value: unknown, field: string, fallback: number, min: number, max: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value)) fail(field, "type", "must be a number");
  if (integer && !Number.isInteger(value)) fail(field, "integer", "must be a whole number");
  if (value < min || value > max) fail(field, "range", `must be between ${min} and ${max}`);
  return value;
}

function optionalFunction<T>(value: unknown, field: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "function") fail(field, "type", "must be a function");
  return value as T;
}

/** Every option `CoreOptions` has, for the unknown-option check. */
export const CORE_OPTION_NAMES: readonly (keyof CoreOptions)[] = Object.freeze([
  "projectId",
  "region",
  "endpoint",
  "credentials",
  "maxRetries",
  "timeoutMs",
  "maxResponseBytes",
  "safeToResend",
  "fetch",
  "logger",
  "onRetry",
  "allowInsecureHttp",
  "userAgent",
  "backoff",
  "runtime",
]);
const BACKOFF_OPTION_NAMES = ["baseDelayMs", "maxDelayMs", "maxRetryAfterMs", "maxTotalDelayMs"] as const;
const RUNTIME_OPTION_NAMES = ["now", "sleep", "random"] as const;

/**
 * What one call may override of the client's options, as openai-node and the AWS SDK allow:
 * `timeoutMs` (per attempt) and `maxRetries`, checked like the client-wide options; and an
 * `onRetry` of the call's own.
 */
export interface CallOptions {
  /** How long one attempt of this call may take, in ms. Default: the client's `timeoutMs`. */
  timeoutMs?: number | undefined;
  /** Retries of this call after its first attempt (0 to 10). Default: the client's `maxRetries`. */
  maxRetries?: number | undefined;
  /**
   * Told before each wait for a retry of this call, after the client's `onRetry` (if any), e.g.
   * to tie retries to what the call was about. Same rules as the client option: not awaited, and
   * a throw is ignored.
   */
  onRetry?: RetryHook | undefined;
}

/** The names of `CallOptions`. */
export const CALL_OPTION_NAMES: readonly (keyof CallOptions)[] = Object.freeze(["timeoutMs", "maxRetries", "onRetry"]);

/**
 * The `onRetry` of one call, read from `overrides` (which may hold other keys, such as a
 * `RequestInit`'s). Throws `ValidationError` (field `onRetry`, rule `type`) when it is set
 * and not a function.
 */
export function callRetryHook(overrides: unknown): RetryHook | undefined {
  if (typeof overrides !== "object" || overrides === null) return undefined;
  return optionalFunction<RetryHook>((overrides as CallOptions).onRetry, "onRetry");
}

/**
 * The retry policy of one call: `base` with the call's own `timeoutMs` / `maxRetries`
 * (read from `overrides`, which may hold other keys, such as a `RequestInit`'s). Throws
 * `ValidationError` naming the option for a value out of range.
 */
export function callRetryPolicy(base: Readonly<RetryPolicy>, overrides: unknown): Readonly<RetryPolicy> {
  if (typeof overrides !== "object" || overrides === null) return base;
  const { timeoutMs, maxRetries } = overrides as CallOptions;
  if (timeoutMs === undefined && maxRetries === undefined) return base;
  return Object.freeze({
    ...base,
    maxRetries: optionalNumber(maxRetries, "maxRetries", base.maxRetries, 0, MAX_RETRIES_LIMIT, true),
    timeoutMs: optionalNumber(timeoutMs, "timeoutMs", base.timeoutMs, 1, MAX_TIMEOUT_MS, false),
  });
}

/**
 * Checks every option before any I/O and applies the defaults. Throws
 * `ValidationError` whose `field` names the option (`credentials.secretKey`,
 * `projectId`, `region`, `endpoint`, `timeoutMs`, …) and whose message never
 * repeats a credential. An option it does not know (`timeout` for `timeoutMs`) is refused
 * (rule `unknown`), suggesting the closest known one. Resolved options pass through unchanged.
 *
 * @example
 * const resolved = resolveCoreOptions({ region: "cn-north-4", credentials: { token } });
 * resolved.endpoint; // "https://gaussdb-nosql.cn-north-4.myhuaweicloud.com"
 */
export function resolveCoreOptions(
  options: CoreOptions | ResolvedCoreOptions,
  /** Options a client adds on top of `CoreOptions` (e.g. `middleware`), accepted and left to it. */
  extraOptionNames: readonly string[] = [],
): ResolvedCoreOptions {
  if (options instanceof ResolvedCoreOptions) return options;
  if (typeof options !== "object" || options === null) fail("options", "type", "must be an object");
  refuseUnknownKeys(options, [...CORE_OPTION_NAMES, ...extraOptionNames]);
  const credentials = protectCredentials(options.credentials, "credentials");
  const projectId = options.projectId === undefined ? undefined : checkProjectId(options.projectId, "projectId");
  if (options.allowInsecureHttp !== undefined && typeof options.allowInsecureHttp !== "boolean") {
    fail("allowInsecureHttp", "type", "must be a boolean");
  }
  const endpoint = resolveEndpoint({ region: options.region, endpoint: options.endpoint, allowInsecureHttp: options.allowInsecureHttp });

  const backoff = options.backoff ?? {};
  if (typeof backoff !== "object" || backoff === null) fail("backoff", "type", "must be an object");
  refuseUnknownKeys(backoff, BACKOFF_OPTION_NAMES, "backoff.");
  const retry: RetryPolicy = Object.freeze({
    maxRetries: optionalNumber(options.maxRetries, "maxRetries", defaultRetryPolicy.maxRetries, 0, MAX_RETRIES_LIMIT, true),
    timeoutMs: optionalNumber(options.timeoutMs, "timeoutMs", defaultRetryPolicy.timeoutMs, 1, MAX_TIMEOUT_MS, false),
    // baseDelayMs, maxDelayMs, maxRetryAfterMs, maxTotalDelayMs: each checked alike, in that order.
    ...(Object.fromEntries(
      BACKOFF_OPTION_NAMES.map((name) => [
        name,
        optionalNumber(backoff[name], `backoff.${name}`, defaultRetryPolicy[name], 0, MAX_TIMEOUT_MS, false),
      ]),
    ) as Record<(typeof BACKOFF_OPTION_NAMES)[number], number>),
  });
  const maxResponseBytes = optionalNumber(
    options.maxResponseBytes,
    "maxResponseBytes",
    DEFAULT_MAX_RESPONSE_BYTES,
    1,
    MAX_RESPONSE_BYTES_LIMIT,
    true,
  );
  const safeToResend = optionalFunction<(request: ResendQuestion) => boolean>(options.safeToResend, "safeToResend") ?? readOnlyMethod;

  const customFetch = optionalFunction<FetchLike>(options.fetch, "fetch");
  if (customFetch === undefined && platformFetch === undefined && typeof globalThis.fetch !== "function")
    fail("fetch", "required", "this runtime has no global fetch; pass one");
  const fetchImpl: FetchLike = customFetch ?? defaultFetch(maxResponseBytes);

  const onRetry = optionalFunction<RetryHook>(options.onRetry, "onRetry");
  const logger = options.logger;
  if (logger !== undefined && typeof logger !== "function" && (typeof logger !== "object" || logger === null)) {
    fail("logger", "type", "must be a function or an object with debug/info/warn/error methods");
  }
  const userAgent = options.userAgent;
  if (userAgent !== undefined && (typeof userAgent !== "string" || !/^[\x20-\x7e]+$/.test(userAgent))) {
    fail("userAgent", "pattern", "must be printable ASCII");
  }

  const runtime = options.runtime ?? {};
  if (typeof runtime !== "object" || runtime === null) fail("runtime", "type", "must be an object");
  refuseUnknownKeys(runtime, RUNTIME_OPTION_NAMES, "runtime.");
  return new ResolvedCoreOptions({
    endpoint,
    projectId,
    credentials,
    retry,
    maxResponseBytes,
    safeToResend,
    fetch: fetchImpl,
    logger,
    onRetry,
    userAgent,
    now: optionalFunction<() => number>(runtime.now, "runtime.now") ?? Date.now,
    sleep: optionalFunction<Sleep>(runtime.sleep, "runtime.sleep") ?? defaultSleep,
    random: optionalFunction<() => number>(runtime.random, "runtime.random") ?? Math.random,
  });
}
