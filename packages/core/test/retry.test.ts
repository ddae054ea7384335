import { describe, expect, it, vi } from "vitest";
import {
  AbortError,
  ApiError,
  backoffDelay,
  ConnectionError,
  defaultRetryPolicy,
  parseRetryAfter,
  RateLimitError,
  retryDelay,
  shouldRetry,
  sleep,
  TimeoutError,
  ValidationError,
} from "../src/index.js";

describe("backoffDelay", () => {
  it("is full jitter under a ceiling that doubles from 500 ms and stops at 8 s", () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, defaultRetryPolicy, () => 0.999999));
    expect(ceilings).toEqual([499, 999, 1999, 3999, 7999, 7999, 7999]);
    expect(backoffDelay(3, defaultRetryPolicy, () => 0)).toBe(0);
    expect(backoffDelay(1, defaultRetryPolicy, () => 0.5)).toBe(500);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-28T09:30:00Z");
  it("reads delay-seconds and HTTP dates", () => {
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfter("Sat, 28 Nov 2026 09:30:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sat, 28 Nov 2026 09:00:00 GMT", now)).toBe(0);
  });
  it("ignores what it cannot read", () => {
    for (const value of [null, undefined, "", "soon", "-5", "1.5", "Nov 99:99"]) expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe("shouldRetry and retryDelay", () => {
  it("retries connection errors, timeouts and retryable API errors only", () => {
    expect(shouldRetry(new ConnectionError("x", { attempts: 1 }))).toBe(true);
    expect(shouldRetry(new TimeoutError("x", { timeoutMs: 1, attempts: 1 }))).toBe(true);
    expect(shouldRetry(new ApiError({ status: 503, message: "x" }))).toBe(true);
    expect(shouldRetry(new ApiError({ status: 400, message: "x" }))).toBe(false);
    expect(shouldRetry(new ApiError({ status: 403, code: "DBS.200019", message: "x" }))).toBe(true);
    expect(shouldRetry(new ApiError({ status: 404, code: "APIGW.0103", message: "x" }))).toBe(false);
    expect(shouldRetry(new ApiError({ status: 400, code: "APIGW.0201", message: "x" }))).toBe(false);
    expect(shouldRetry(new ApiError({ status: 502, code: "APIGW.0201", message: "x" }))).toBe(true);
    expect(shouldRetry(new AbortError())).toBe(false);
    expect(shouldRetry(new ValidationError("f", "r", "m"))).toBe(false);
  });

  it("waits as long as Retry-After asks, up to the cap, else backs off", () => {
    const throttled = (retryAfterMs: number) => new RateLimitError({ status: 429, message: "x", retryAfterMs });
    expect(retryDelay(throttled(2000), 0, { ...defaultRetryPolicy }, () => 0.5)).toBe(2000);
    expect(retryDelay(throttled(3_600_000), 0, { ...defaultRetryPolicy }, () => 0.5)).toBe(60_000);
    expect(retryDelay(new ApiError({ status: 503, message: "x" }), 2, { ...defaultRetryPolicy }, () => 0.5)).toBe(1000);
  });
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
