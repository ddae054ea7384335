import type { ErrorCode } from "@geminidb-sessions/validation";
import { attemptSignal } from "./attempt-signal.js";
import { BufferedResponse, TAKE_BYTES } from "./buffered-response.js";
import { AkSkProviderSource, type CredentialSource, TokenSource } from "./credentials.js";
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
import { pathParametersOf } from "./operation-call.js";
import {
  CALL_OPTION_NAMES,
  type CoreOptions,
  callRetryHook,
  callRetryPolicy,
  type FetchLike,
  type ResolvedCoreOptions,
  type RetryHook,
  type RetryInfo,
  resolveCoreOptions,
} from "./options.js";
import { redactHeaders, scrubSecrets } from "./redact.js";
import { retryDelay, shouldRetry } from "./retry.js";
import type { AkSkCredentials } from "./signer.js";
import { signRequest } from "./signer.js";
import { PROJECT_HEADER, TOKEN_HEADER } from "./signing-profile.js";

/** The catalog code the gateway answers (with 401) for a refused token or signature; typed so it must stay in the catalog. */
const REFUSED_CREDENTIALS_CODE: ErrorCode = "APIGW.0301";

/** Browsers (and their workers) forbid or ignore a script-set User-Agent. */
function isBrowserLike(): boolean {
  const scope = globalThis as { document?: unknown; importScripts?: unknown };
  return typeof scope.document !== "undefined" || typeof scope.importScripts === "function";
}

function abortError(signal: AbortSignal): AbortError {
  return new AbortError(undefined, { cause: signal.reason });
}

/**
 * Settles like `promise`, or rejects with `AbortError` the moment `signal` aborts
 * (at once if it already has). `promise` is always observed, so its own later
 * rejection is never unhandled.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
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

/** What a 2xx answer carried, for its errors. */
interface SuccessHead {
  status: number;
  requestId: string | undefined;
  headers: Record<string, string>;
  limitBytes: number;
  secrets: readonly string[];
}

function tooLarge(head: SuccessHead, how: string): ResponseTooLargeError {
  return new ResponseTooLargeError(
    `HTTP ${head.status}${head.requestId === undefined ? "" : `, request ${oneLine(head.requestId, 80)}`}: the body ${how} maxResponseBytes (${head.limitBytes} bytes); reading stopped.`,
    { status: head.status, requestId: head.requestId, headers: head.headers, limitBytes: head.limitBytes },
  );
}

/** Reads a 2xx body, at most `limitBytes` of it: the chunks as they came. Throws `ResponseTooLargeError` past the cap. */
async function readBounded(response: Response, head: SuccessHead): Promise<{ chunks: Uint8Array[]; bytes: number }> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  // A body already in memory (createNodeFetch's): taken as it is, no stream made.
  const held = (response as Partial<BufferedResponse>)[TAKE_BYTES]?.();
  if (held !== undefined) {
    if (held.byteLength > head.limitBytes) throw tooLarge(head, "is larger than");
    return held.byteLength === 0 ? { chunks, bytes } : { chunks: [held], bytes: held.byteLength };
  }
  // No body at all (HEAD, 204, 304): nothing to read, whatever Content-Length says.
  if (response.body === null) return { chunks, bytes };
  const declared = response.headers.get("content-length");
  if (declared !== null && /^\s*\d+\s*$/.test(declared) && Number(declared) > head.limitBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(head, `declares ${Number(declared)} bytes, more than`);
  }
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { chunks, bytes };
    bytes += value.byteLength;
    if (bytes > head.limitBytes) {
      chunks.length = 0;
      await reader.cancel().catch(() => {});
      throw tooLarge(head, "is larger than");
    }
    chunks.push(value);
  }
}

/**
 * The 2xx answer handed back: the body read (bounded) and checked to be JSON
 * (or empty), headers with credentials masked, `Content-Length` saying the
 * bytes it holds. Its first `json()` returns the value already parsed (no second parse).
 */
