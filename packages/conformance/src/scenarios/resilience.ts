import { AbortError, ConnectionError, RateLimitError, ServerError, TimeoutError } from "@geminidb-sessions/core";
import type { Scenario } from "../scenario.js";

/** Longest latency a fault can add: the request hangs until the client gives up. */
const hangMs = 60_000;
const backendDown = { type: "error", code: "APIGW.0201", status: 502 } as const;

/** Retries, Retry-After, timeouts, dropped connections and aborts. */
export const resilienceScenarios: Scenario[] = [
  {
    name: "502 then 200: retried once with backoff, then succeeds",
    faults: [{ first: 1, effect: backendDown }],
    expected: { result: "resolved", requests: 2, sessionsLeft: 0 },
  },
  {
    name: "502 with Retry-After: 2, then 200: waits what the server asked",
    faults: [{ first: 1, effect: { ...backendDown, retryAfter: 2 } }],
    expected: { result: "resolved", requests: 2, waits: [2000] },
  },
  {
    name: "429 with Retry-After: 3, then 200",
    faults: [{ first: 1, effect: { type: "throttle", retryAfter: 3 } }],
    expected: { result: "resolved", requests: 2, waits: [3000], sessionsLeft: 0 },
  },
  {
    name: "429 on every attempt: RateLimitError after maxRetries, each wait from Retry-After",
    faults: [{ effect: { type: "throttle", retryAfter: 1 } }],
    expected: {
      result: "rejected",
      errorClass: RateLimitError.name,
      status: 429,
      code: "APIGW.0308",
      retryAfterMs: 1000,
      requests: 3,
      waits: [1000, 1000],
    },
  },
  {
    name: "429 with a Retry-After beyond the cap waits only the cap",
    faults: [{ first: 1, effect: { type: "throttle", retryAfter: 3600 } }],
    expected: { result: "resolved", requests: 2, waits: [60_000] },
  },
  {
    name: "429 with Retry-After as an HTTP date far ahead waits only the cap",
    faults: [{ first: 1, effect: { type: "throttle", retryAfter: "Fri, 31 Dec 2100 23:59:59 GMT" } }],
    expected: { result: "resolved", requests: 2, waits: [60_000] },
  },
  {
    name: "a custom fetch option carries every attempt, the retry included",
    options: (run) => ({
      fetch: (input, init) => {
        run.count("fetchCalls");
        return fetch(input, init);
      },
    }),
    faults: [{ first: 1, effect: backendDown }],
    expected: { result: "resolved", requests: 2, notes: { fetchCalls: 2 }, sessionsLeft: 0 },
  },
  {
    name: "onRetry is told of each retry (attempt, wait, reason, error), not of the success",
    options: (run) => ({
      onRetry: ({ attempt, delayMs, reason, error, method }) => {
        run.count("onRetry");
        run.count(`onRetry ${attempt} ${method} ${reason} ${error.name} ${delayMs}`);
      },
    }),
    faults: [{ first: 2, effect: backendDown }],
    expected: {
      result: "resolved",
      requests: 3,
      waits: [250, 500],
      notes: { onRetry: 2, "onRetry 1 DELETE APIGW.0201 ServerError 250": 1, "onRetry 2 DELETE APIGW.0201 ServerError 500": 1 },
    },
  },
  {
    name: "maxRetries: 0 sends once",
    options: () => ({ maxRetries: 0 }),
    faults: [{ effect: backendDown }],
    expected: { result: "rejected", errorClass: ServerError.name, requests: 1, waits: [] },
  },
  {
    name: "maxRetries: 4 sends five times",
    options: () => ({ maxRetries: 4 }),
    faults: [{ effect: backendDown }],
    expected: { result: "rejected", errorClass: ServerError.name, requests: 5 },
  },
  {
    name: "a connection reset on every attempt: ConnectionError",
    faults: [{ effect: { type: "reset" } }],
    expected: { result: "rejected", errorClass: ConnectionError.name, attempts: 3, requests: 3 },
  },
  {
    name: "a connection reset, then 200",
    faults: [{ first: 1, effect: { type: "reset" } }],
    expected: { result: "resolved", requests: 2, sessionsLeft: 0 },
  },
  {
    name: "a server that hangs on every attempt: TimeoutError",
    // Long enough for each attempt to reach the server even on a loaded machine.
    options: () => ({ timeoutMs: 1_000, maxRetries: 1 }),
    faults: [{ effect: { type: "latency", ms: hangMs } }],
    expected: { result: "rejected", errorClass: TimeoutError.name, attempts: 2, requests: 2 },
  },
  {
    name: "a hung first attempt times out, the retry succeeds",
    // Long enough for the retry to be answered even on a loaded machine.
    options: () => ({ timeoutMs: 1_000 }),
    faults: [{ nth: 1, effect: { type: "latency", ms: hangMs } }],
    expected: { result: "resolved", requests: 2, sessionsLeft: 0 },
  },
  {
    name: "a signal aborted before the call: AbortError, nothing sent",
    abort: "before-call",
    expected: { result: "rejected", errorClass: AbortError.name, requests: 0, sessionsLeft: 12 },
  },
  {
    name: "an abort while the request is in flight: AbortError, no retry",
    abort: "in-flight",
    faults: [{ effect: { type: "latency", ms: hangMs } }],
    expected: { result: "rejected", errorClass: AbortError.name, requests: 1 },
  },
  {
    name: "an abort while waiting to retry: AbortError, nothing more sent",
    abort: "waiting-to-retry",
    faults: [{ effect: backendDown }],
    expected: { result: "rejected", errorClass: AbortError.name, requests: 1 },
  },
];
