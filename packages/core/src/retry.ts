import { AbortError, ApiError, ConnectionError, TimeoutError } from "./errors.js";

/** How many times to retry, how long each attempt may take and how long to wait in between. */
export interface RetryPolicy {
  /** Retries after the first attempt (so at most `maxRetries + 1` requests). Default 2. */
  maxRetries: number;
  /** How long one attempt may take, from sending to the end of an error body. Default 30 000 ms. */
  timeoutMs: number;
  /** The first backoff ceiling; it doubles each retry. Default 500 ms. */
  baseDelayMs: number;
  /** The largest backoff ceiling. Default 8 000 ms. */
  maxDelayMs: number;
  /** The longest `Retry-After` wait honored; a longer one is cut to this. Default 60 000 ms. */
  maxRetryAfterMs: number;
  /**
   * The most one call may spend waiting between retries, all waits together.
   * When the next wait would pass it, the call gives up with the last error. Default 60 000 ms.
   */
  maxTotalDelayMs: number;
}

/** The defaults: 2 retries, 30 s per attempt, full-jitter backoff from 500 ms to 8 s, Retry-After up to 60 s, 60 s of waits in all. */
export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 2,
  timeoutMs: 30_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  maxTotalDelayMs: 60_000,
});

/**
 * Exponential backoff with full jitter: a uniformly random wait between 0 and
 * `min(maxDelayMs, baseDelayMs * 2^retry)`, where `retry` counts from 0.
 *
 * @example
 * backoffDelay(0, defaultRetryPolicy, () => 0.5); // 250
 */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * A `Retry-After` value in milliseconds: delay-seconds (`"2"`) or an HTTP date
 * (a date in the past gives 0). Undefined when absent or unreadable.
 *
 * @example
 * parseRetryAfter("2", Date.now()); // 2000
 * parseRetryAfter("Sat, 28 Nov 2026 09:30:10 GMT", Date.parse("2026-11-28T09:30:00Z")); // 10000
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date (RFC 9110: IMF-fixdate, RFC 850 or asctime) names its month; Date.parse alone would take "1.5" or "-5".
  if (!/\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Whether an error from one attempt is worth another: connection failures, timeouts and retryable API errors. */
export function shouldRetry(error: unknown): boolean {
  if (error instanceof ConnectionError || error instanceof TimeoutError) return true;
  return error instanceof ApiError && error.retryable;
}

/**
 * How long to wait before retry number `retry` (from 0): the normal backoff, or
 * the server's `Retry-After` (cut to `maxRetryAfterMs`) when that is longer, so
 * a `Retry-After: 0` or a date in the past never makes retries back to back.
 *
 * @example
 * retryDelay(rateLimitErrorWithRetryAfter0, 0, defaultRetryPolicy, () => 0.5); // 250
 */
export function retryDelay(
  error: unknown,
  retry: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs" | "maxRetryAfterMs">,
  random: () => number,
): number {
  const backoff = backoffDelay(retry, policy, random);
  if (error instanceof ApiError && error.retryAfterMs !== undefined)
    return Math.max(backoff, Math.min(error.retryAfterMs, policy.maxRetryAfterMs));
  return backoff;
}

/** Waits `ms`, or rejects with `AbortError` as soon as `signal` aborts (also when it already has). */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** The default `Sleep`, on `setTimeout`. */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(new AbortError(undefined, { cause: signal.reason }));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError(undefined, { cause: signal.reason }));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
