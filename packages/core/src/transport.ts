import type { ErrorCode } from "@geminidb-sessions/validation";
import { type AttemptSignal, attemptSignal, type SignalLike } from "./attempt-signal.js";
import { BodyReadError, bufferedResponse, EXCHANGE, type Exchange, type ExchangeAnswer } from "./buffered-response.js";
import { AkSkProviderSource, type CredentialSource, TokenSource, tokenAtHand } from "./credentials.js";
import { errorFromResponse, oneLine, snippet } from "./error-response.js";
import {
  AbortError,
  ApiError,
  ConnectionError,
  GeminiDbError,
  InvalidResponseError,
  ResponseTooLargeError,
  TimeoutError,
  ValidationError,
} from "./errors.js";
import { emitLog } from "./logger.js";
import { checkBodyWith, type PreparedCall, pathParametersOf } from "./operation-call.js";
import {
  CALL_OPTION_NAMES,
  type CallOptions,
  type CoreOptions,
  callRetryHook,
  callRetryPolicy,
  type FetchLike,
  type ResolvedCoreOptions,
  type RetryHook,
  type RetryInfo,
  resolveCoreOptions,
} from "./options.js";
import { type HeadersLike, redactHeaders, scrubSecrets } from "./redact.js";
import { retryDelay, shouldRetry } from "./retry.js";
import type { AkSkCredentials } from "./signer.js";
import { signRequest } from "./signer.js";
import { PROJECT_HEADER, TOKEN_HEADER } from "./signing-profile.js";
import { decoder, encoder } from "./text.js";

/** The catalog code the gateway answers (with 401) for a refused token or signature; typed so it must stay in the catalog. */
const REFUSED_CREDENTIALS_CODE: ErrorCode = "APIGW.0301";

/** Browsers (and their workers) forbid or ignore a script-set User-Agent. */
function isBrowserLike(): boolean {
  const scope = globalThis as { document?: unknown; importScripts?: unknown };
  return typeof scope.document !== "undefined" || typeof scope.importScripts === "function";
}

function abortError(signal: SignalLike): AbortError {
  return new AbortError(undefined, { cause: signal.reason });
}

/**
 * Settles like `promise`, or rejects with `AbortError` the moment `signal` aborts
 * (at once if it already has). `promise` is always observed, so its own later
 * rejection is never unhandled.
 */
function untilAborted<T>(promise: Promise<T>, signal: SignalLike): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** True when `init` holds only the `RequestInit` extension keys `send` reads: a given `Request` is then sent as it is. */
function onlyCallOptions(init: RequestInit | undefined): boolean {
  if (init === undefined) return true;
  for (const key in init) if (!(CALL_OPTION_NAMES as readonly string[]).includes(key)) return false;
  return true;
}

let neverAborted: AbortSignal | undefined;
/** The signal of a call given none (made on first use: workerd forbids making one at load). */
function neverAbortedSignal(): AbortSignal {
  neverAborted ??= new AbortController().signal;
  return neverAborted;
}

/** Calls `run`, turning a synchronous throw into a rejection. */
function promiseOf<T>(run: () => Promise<T>): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** How much of a non-JSON 2xx body is looked at for the snippet in the error's message. */
const SNIPPET_SOURCE_CHARS = 8192;

/** A 2xx answer's head, for its errors: its headers are masked when first asked for (an error, a logger, a Response to build), which a method's call never does. */
class AnswerHead {
  readonly #answered: HeadersLike;
  #redacted: Record<string, string> | undefined;

  constructor(
    readonly status: number,
    readonly requestId: string | undefined,
    answered: HeadersLike,
    readonly limitBytes: number,
    readonly secrets: readonly string[],
  ) {
    this.#answered = answered;
  }

  get headers(): Record<string, string> {
    this.#redacted ??= redactHeaders(this.#answered, this.secrets);
    return this.#redacted;
  }
}

