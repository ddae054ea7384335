import { countingFetch, hang, json, type Responder, sequence } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import {
  AbortError,
  type ApiError,
  BadRequestError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "../src/index.js";
import { closeSessions, coreFetchFor, recordingLogger, recordingSleep, rejectionOf, useServer } from "./helpers.js";

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

  it("honours Retry-After in seconds", async () => {
    const { server } = ctx;
    server.respondWith(sequence(throttled("2"), json(200, {})));
    const { sleep, delays } = recordingSleep();
    expect((await closeSessions(coreFetchFor(server, { runtime: { sleep } }), server)).status).toBe(200);
    expect(delays).toEqual([2000]);
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

  it("retries catalog-retryable codes but never other 4xx or non-retryable 5xx codes", async () => {
    const { server } = ctx;
    const busy = json(403, { error_code: "DBS.200019", error_msg: "Another operation is being performed" });
    server.respondWith(sequence(busy, json(200, {})));
    expect((await closeSessions(coreFetchFor(server), server)).status).toBe(200);
    expect(server.requests).toHaveLength(2);

    const cases: Array<[Responder, unknown]> = [
      [json(400, { error_code: "DBS.200001", error_msg: "Parameter error." }), BadRequestError],
      [json(403, { error_code: "DBS.200011", error_msg: "status forbids" }), PermissionDeniedError],
      [json(404, { error_code: "APIGW.0103", error_msg: "The backend does not exist" }), NotFoundError],
      [json(413, { error_code: "APIGW.0201", error_msg: "Request entity too large" }), PayloadTooLargeError],
    ];
    for (const [responder, ErrorClass] of cases) {
      server.requests.length = 0;
      server.respondWith(responder);
      expect(await rejectionOf(closeSessions(coreFetchFor(server), server))).toBeInstanceOf(ErrorClass);
      expect(server.requests).toHaveLength(1);
    }
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
