import { countingFetch, hang, json, sequence } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import type { FetchLike } from "../src/index.js";
import {
  AbortError,
  type ApiError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type RetryInfo,
  ServerError,
  TimeoutError,
  ValidationError,
} from "../src/index.js";
import { closeSessions, coreFetchFor, recordingLogger, recordingSleep, rejectionOf, SESSIONS_PATH, useServer } from "./helpers.js";

const ctx = useServer();
const unavailable = json(503, { error: { code: "APIGW.0202", message: "Backend unavailable" } });
const throttled = (retryAfter: string) =>
  json(429, { error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached" }, { "retry-after": retryAfter });

describe("retries", () => {
  it("retries 503 then succeeds, with full-jitter backoff, handing back the successful attempt's response", async () => {
    const { server } = ctx;
    server.respondWith(sequence(unavailable, unavailable, json(200, {})));
    const { sleep, delays } = recordingSleep();
    const response = await closeSessions(coreFetchFor(server, { runtime: { sleep, random: () => 0.5 } }), server);
    expect(response.status).toBe(200);
    // The Response handed back is the successful attempt's, so its request ID is too.
    expect(response.headers.get("x-request-id")).toBe("req-200");
    expect(server.requests).toHaveLength(3);
    expect(delays).toEqual([250, 500]);
  });

  it("gives up after maxRetries + 1 attempts with the last error", async () => {
    const { server } = ctx;
    server.respondWith(unavailable);
    const { sleep, delays } = recordingSleep();
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { maxRetries: 3, runtime: { sleep, random: () => 0 } }), server));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ApiError).code).toBe("APIGW.0202");
    expect(server.requests).toHaveLength(4);
    expect(delays).toHaveLength(3);
  });

  it("does not retry when maxRetries is 0", async () => {
    const { server } = ctx;
    server.respondWith(unavailable);
    await rejectionOf(closeSessions(coreFetchFor(server, { maxRetries: 0 }), server));
    expect(server.requests).toHaveLength(1);
  });

  it("honours Retry-After as an HTTP date, against the injected clock", async () => {
    const { server } = ctx;
    const now = Date.parse("2026-11-28T09:30:00Z");
    server.respondWith(sequence(throttled("Sat, 28 Nov 2026 09:30:07 GMT"), json(200, {})));
    const { sleep, delays } = recordingSleep();
    expect((await closeSessions(coreFetchFor(server, { runtime: { sleep, now: () => now } }), server)).status).toBe(200);
    expect(delays).toEqual([7000]);
  });

  it("caps a long Retry-After at 60 s (or backoff.maxRetryAfterMs)", async () => {
    const { server } = ctx;
    server.respondWith(sequence(throttled("3600"), throttled("3600"), json(200, {})));
    const { sleep, delays } = recordingSleep();
    await closeSessions(coreFetchFor(server, { runtime: { sleep }, backoff: { maxTotalDelayMs: 120_000 } }), server);
    expect(delays).toEqual([60_000, 60_000]);
    const second = recordingSleep();
    server.respondWith(sequence(throttled("3600"), json(200, {})));
    await closeSessions(coreFetchFor(server, { runtime: { sleep: second.sleep }, backoff: { maxRetryAfterMs: 1500 } }), server);
    expect(second.delays).toEqual([1500]);
  });

  it("ends with RateLimitError carrying retryAfterMs when throttling persists", async () => {
    const { server } = ctx;
    server.respondWith(throttled("1"));
    const error = await rejectionOf(closeSessions(coreFetchFor(server), server));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(1000);
    expect(server.requests).toHaveLength(3);
  });

  it("retries by the code's catalog flag, not the status: DBS.200019 at 403 is retried, DBS.200011 at 403 is not", async () => {
    const { server } = ctx;
    server.respondWith(sequence(json(403, { error_code: "DBS.200019", error_msg: "Another operation is being performed" }), json(200, {})));
    expect((await closeSessions(coreFetchFor(server), server)).status).toBe(200);
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    server.respondWith(json(403, { error_code: "DBS.200011", error_msg: "status forbids" }));
    expect(await rejectionOf(closeSessions(coreFetchFor(server), server))).toBeInstanceOf(PermissionDeniedError);
    expect(server.requests).toHaveLength(1);
  });
});