/** How a message names a 2xx answer: its status and request ID. */
function answerOf(head: AnswerHead): string {
  return `HTTP ${head.status}${head.requestId === undefined ? "" : `, request ${oneLine(head.requestId, 80)}`}`;
}

function tooLarge(head: AnswerHead, how: string): ResponseTooLargeError {
  return new ResponseTooLargeError(`${answerOf(head)}: the body ${how} maxResponseBytes (${head.limitBytes} bytes); reading stopped.`, {
    status: head.status,
    requestId: head.requestId,
    headers: head.headers,
    limitBytes: head.limitBytes,
  });
}

/** Reads a 2xx body, at most `limitBytes` of it. Throws `ResponseTooLargeError` past the cap. */
async function readBounded(response: Response, head: AnswerHead): Promise<Uint8Array<ArrayBuffer> | undefined> {
  // No body at all (HEAD, 204, 304): nothing to read, whatever Content-Length says.
  if (response.body === null) return undefined;
  const declared = response.headers.get("content-length");
  if (declared !== null && /^\s*\d+\s*$/.test(declared) && Number(declared) > head.limitBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(head, `declares ${Number(declared)} bytes, more than`);
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read().catch((error: unknown) => {
      throw typedBodyFailure(error, head);
    });
    if (done) return chunks.length === 1 ? (chunks[0] as Uint8Array<ArrayBuffer>) : concat(chunks, bytes);
    bytes += value.byteLength;
    if (bytes > head.limitBytes) {
      chunks.length = 0;
      await reader.cancel().catch(() => {});
      throw tooLarge(head, "is larger than");
    }
    chunks.push(value);
  }
}

/** createNodeFetch's body past its cap (as it arrived, or once decoded: a small gzip can inflate without bound) is a `ResponseTooLargeError`; any other failure stays as it is. */
function typedBodyFailure(error: unknown, head: AnswerHead): unknown {
  return error instanceof BodyReadError && error.tooLarge ? tooLarge(head, "is larger than") : error;
}

/**
 * A 2xx answer as the transport hands it on: the body read (bounded) and checked to be JSON
 * (or empty), headers with credentials masked (lower-case names), and the request ID.
 */
export interface TransportAnswer {
  status: number;
  statusText: string;
  /** The answer's headers, credentials masked. */
  headers: Record<string, string>;
  /** `X-Request-Id`, credentials masked. */
  requestId: string | undefined;
  /** The body's bytes; undefined when it was empty. */
  body: Uint8Array | undefined;
  /** The body parsed as JSON; undefined when it was empty. */
  parsed: { value: unknown } | undefined;
  url: string;
}

/** Checks a 2xx body: JSON or empty (a non-JSON body is an `InvalidResponseError`). */
function checkedBody(head: AnswerHead, body: Uint8Array | undefined): { value: unknown } | undefined {
  if (body === undefined || body.byteLength === 0) return undefined;
  const text = decoder.decode(body);
  try {
    return { value: JSON.parse(text) };
  } catch {
    const where = answerOf(head);
    throw new InvalidResponseError(
      `${where}: the body is not JSON: ${snippet(scrubSecrets(text.slice(0, SNIPPET_SOURCE_CHARS), head.secrets, { truncated: text.length > SNIPPET_SOURCE_CHARS }))}`,
      { status: head.status, requestId: head.requestId, headers: head.headers },
    );
  }
}

/** The `Response` `createCoreFetch` hands back for a 2xx answer: it holds the body, `Content-Length` saying its bytes; its first `json()` returns the value already parsed. */
function responseOf(answer: TransportAnswer): Response {
  const headers = new Headers(answer.headers);
  headers.delete("content-encoding");
  headers.delete("transfer-encoding");
  headers.set("content-length", String(answer.body?.byteLength ?? 0));
  const init = { status: answer.status, statusText: answer.statusText, headers };
  const out =
    answer.body === undefined || answer.body.byteLength === 0
      ? new Response(null, init)
      : bufferedResponse(answer.body as Uint8Array<ArrayBuffer>, init, answer.parsed);
  Object.defineProperty(out, "url", { value: answer.url, configurable: true });
  return out;
}

