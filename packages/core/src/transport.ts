import type { ErrorCode } from "@geminidb-sessions/validation";
import { attemptSignal } from "./attempt-signal.js";
import { type AkSkSource, type CredentialSource, TokenSource } from "./credentials.js";
import { errorFromResponse } from "./error-response.js";
import { AbortError, ApiError, ConnectionError, GeminiDbError, TimeoutError, ValidationError } from "./errors.js";
import { emitLog } from "./logger.js";
import { type CoreOptions, type FetchLike, type ResolvedCoreOptions, resolveCoreOptions } from "./options.js";
import { redactHeaders, scrubSecrets } from "./redact.js";
import { retryDelay, shouldRetry } from "./retry.js";
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

/** Settles like `promise`, or rejects with `AbortError` the moment `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
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

/** A short description of a network failure (undici puts the system error code in `cause`). */
function describeNetworkFailure(cause: unknown): string {
  if (!(cause instanceof Error)) return "the request failed";
  const inner = cause.cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof inner?.code === "string" ? ` (${inner.code})` : "";
  return `${cause.message}${code}`;
}

/** Adds the credential to `headers` and returns the token used, if any. */
async function authenticate(
  credentials: CredentialSource,
  request: { method: string; url: string; body: Uint8Array | undefined },
  headers: Headers,
  options: ResolvedCoreOptions,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (credentials instanceof TokenSource) {
    const token = await untilAborted(credentials.token(), signal);
    headers.set(TOKEN_HEADER, token);
    return token;
  }
  const projectId = headers.get(PROJECT_HEADER) ?? options.projectId;
  const plain: Record<string, string> = {};
  headers.forEach((value, name) => {
    plain[name] = value;
  });
  const added = await signRequest(
    { method: request.method, url: request.url, headers: plain, ...(request.body === undefined ? {} : { body: request.body }) },
    (credentials as AkSkSource).toCredentials(),
    { date: new Date(options.now()), ...(projectId === undefined ? {} : { projectId }) },
  );
  // fetch derives Host from the URL (the same value that was signed); browsers forbid setting it.
  for (const [name, value] of Object.entries(added)) if (name.toLowerCase() !== "host") headers.set(name, value);
  return undefined;
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
 * - retries with backoff for connection errors, timeouts, 429, 500/502/503/504
 *   and the catalog's retryable codes, honoring `Retry-After`; a 401
 *   `APIGW.0301` asks a token provider for a new token and sends once more;
 * - `redirect: "manual"`, so a credential never follows a redirect.
 * A 2xx `Response` is returned unchanged (its body unread). Everything else
 * throws: `ApiError` subclasses for other statuses, `ConnectionError`,
 * `TimeoutError`, `AbortError`, `ValidationError` (a URL outside the endpoint,
 * a malformed token from a provider), `CredentialsError`.
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
  try {
    request = new Request(input, init);
  } catch {
    throw new ValidationError("request", "format", "could not be built from the given URL and init (bad URL, method or body)");
  }
  const url = new URL(request.url);
  if (url.origin !== options.endpoint) {
    throw new ValidationError("url", "origin", "must be on the configured endpoint; credentials are sent nowhere else");
  }
  const signal = request.signal;
  if (signal.aborted) throw abortError(signal);
  const body = request.body === null ? undefined : new Uint8Array(await untilAborted(request.arrayBuffer(), signal));
  const { credentials, logger, retry } = options;
  const fetchImpl = options.fetch;
  const target = `${request.method} ${url.origin}${url.pathname}`;

  let retries = 0;
  let refreshedToken = false;
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw abortError(signal);
    const headers = new Headers(request.headers);
    if (options.userAgent !== undefined && !isBrowserLike()) headers.set("User-Agent", options.userAgent);
    const timeoutMessage = `No response within ${retry.timeoutMs} ms (attempt ${attempt} of at most ${retry.maxRetries + 1}).`;
    // The timeout also bounds a slow token provider, so nothing can hang forever.
    const attemptSig = attemptSignal(
      signal,
      retry.timeoutMs,
      () => new TimeoutError(timeoutMessage, { timeoutMs: retry.timeoutMs, attempts: attempt }),
    );
    const started = options.now();

    let failure: GeminiDbError;
    let usedToken: string | undefined;
    try {
      usedToken = await authenticate(credentials, { method: request.method, url: request.url, body }, headers, options, attemptSig.signal);
      emitLog(logger, "debug", `request ${target} (attempt ${attempt})`, {
        method: request.method,
        url: request.url,
        attempt,
        headers: redactHeaders(headers),
      });
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: attemptSig.signal,
        redirect: "manual",
      });
      const requestId = response.headers.get("x-request-id") ?? undefined;
      if (response.ok) {
        attemptSig.release();
        emitLog(logger, "debug", `response ${response.status} ${target}`, {
          status: response.status,
          requestId,
          durationMs: options.now() - started,
          headers: redactHeaders(response.headers),
        });
        return response;
      }
      const error = await errorFromResponse(response, { now: options.now, secrets: credentials.secrets() });
      attemptSig.dispose();
      if (signal.aborted) throw abortError(signal);
      emitLog(logger, "debug", `response ${response.status} ${target}`, {
        status: response.status,
        code: error.code,
        requestId,
        durationMs: options.now() - started,
        headers: redactHeaders(response.headers),
      });
      if (
        error.status === 401 &&
        error.code === REFUSED_CREDENTIALS_CODE &&
        usedToken !== undefined &&
        !refreshedToken &&
        (credentials as TokenSource).invalidate(usedToken)
      ) {
        refreshedToken = true;
        emitLog(logger, "info", `token refused (${REFUSED_CREDENTIALS_CODE}); asking the token provider again`, { requestId });
        continue;
      }
      failure = error;
    } catch (cause) {
      attemptSig.dispose();
      if (signal.aborted) throw abortError(signal);
      if (attemptSig.timedOut) {
        failure = new TimeoutError(timeoutMessage, { timeoutMs: retry.timeoutMs, attempts: attempt });
      } else if (cause instanceof GeminiDbError) {
        throw cause;
      } else {
        const message = `Could not reach ${url.origin}: ${describeNetworkFailure(cause)} (attempt ${attempt}).`;
        failure = new ConnectionError(scrubSecrets(message, credentials.secrets()), { attempts: attempt, cause });
      }
    }

    if (retries >= retry.maxRetries || !shouldRetry(failure)) throw failure;
    const delayMs = retryDelay(failure, retries, retry, options.random);
    retries++;
    emitLog(logger, "info", `retrying ${target} in ${delayMs} ms (retry ${retries} of ${retry.maxRetries})`, {
      reason: failure instanceof ApiError ? (failure.code ?? `HTTP ${failure.status}`) : failure.name,
      delayMs,
    });
    await untilAborted(options.sleep(delayMs, signal), signal);
  }
}