function replay(response: Response, head: SuccessHead, chunks: Uint8Array[], bytes: number): Response {
  let parsed: { value: unknown } | undefined;
  const body = bytes === 0 ? undefined : chunks.length === 1 ? (chunks[0] as Uint8Array<ArrayBuffer>) : concat(chunks, bytes);
  if (body !== undefined) {
    const text = decoder.decode(body);
    try {
      parsed = { value: JSON.parse(text) };
    } catch {
      const where = `HTTP ${head.status}${head.requestId === undefined ? "" : `, request ${oneLine(head.requestId, 80)}`}`;
      throw new InvalidResponseError(
        `${where}: the body is not JSON: ${snippet(scrubSecrets(text.slice(0, SNIPPET_SOURCE_CHARS), head.secrets, { truncated: text.length > SNIPPET_SOURCE_CHARS }))}`,
        {
          status: head.status,
          requestId: head.requestId,
          headers: head.headers,
        },
      );
    }
  }
  const headers = new Headers(head.headers);
  headers.delete("content-encoding");
  headers.delete("transfer-encoding");
  headers.set("content-length", String(bytes));
  const init = { status: response.status, statusText: response.statusText, headers };
  const out = body === undefined ? new Response(null, init) : new BufferedResponse(body, init, parsed);
  Object.defineProperty(out, "url", { value: response.url, configurable: true });
  return out;
}

const decoder = new TextDecoder();

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