function concat(chunks: readonly Uint8Array[], bytes: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** A short description of a network failure (undici puts the system error code in `cause`). */
function describeNetworkFailure(cause: unknown): string {
  if (!(cause instanceof Error)) return "the request failed";
  const inner = cause.cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof inner?.code === "string" ? ` (${inner.code})` : "";
  return `${cause.message}${code}`;
}

/**
 * Adds the credential to `headers` (lower-case names) and returns what a provider gave (the token, the
 * temporary AK/SK), if one did. A token at hand (a fixed one, or a provider's cached one) is added at once,
 * without a promise: the common call waits for nothing here.
 */
function authenticate(
  credentials: CredentialSource,
  request: { method: string; url: string; body: Uint8Array | undefined },
  headers: Record<string, string>,
  options: ResolvedCoreOptions,
  attempt: AttemptSignal,
): string | Promise<string | AkSkCredentials | undefined> {
  if (credentials instanceof TokenSource) {
    const atHand = tokenAtHand(credentials);
    if (atHand !== undefined) {
      headers[TOKEN_NAME] = atHand;
      return atHand;
    }
    // Only a provider's call can need ending.
    return untilAborted(credentials.token(attempt.signal), attempt.light).then((token) => {
      headers[TOKEN_NAME] = token;
      return token;
    });
  }
  return sign(credentials, request, headers, options, attempt);
}

async function sign(
  credentials: Exclude<CredentialSource, TokenSource>,
  request: { method: string; url: string; body: Uint8Array | undefined },
  headers: Record<string, string>,
  options: ResolvedCoreOptions,
  attempt: AttemptSignal,
): Promise<AkSkCredentials | undefined> {
  const provided =
    credentials instanceof AkSkProviderSource
      ? await untilAborted(credentials.credentials(attempt.signal, options.now), attempt.light)
      : undefined;
  const projectId = headers[PROJECT_NAME] ?? options.projectId;
  const added = await signRequest(
    { method: request.method, url: request.url, headers, ...(request.body === undefined ? {} : { body: request.body }) },
    provided ?? (credentials as Exclude<CredentialSource, TokenSource | AkSkProviderSource>).toCredentials(),
    { date: new Date(options.now()), ...(projectId === undefined ? {} : { projectId }) },
  );
  // fetch derives Host from the URL (the same value that was signed); browsers forbid setting it.
  for (const name in added) if (name.toLowerCase() !== "host") headers[name.toLowerCase()] = added[name] as string;
  return provided;
}

const TOKEN_NAME = TOKEN_HEADER.toLowerCase();
const PROJECT_NAME = PROJECT_HEADER.toLowerCase();

/**
 * Tells each hook about a retry about to be waited for. A hook only observes: its return value
 * is not awaited, and a throw or a rejected promise is ignored, like a throwing logger's.
 */
function tellRetry(hooks: readonly (RetryHook | undefined)[], info: RetryInfo): void {
  for (const hook of hooks) {
    if (hook === undefined) continue;
    try {
      const returned: unknown = hook({ ...info });
      if (typeof (returned as PromiseLike<unknown> | undefined)?.then === "function") {
        Promise.resolve(returned).catch(() => {});
      }
    } catch {
      // A broken hook must not break the call it describes.
    }
  }
}

/**
 * A retryable `ApiError` the call gives up on says how many attempts were made (a timeout or
 * connection error already names its attempt).
 */
function gaveUp(failure: GeminiDbError, attempts: number, why: string | undefined): GeminiDbError {
  if (failure instanceof ApiError) {
    failure.attempts = attempts;
    failure.message += ` after ${attempts} attempt${attempts === 1 ? "" : "s"}${why === undefined ? "" : ` (${why})`}`;
  }
  return failure;
}

/** Drops what a provider gave after the gateway refused it; true when the provider will be asked again. */
function invalidate(credentials: CredentialSource, used: string | AkSkCredentials): boolean {
  if (credentials instanceof TokenSource) return typeof used === "string" && credentials.invalidate(used);
  if (credentials instanceof AkSkProviderSource) return typeof used === "object" && credentials.invalidate(used);
  return false;
}

/**
 * The transport both clients share: a `fetch` that sends each request to the
 * configured endpoint with
 * - `User-Agent` set to `userAgent` (skipped in browsers, which forbid it);
 * - the credential: `X-Auth-Token`, or an SDK-HMAC-SHA256 signature over the
 *   exact final URL, headers and body, made again for every attempt with a fresh
 *   `X-Sdk-Date` (`X-Project-Id` is the request's own header if it has one, else
 *   `projectId`);
 * - a per-attempt timeout (`timeoutMs`), combined with the request's `signal`;
 *   `init.timeoutMs` and `init.maxRetries` (a `RequestInit` extension) override the
 *   client's for that request only, and `init.onRetry` is told of its retries after the
 *   client's `onRetry`;
 * - retries with backoff for connection errors, timeouts, 429, 500/502/503/504
 *   and the catalog's retryable codes, honoring `Retry-After` (never less than the
 *   backoff, all waits within `backoff.maxTotalDelayMs`); a 401 `APIGW.0301` asks a
 *   token provider (or an AK/SK provider) for new credentials and sends once more;
 * - `redirect: "manual"`, so a credential never follows a redirect.
 * A 2xx body is read within the attempt's timeout, at most `maxResponseBytes` of
 * it, and must be JSON (or empty); the `Response` returned holds it, with echoed
 * credentials masked in its headers. A 2xx whose body stalls or breaks off is sent
 * again only when `safeToResend` says so (GET and HEAD by default). Everything
 * else throws: `ApiError` subclasses for other statuses, `ResponseTooLargeError`,
 * `InvalidResponseError`, `ConnectionError`, `TimeoutError`, `AbortError`,
 * `ValidationError` (a URL outside the endpoint, a malformed token from a
 * provider), `CredentialsError`.
 *
 * @example
 * const coreFetch = createCoreFetch({ region: "cn-north-4", projectId, credentials: { token } });
 * const client = createClient<paths>({ baseUrl: resolveCoreOptions(options).endpoint, fetch: coreFetch });
 */
export function createCoreFetch(options: CoreOptions | ResolvedCoreOptions): FetchLike {
  const resolved = resolveCoreOptions(options);
  return (input, init) => send(resolved, input, init);
}

async function send(options: ResolvedCoreOptions, input: Request | string | URL, init: RequestInit | undefined): Promise<Response> {
  let request: Request;
  if (input instanceof Request && onlyCallOptions(init)) {
    // The Request openapi-fetch (or a caller) built is used as it is, not copied: fetch would consume its body too.
    if (input.bodyUsed) throw new ValidationError("request", "format", "has a body that was already read; a request can be sent once");
    request = input;
  } else {
    try {
      request = new Request(input, init);
    } catch {
      throw new ValidationError("request", "format", "could not be built from the given URL and init (bad URL, method or body)");
    }
  }
  const signal = request.signal;
  if (signal.aborted) throw abortError(signal);
  const body = request.body === null ? undefined : new Uint8Array(await untilAborted(request.arrayBuffer(), signal));
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // A RequestInit extension: `timeoutMs` / `maxRetries` / `onRetry` in `init` apply to this request only.
  return responseOf(await transportCall(options, { method: request.method, url: request.url, headers, body, signal }, init));
}

/** A request as the transport takes it. */
export interface TransportRequest {
  method: string;
  /** The absolute URL, on the configured endpoint. */
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array | undefined;
  /** Ends the call at once, also while it waits to retry. */
  signal?: AbortSignal | undefined;
  /**
   * The path's parameters by spec name (`{ project_id, instance_id }`), which an error message names.
   * When not given, `transportCall` reads them from the URL's path (an error answer only).
   */
  pathParameters?: Readonly<Record<string, string>> | undefined;
}

/**
 * The transport `createCoreFetch` wraps, with the request and the answer as plain parts (no
 * `Request`, `Headers` or `Response` to build): what the clients' methods call. Same
 * guarantees: every attempt authenticated, timed out, retried and redacted as described at
 * `createCoreFetch`; a 2xx resolves with its checked body, anything else throws a typed error.
 * `callOptions` (`timeoutMs` / `maxRetries` / `onRetry`) apply to this request only.
 */
export function transportCall(
  options: ResolvedCoreOptions,
  request: TransportRequest,
  callOptions?: CallOptions | RequestInit,
): Promise<TransportAnswer> {
  return callTransport(options, request, callOptions, pathParametersOf);
}

/**
 * `transportCall`, with the lookup of an error's path parameters (when the request gives none) passed
 * in: `sendCall` always gives them, and passes none, so a bundle of one operation does not carry the
 * path patterns of every operation that `pathParametersOf` reads.
 */
async function callTransport(
  options: ResolvedCoreOptions,
  request: TransportRequest,
  callOptions: CallOptions | RequestInit | undefined,
  pathsOf?: (method: string, pathname: string) => Record<string, string> | undefined,
): Promise<TransportAnswer> {
  const retry = callRetryPolicy(options.retry, callOptions);
  const callHook = callRetryHook(callOptions);
  const url = new URL(request.url);
  if (url.origin !== options.endpoint) {
    throw new ValidationError("url", "origin", "must be on the configured endpoint; credentials are sent nowhere else");
  }
  const { signal, body } = request;
  if (signal?.aborted) throw abortError(signal);
  const { credentials, logger } = options;
  const fetchImpl = options.fetch;
  const exchange = (fetchImpl as { [EXCHANGE]?: Exchange })[EXCHANGE];
  /** What log lines name (made only for one). */
  const target = () => `${request.method} ${url.origin}${url.pathname}`;
  const userAgent = options.userAgent !== undefined && !isBrowserLike() ? options.userAgent : undefined;
  // Names in lower case, as fetch's Headers keeps them (a name given twice in different case: the last value).
  const requestHeaders: Record<string, string> = {};
  for (const name in request.headers) requestHeaders[name.toLowerCase()] = request.headers[name] as string;

  let resendable: boolean;
  try {
    resendable = options.safeToResend({ method: request.method, url: url.href }) === true;
  } catch {
    resendable = false;
  }

  let retries = 0;
  let waitedMs = 0;
  let refreshedToken = false;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortError(signal);
    const headers = { ...requestHeaders };
    if (userAgent !== undefined) headers["user-agent"] = userAgent;
    const timeoutMessage = () => `No response within ${retry.timeoutMs} ms (attempt ${attempt} of at most ${retry.maxRetries + 1}).`;
    // The timeout also bounds a slow token provider and reading the body, so nothing can hang forever.
    const attemptSig = attemptSignal(
      signal,
      retry.timeoutMs,
      () => new TimeoutError(timeoutMessage(), { timeoutMs: retry.timeoutMs, attempts: attempt }),
    );
    const started = options.now();

    let failure: GeminiDbError;
    /** What a credential provider gave for this attempt (refused with 401 APIGW.0301: asked again once). */
    let usedToken: string | AkSkCredentials | undefined;
    /** Set once a 2xx head arrived: a failure after that means the service may already have acted. */
    let successStatus: number | undefined;
    try {
      const authenticated = authenticate(credentials, { method: request.method, url: url.href, body }, headers, options, attemptSig);
      usedToken = typeof authenticated === "string" ? authenticated : await authenticated;
      if (logger !== undefined) {
        emitLog(logger, "debug", `request ${target()} (attempt ${attempt})`, {
          method: request.method,
          url: url.href,
          attempt,
          headers: redactHeaders(headers, credentials.secrets()),
        });
      }
      // An exchange's answer (the common case on Node: no Response built), else a Response to read.
      const exchanged = exchange?.({
        url,
        method: request.method,
        headers,
        body,
        signal: attemptSig.light,
        limitBytes: options.maxResponseBytes,
      });
      const parts: ExchangeAnswer | undefined = exchanged === undefined ? undefined : await exchanged;
      const response: Response | undefined =
        parts !== undefined
          ? undefined
          : await fetchImpl(url.href, {
              method: request.method,
              headers: new Headers(headers),
              ...(body === undefined ? {} : { body: body as Uint8Array<ArrayBuffer> }),
              signal: attemptSig.signal,
              redirect: "manual",
            });
      const status = parts?.status ?? (response as Response).status;
      const secrets = credentials.secrets();
      const requestId =
        parts === undefined ? ((response as Response).headers.get("x-request-id") ?? undefined) : parts.headers["x-request-id"];
      const shownRequestId = requestId === undefined ? undefined : scrubSecrets(requestId, secrets);
      if (status >= 200 && status <= 299) {
        successStatus = status;
        const answered = parts?.headers ?? (response as Response).headers;
        const head = new AnswerHead(status, shownRequestId, answered, options.maxResponseBytes, secrets);
        if (logger !== undefined) {
          emitLog(logger, "debug", `response ${status} ${target()}`, {
            status,
            requestId: shownRequestId,
            durationMs: options.now() - started,
            headers: head.headers,
          });
        }
        const read =
          parts === undefined
            ? await readBounded(response as Response, head)
            : await parts.body.catch((error: unknown) => {
                // An exchange stops at maxResponseBytes itself; its failure is typed here.
                throw typedBodyFailure(error, head);
              });
        attemptSig.dispose();
        return {
          status,
          statusText: scrubSecrets(parts?.statusText ?? (response as Response).statusText, secrets),
          get headers() {
            return head.headers;
          },
          requestId: shownRequestId,
          body: read,
          parsed: checkedBody(head, read),
          url: (response as Response | undefined)?.url || url.href,
        };
      }
      // Errors are rare: an exchange's answer is read through the same Response path.
      const failed = response ?? (parts as ExchangeAnswer).response();
      const error = await errorFromResponse(failed, {
        now: options.now,
        secrets,
        pathParameters: request.pathParameters ?? pathsOf?.(request.method, url.pathname),
      });
      attemptSig.dispose();
      if (signal?.aborted) throw abortError(signal);
      emitLog(logger, "debug", `response ${status} ${target()}`, {
        status,
        code: error.code,
        requestId: error.requestId,
        durationMs: options.now() - started,
        headers: error.headers,
      });
      if (
        error.status === 401 &&
        error.code === REFUSED_CREDENTIALS_CODE &&
        usedToken !== undefined &&
        !refreshedToken &&
        invalidate(credentials, usedToken)
      ) {
        refreshedToken = true;
        const what = credentials instanceof TokenSource ? "token refused" : "signature refused";
        const provider = credentials instanceof TokenSource ? "token provider" : "AK/SK provider";
        emitLog(logger, "info", `${what} (${REFUSED_CREDENTIALS_CODE}); asking the ${provider} again`, {
          requestId: error.requestId,
        });
        continue;
      }
      failure = error;
    } catch (cause) {
      attemptSig.dispose();
      if (signal?.aborted) throw abortError(signal);
      if (cause instanceof GeminiDbError && !attemptSig.timedOut) throw cause;
      /** The attempt's failure: a `TimeoutError` when its timeout ended it, else a `ConnectionError`. */
      const attemptFailure = (message: string): GeminiDbError =>
        attemptSig.timedOut
          ? new TimeoutError(message, { timeoutMs: retry.timeoutMs, attempts: attempt })
          : new ConnectionError(message, { attempts: attempt, cause });
      if (successStatus !== undefined) {
        const what = attemptSig.timedOut
          ? `did not finish within ${retry.timeoutMs} ms`
          : `broke off (${scrubSecrets(describeNetworkFailure(cause), credentials.secrets())})`;
        const said = `HTTP ${successStatus} arrived but its body ${what} (attempt ${attempt})`;
        if (!resendable)
          throw attemptFailure(
            `${said}; not sent again: ${request.method} may already have taken effect, and safeToResend does not allow resending it.`,
          );
        failure = attemptFailure(`${said}.`);
      } else {
        failure = attemptFailure(
          attemptSig.timedOut
            ? timeoutMessage()
            : scrubSecrets(`Could not reach ${url.origin}: ${describeNetworkFailure(cause)} (attempt ${attempt}).`, credentials.secrets()),
        );
      }
    }

    if (!shouldRetry(failure)) throw failure;
    if (retries >= retry.maxRetries) throw gaveUp(failure, attempt, retry.maxRetries === 0 ? "retries are off" : undefined);
    const delayMs = retryDelay(failure, retries, retry, options.random);
    // The waits of one call share one budget: a server asking for long waits again and again cannot hold the caller.
    if (waitedMs + delayMs > retry.maxTotalDelayMs) {
      emitLog(
        logger,
        "info",
        `not retrying ${target()}: waiting ${delayMs} ms more would pass backoff.maxTotalDelayMs (${retry.maxTotalDelayMs} ms)`,
        {
          delayMs,
          waitedMs,
        },
      );
      throw gaveUp(failure, attempt, `the next wait, ${delayMs} ms, would pass backoff.maxTotalDelayMs`);
    }
    waitedMs += delayMs;
    retries++;
    const reason = failure instanceof ApiError ? (failure.code ?? `HTTP ${failure.status}`) : failure.name;
    emitLog(logger, "info", `retrying ${target()} in ${delayMs} ms (retry ${retries} of ${retry.maxRetries})`, { reason, delayMs });
    tellRetry([options.onRetry, callHook], { attempt, delayMs, reason, error: failure, method: request.method, url: url.href });
    const slept = promiseOf(() => options.sleep(delayMs, signal ?? neverAbortedSignal()));
    await (signal === undefined ? slept : untilAborted(slept, signal));
  }
}

