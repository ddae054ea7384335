import { describe, expect, it, vi } from "vitest";
import {
  AbortError,
  ApiError,
  backoffDelay,
  ConnectionError,
  defaultRetryPolicy,
  parseRetryAfter,
  shouldRetry,
  sleep,
  TimeoutError,
  ValidationError,
} from "../src/index.js";

// The pure parts of the retry rule, one table. What a caller sees of them (the waits, the attempts,
// Retry-After honoured, capped and floored, the total budget) is tested through the transport in
// transport-retry.test.ts; which codes are retryable at which status is ApiError's (errors.test.ts).

const now = Date.parse("2026-11-28T09:30:00Z");
const max = () => 0.999999;
const rows: Array<[string, unknown, unknown]> = [
  // Full jitter under a ceiling that doubles from 500 ms and stops at 8 s.
  [
    "backoffDelay: the ceilings",
    [0, 1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, defaultRetryPolicy, max)),
    [499, 999, 1999, 3999, 7999, 7999, 7999],
  ],
  ["backoffDelay: random 0", backoffDelay(3, defaultRetryPolicy, () => 0), 0],
  ["backoffDelay: random 0.5", backoffDelay(1, defaultRetryPolicy, () => 0.5), 500],
  // Delay-seconds and HTTP dates; what it cannot read is undefined.
  ["parseRetryAfter: 0", parseRetryAfter("0", now), 0],
  ["parseRetryAfter: seconds, blanks around", parseRetryAfter(" 120 ", now), 120_000],
  ["parseRetryAfter: a date", parseRetryAfter("Sat, 28 Nov 2026 09:30:30 GMT", now), 30_000],
  ["parseRetryAfter: a date in the past", parseRetryAfter("Sat, 28 Nov 2026 09:00:00 GMT", now), 0],
  ...[null, undefined, "", "soon", "-5", "1.5", "Nov 99:99"].map((value): [string, unknown, unknown] => [
    `parseRetryAfter: ${JSON.stringify(value)}`,
    parseRetryAfter(value, now),
    undefined,
  ]),
  // Connection errors, timeouts and retryable API errors only.
  ["shouldRetry: ConnectionError", shouldRetry(new ConnectionError("x", { attempts: 1 })), true],
  ["shouldRetry: TimeoutError", shouldRetry(new TimeoutError("x", { timeoutMs: 1, attempts: 1 })), true],
  ["shouldRetry: a retryable ApiError", shouldRetry(new ApiError({ status: 503, message: "x" })), true],
  ["shouldRetry: another ApiError", shouldRetry(new ApiError({ status: 400, message: "x" })), false],
  ["shouldRetry: AbortError", shouldRetry(new AbortError()), false],
  ["shouldRetry: ValidationError", shouldRetry(new ValidationError("f", "r", "m")), false],
  ["shouldRetry: not an error of ours", shouldRetry(new TypeError("fetch failed")), false],
];

describe("backoffDelay, parseRetryAfter and shouldRetry", () => {
  for (const [name, actual, expected] of rows) it(name, () => expect(actual).toEqual(expected));
});

describe("sleep", () => {
  it("resolves after the delay", async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      const pending = sleep(1000, new AbortController().signal).then(() => {
        done = true;
      });
      await vi.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await pending;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects with AbortError as soon as the signal aborts, or at once if it already has", async () => {
    const controller = new AbortController();
    const pending = sleep(3_600_000, controller.signal);
    const reason = new Error("stop");
    controller.abort(reason);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBe(reason);
    await expect(sleep(10, controller.signal)).rejects.toBeInstanceOf(AbortError);
  });
});