describe("timeouts", () => {
  it("a server that never answers ends in TimeoutError after maxRetries + 1 attempts", async () => {
    const { server } = ctx;
    server.respondWith(hang());
    const counted = countingFetch();
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { timeoutMs: 50, fetch: counted.fetch }), server));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).attempts).toBe(3);
    expect((error as TimeoutError).timeoutMs).toBe(50);
    expect(counted.sent()).toBe(3);
  });

  it("still times out when the caller passes a signal of its own", async () => {
    const { server } = ctx;
    server.respondWith(hang());
    const caller = new AbortController();
    const coreFetch = coreFetchFor(server, { timeoutMs: 50, maxRetries: 0 });
    const error = await rejectionOf(closeSessions(coreFetch, server, { signal: caller.signal }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(caller.signal.aborted).toBe(false);
  });

  it("recovers when a later attempt answers", async () => {
    const { server } = ctx;
    server.respondWith(sequence(hang(), json(200, {})));
    // The hung attempt times out; the answering one must not, even on a loaded machine.
    const response = await closeSessions(coreFetchFor(server, { timeoutMs: 1_000 }), server);
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it("bounds reading a success body that stalls: the transport itself rejects", async () => {
    const { server } = ctx;
    server.respondWith((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      response.write("{");
    });
    expect(await rejectionOf(closeSessions(coreFetchFor(server, { timeoutMs: 100 }), server))).toBeInstanceOf(TimeoutError);
  });
});

describe("abort", () => {
  it("rejects at once with AbortError when the signal has already fired, sending nothing", async () => {
    const { server } = ctx;
    const reason = new Error("not needed any more");
    const error = await rejectionOf(closeSessions(coreFetchFor(server), server, { signal: AbortSignal.abort(reason) }));
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBe(reason);
    expect(server.requests).toHaveLength(0);
  });

  it("ends a request in flight with AbortError", async () => {
    const { server } = ctx;
    const controller = new AbortController();
    server.respondWith(() => controller.abort(new Error("user cancelled")));
    const error = await rejectionOf(closeSessions(coreFetchFor(server), server, { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(1);
  });

  it("ends the wait between retries at once (real sleep, long Retry-After), with no further request", async () => {
    const { server } = ctx;
    server.respondWith(throttled("60"));
    const controller = new AbortController();
    const { logger, lines } = recordingLogger();
    const coreFetch = coreFetchFor(server, {
      // The default sleep; abort right after the retry wait has started.
      runtime: {},
      logger: (level, message, details) => {
        (logger as (...args: unknown[]) => void)(level, message, details);
        if (message.startsWith("retrying")) queueMicrotask(() => controller.abort());
      },
    });
    const error = await rejectionOf(closeSessions(coreFetch, server, { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(1);
    expect(lines.some((line) => line.message.includes("in 60000 ms"))).toBe(true);
  });

  it("ends the wait even when an injected sleep ignores the signal", async () => {
    const { server } = ctx;
    server.respondWith(unavailable);
    const controller = new AbortController();
    const coreFetch = coreFetchFor(server, {
      runtime: {
        sleep: () => {
          queueMicrotask(() => controller.abort());
          return new Promise<void>(() => {});
        },
      },
    });
    expect(await rejectionOf(closeSessions(coreFetch, server, { signal: controller.signal }))).toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(1);
  });

  it("ends a slow token provider at once", async () => {
    const { server } = ctx;
    const controller = new AbortController();
    const coreFetch = coreFetchFor(server, {
      credentials: {
        token: () => {
          queueMicrotask(() => controller.abort());
          return new Promise<string>(() => {});
        },
      },
    });
    expect(await rejectionOf(closeSessions(coreFetch, server, { signal: controller.signal }))).toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("Retry-After: a floor and a total budget", () => {
  it("never waits less than the normal backoff, for `0` or a date in the past", async () => {
    const { server } = ctx;
    const now = Date.parse("2026-11-28T09:30:00Z");
    server.respondWith(sequence(throttled("0"), throttled("Sat, 28 Nov 2026 09:00:00 GMT"), json(200, {})));
    const { sleep, delays } = recordingSleep();
    const response = await closeSessions(coreFetchFor(server, { runtime: { sleep, now: () => now, random: () => 0.5 } }), server);
    expect(response.status).toBe(200);
    expect(delays).toEqual([250, 500]);
  });

  it("gives up once the waits would pass the total budget (default 60 s), with the last error", async () => {
    const { server } = ctx;
    server.respondWith(throttled("3600"));
    const { sleep, delays } = recordingSleep();
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { maxRetries: 10, runtime: { sleep } }), server));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(delays).toEqual([60_000]);
    expect(server.requests).toHaveLength(2);
  });

  it("takes the budget from backoff.maxTotalDelayMs", async () => {
    const { server } = ctx;
    server.respondWith(throttled("2"));
    const { sleep, delays } = recordingSleep();
    await rejectionOf(
      closeSessions(coreFetchFor(server, { maxRetries: 10, backoff: { maxTotalDelayMs: 5000 }, runtime: { sleep } }), server),
    );
    expect(delays).toEqual([2000, 2000]);
    expect(server.requests).toHaveLength(3);
  });

  it("an injected sleep that rejects on an aborted signal leaves no unhandled rejection", async () => {
    const { server } = ctx;
    server.respondWith(unavailable);
    const controller = new AbortController();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const coreFetch = coreFetchFor(server, {
        // Abort right before the wait starts, so the sleep is called with a signal that has already fired.
        logger: (_level, message) => {
          if (message.startsWith("retrying")) controller.abort();
        },
        runtime: {
          sleep: async (_ms, signal) => {
            if (signal.aborted) throw new Error("sleep refused: already aborted");
          },
        },
      });
      expect(await rejectionOf(closeSessions(coreFetch, server, { signal: controller.signal }))).toBeInstanceOf(AbortError);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("onRetry", () => {
  /** An onRetry that keeps what it was told. */
  function recordingHook(): { onRetry: (info: RetryInfo) => void; told: RetryInfo[] } {
    const told: RetryInfo[] = [];
    return { told, onRetry: (info) => told.push(info) };
  }

  it("is told of each retry before its wait: attempt, delayMs, reason, error, method and url", async () => {
    const { server } = ctx;
    server.respondWith(sequence(unavailable, throttled("2"), json(200, {})));
    const events: string[] = [];
    const delays: number[] = [];
    const told: RetryInfo[] = [];
    const sleep = async (ms: number) => {
      events.push(`sleep ${ms}`);
      delays.push(ms);
    };
    const onRetry = (info: RetryInfo) => {
      events.push(`onRetry ${info.delayMs}`);
      told.push(info);
    };
    const response = await closeSessions(coreFetchFor(server, { onRetry, runtime: { sleep, random: () => 0.5 } }), server);
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(3);
    const url = `${server.url}${SESSIONS_PATH}`;
    expect(told.map(({ error: _, ...rest }) => rest)).toEqual([
      { attempt: 1, delayMs: 250, reason: "APIGW.0202", method: "DELETE", url },
      { attempt: 2, delayMs: 2000, reason: "APIGW.0308", method: "DELETE", url },
    ]);
    expect(told[0]?.error).toBeInstanceOf(ServerError);
    expect(told[1]?.error).toBeInstanceOf(RateLimitError);
    expect(told[1]?.error).toMatchObject({ retryAfterMs: 2000 });
    // Once per retry, each time just before the wait it describes, with the wait the sleep was asked for.
    expect(events).toEqual(["onRetry 250", "sleep 250", "onRetry 2000", "sleep 2000"]);
    expect(told.map((info) => info.delayMs)).toEqual(delays);
  });

  it("names the reason: the code, else `HTTP <status>`, else the error's name", async () => {
    const { server } = ctx;
    const { onRetry, told } = recordingHook();
    server.respondWith(sequence(json(503, {}), json(200, {})));
    await closeSessions(coreFetchFor(server, { onRetry }), server);
    expect(told.map((info) => [info.reason, info.error.name])).toEqual([["HTTP 503", "ServerError"]]);

    told.length = 0;
    let sent = 0;
    const dropsFirst: FetchLike = (input, init) => (++sent === 1 ? Promise.reject(new TypeError("fetch failed")) : fetch(input, init));
    server.respondWith(json(200, {}));
    await closeSessions(coreFetchFor(server, { onRetry, fetch: dropsFirst }), server);
    expect(told.map((info) => [info.attempt, info.reason, info.error.name])).toEqual([[1, "ConnectionError", "ConnectionError"]]);

    told.length = 0;
    server.respondWith(hang());
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { onRetry, timeoutMs: 50, maxRetries: 1 }), server));
    expect(error).toBeInstanceOf(TimeoutError);
    // Told of the one retry, not of the last attempt's failure, which the call throws.
    expect(told.map((info) => [info.attempt, info.reason])).toEqual([[1, "TimeoutError"]]);
    expect(told[0]?.error).toBeInstanceOf(TimeoutError);
  });

  it("is not called when no retry happens", async () => {
    const { server } = ctx;
    const { onRetry, told } = recordingHook();
    // Success at once.
    server.respondWith(json(200, {}));
    expect((await closeSessions(coreFetchFor(server, { onRetry }), server)).status).toBe(200);
    // A status that is not retried.
    server.respondWith(json(404, { error_code: "APIGW.0103", error_msg: "The backend does not exist" }));
    expect(await rejectionOf(closeSessions(coreFetchFor(server, { onRetry }), server))).toBeInstanceOf(NotFoundError);
    // Retries off.
    server.respondWith(unavailable);
    expect(await rejectionOf(closeSessions(coreFetchFor(server, { onRetry, maxRetries: 0 }), server))).toBeInstanceOf(ServerError);
    // The wait would pass the total budget.
    server.respondWith(throttled("30"));
    await rejectionOf(closeSessions(coreFetchFor(server, { onRetry, backoff: { maxTotalDelayMs: 1_000 } }), server));
    expect(told).toEqual([]);
    // A refreshed token is sent once more, but that is not a retry.
    server.respondWith(sequence(json(401, { error_code: "APIGW.0301", error_msg: "expired" }), json(200, {})));
    let issued = 0;
    const credentials = { token: async () => `token-${++issued}` };
    expect((await closeSessions(coreFetchFor(server, { onRetry, credentials }), server)).status).toBe(200);
    expect(issued).toBe(2);
    expect(told).toEqual([]);
  });

  it("per call (a RequestInit extension): told after the client's, for that call only", async () => {
    const { server } = ctx;
    const order: string[] = [];
    const coreFetch = coreFetchFor(server, { onRetry: (info) => order.push(`client ${info.attempt}`) });
    const perCall = (info: RetryInfo) => order.push(`call ${info.attempt}`);
    server.respondWith(sequence(unavailable, unavailable, json(200, {})));
    await closeSessions(coreFetch, server, { onRetry: perCall } as RequestInit);
    expect(order).toEqual(["client 1", "call 1", "client 2", "call 2"]);

    order.length = 0;
    server.respondWith(sequence(unavailable, json(200, {})));
    await closeSessions(coreFetch, server);
    expect(order).toEqual(["client 1"]);

    // Without a client-wide one.
    order.length = 0;
    server.respondWith(sequence(unavailable, json(200, {})));
    await closeSessions(coreFetchFor(server), server, { onRetry: perCall } as RequestInit);
    expect(order).toEqual(["call 1"]);
  });

  it("a throwing or rejecting onRetry changes nothing: the call retries and succeeds", async () => {
    const { server } = ctx;
    const { sleep, delays } = recordingSleep();
    let called = 0;
    const throwing = () => {
      called++;
      throw new Error("onRetry broke");
    };
    const rejecting = async () => {
      called++;
      throw new Error("async onRetry broke");
    };
    server.respondWith(sequence(unavailable, unavailable, json(200, {})));
    const coreFetch = coreFetchFor(server, { onRetry: throwing, runtime: { sleep, random: () => 0.5 } });
    const response = await closeSessions(coreFetch, server, { onRetry: rejecting } as RequestInit);
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(3);
    expect(delays).toEqual([250, 500]);
    // Both hooks ran for both retries: the first one's throw did not skip the second.
    expect(called).toBe(4);
    // A rejected promise from a hook is handled (vitest fails the run on an unhandled rejection).
    await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it("must be a function, on the client and per call: ValidationError naming onRetry, nothing sent", async () => {
    const { server } = ctx;
    for (const onRetry of ["log", {}, true]) {
      expect(() => coreFetchFor(server, { onRetry: onRetry as never })).toThrow(
        expect.objectContaining({ name: "ValidationError", field: "onRetry", rule: "type" }),
      );
    }
    const error = await rejectionOf(closeSessions(coreFetchFor(server), server, { onRetry: 5 } as unknown as RequestInit));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: "onRetry", rule: "type" });
    expect(server.requests).toHaveLength(0);
  });
});