/**
 * Sends a call `prepareCall` checked and laid out, through `transportCall`: its path, query and
 * header parameters and its JSON body, exactly as openapi-fetch sends them. Resolves with the
 * success body, checked against the operation's schema (an empty body stands for `{}`), and
 * the request ID; anything else throws a typed error.
 *
 * @example
 * const { data, requestId } = await sendCall(options, prepareCall("listInstanceSessions", { instanceId }, options, "myClient"));
 */
export async function sendCall(
  options: ResolvedCoreOptions,
  call: PreparedCall,
  signal?: AbortSignal,
): Promise<{ data: unknown; requestId: string | undefined }> {
  // transportCall takes header names in any case.
  const headers = call.body === undefined ? call.headers : { ...call.headers, "content-type": "application/json" };
  // A call built by hand rather than by prepareCall / prepareOperationCall could lack the checks its answer needs.
  if (typeof call.checks?.input !== "function")
    throw new ValidationError("call", "required", "must come from prepareCall or prepareOperationCall (it has no checks)");
  const body = call.body === undefined ? undefined : encoder.encode(JSON.stringify(call.body));
  const { operation } = call;
  const url = `${options.endpoint}${call.target}`;
  const answer = await callTransport(
    options,
    { method: operation.method, url, headers, body, signal, pathParameters: call.path },
    call.callOptions,
  );
  const data = checkBodyWith(
    call.checks,
    operation,
    answer.parsed === undefined ? {} : answer.parsed.value,
    answer.status,
    answer.requestId,
  );
  return { data, requestId: answer.requestId };
}