/** Adds the credential to `headers` and returns what a provider gave (the token, the temporary AK/SK), if one did. */
async function authenticate(
  credentials: CredentialSource,
  request: { method: string; url: string; body: Uint8Array | undefined },
  headers: Headers,
  options: ResolvedCoreOptions,
  signal: AbortSignal,
): Promise<string | AkSkCredentials | undefined> {
  if (credentials instanceof TokenSource) {
    const token = await untilAborted(credentials.token(signal), signal);
    headers.set(TOKEN_HEADER, token);
    return token;
  }
  const provided =
    credentials instanceof AkSkProviderSource ? await untilAborted(credentials.credentials(signal, options.now), signal) : undefined;
  const projectId = headers.get(PROJECT_HEADER) ?? options.projectId;
  const plain: Record<string, string> = {};
  headers.forEach((value, name) => {
    plain[name] = value;
  });
  const added = await signRequest(
    { method: request.method, url: request.url, headers: plain, ...(request.body === undefined ? {} : { body: request.body }) },
    provided ?? (credentials as Exclude<CredentialSource, TokenSource | AkSkProviderSource>).toCredentials(),
    { date: new Date(options.now()), ...(projectId === undefined ? {} : { projectId }) },
  );
  // fetch derives Host from the URL (the same value that was signed); browsers forbid setting it.
  for (const [name, value] of Object.entries(added)) if (name.toLowerCase() !== "host") headers.set(name, value);
  return provided;
}

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
  // A RequestInit extension: `timeoutMs` / `maxRetries` / `onRetry` in `init` apply to this request only.
  const retry = callRetryPolicy(options.retry, init);
  const retryHooks = [options.onRetry, callRetryHook(init)];
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
  const url = new URL(request.url);
  if (url.origin !== options.endpoint) {
    throw new ValidationError("url", "origin", "must be on the configured endpoint; credentials are sent nowhere else");
  }
  const signal = request.signal;
  if (signal.aborted) throw abortError(signal);
  const body = request.body === null ? undefined : new Uint8Array(await untilAborted(request.arrayBuffer(), signal));
  const { credentials, logger } = options;
  const fetchImpl = options.fetch;
  const target = `${request.method} ${url.origin}${url.pathname}`;

  let resendable: boolean;
  try {
    resendable = options.safeToResend({ method: request.method, url: request.url }) === true;
  } catch {
    resendable = false;
  }

  let retries = 0;
  let waitedMs = 0;
  let refreshedToken = false;
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw abortError(signal);
    const headers = new Headers(request.headers);
    if (options.userAgent !== undefined && !isBrowserLike()) headers.set("User-Agent", options.userAgent);
    const timeoutMessage = `No response within ${retry.timeoutMs} ms (attempt ${attempt} of at most ${retry.maxRetries + 1}).`;
    // The timeout also bounds a slow token provider and reading the body, so nothing can hang forever.
    const attemptSig = attemptSignal(
      signal,
      retry.timeoutMs,
      () => new TimeoutError(timeoutMessage, { timeoutMs: retry.timeoutMs, attempts: attempt }),
    );
    const started = options.now();

    let failure: GeminiDbError;
    /** What a credential provider gave for this attempt (refused with 401 APIGW.0301: asked again once). */
    let usedToken: string | AkSkCredentials | undefined;
    /** Set once a 2xx head arrived: a failure after that means the service may already have acted. */
    let successStatus: number | undefined;
    try {
      usedToken = await authenticate(credentials, { method: request.method, url: request.url, body }, headers, options, attemptSig.signal);
      if (logger !== undefined) {
        emitLog(logger, "debug", `request ${target} (attempt ${attempt})`, {
          method: request.method,
          url: request.url,
          attempt,
          headers: redactHeaders(headers, credentials.secrets()),
        });
      }
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: attemptSig.signal,
        redirect: "manual",
      });
      const secrets = credentials.secrets();
      const requestId = response.headers.get("x-request-id") ?? undefined;
      const shownRequestId = requestId === undefined ? undefined : scrubSecrets(requestId, secrets);
      if (response.ok) {
        successStatus = response.status;
        const head: SuccessHead = {
          status: response.status,
          requestId: shownRequestId,
          headers: redactHeaders(response.headers, secrets),
          limitBytes: options.maxResponseBytes,
          secrets,
        };
        emitLog(logger, "debug", `response ${response.status} ${target}`, {
          status: response.status,
          requestId: shownRequestId,
          durationMs: options.now() - started,
          headers: head.headers,
        });
        const { chunks, bytes } = await readBounded(response, head);
        attemptSig.dispose();
        return replay(response, head, chunks, bytes);
      }
      const error = await errorFromResponse(response, {
        now: options.now,
        secrets,
        pathParameters: pathParametersOf(request.method, url.pathname),
      });
      attemptSig.dispose();
      if (signal.aborted) throw abortError(signal);
      emitLog(logger, "debug", `response ${response.status} ${target}`, {
        status: response.status,
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
      if (signal.aborted) throw abortError(signal);
      if (cause instanceof GeminiDbError && !attemptSig.timedOut) throw cause;
      if (successStatus !== undefined) {
        const what = attemptSig.timedOut
          ? `did not finish within ${retry.timeoutMs} ms`
          : `broke off (${scrubSecrets(describeNetworkFailure(cause), credentials.secrets())})`;
        const said = `HTTP ${successStatus} arrived but its body ${what} (attempt ${attempt})`;
        if (!resendable) {
          const message = `${said}; not sent again: ${request.method} may already have taken effect, and safeToResend does not allow resending it.`;
          throw attemptSig.timedOut
            ? new TimeoutError(message, { timeoutMs: retry.timeoutMs, attempts: attempt })
            : new ConnectionError(message, { attempts: attempt, cause });
        }
        failure = attemptSig.timedOut
          ? new TimeoutError(`${said}.`, { timeoutMs: retry.timeoutMs, attempts: attempt })
          : new ConnectionError(`${said}.`, { attempts: attempt, cause });
      } else if (attemptSig.timedOut) {
        failure = new TimeoutError(timeoutMessage, { timeoutMs: retry.timeoutMs, attempts: attempt });
      } else {
        const message = `Could not reach ${url.origin}: ${describeNetworkFailure(cause)} (attempt ${attempt}).`;
        failure = new ConnectionError(scrubSecrets(message, credentials.secrets()), { attempts: attempt, cause });
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
        `not retrying ${target}: waiting ${delayMs} ms more would pass backoff.maxTotalDelayMs (${retry.maxTotalDelayMs} ms)`,
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
    emitLog(logger, "info", `retrying ${target} in ${delayMs} ms (retry ${retries} of ${retry.maxRetries})`, { reason, delayMs });
    tellRetry(retryHooks, { attempt, delayMs, reason, error: failure, method: request.method, url: request.url });
    await untilAborted(
      promiseOf(() => options.sleep(delayMs, signal)),
      signal,
    );
  }
}
