import { type ErrorCode, errorCatalog } from "@geminidb-sessions/validation";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  errorFromResponse,
  GeminiDbError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
} from "../src/index.js";

const respond = (status: number, body: string | null, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "x-request-id": `req-${status}`, ...headers } });

describe("errorFromResponse", () => {
  it("maps each status to its class", async () => {
    const cases: Array<[number, typeof ApiError]> = [
      [400, BadRequestError],
      [401, AuthenticationError],
      [403, PermissionDeniedError],
      [404, NotFoundError],
      [409, ConflictError],
      [413, PayloadTooLargeError],
      [429, RateLimitError],
      [500, ServerError],
      [502, ServerError],
      [503, ServerError],
      [504, ServerError],
      [418, ApiError],
    ];
    for (const [status, ErrorClass] of cases) {
      const error = await errorFromResponse(respond(status, "{}"));
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toBeInstanceOf(GeminiDbError);
      expect(error.status).toBe(status);
      expect(error.name).toBe(ErrorClass.name);
    }
  });

  it("reads the flat body form with the catalog's meaning, remedy and retryable flag", async () => {
    const error = await errorFromResponse(
      respond(404, JSON.stringify({ error_code: "DBS.200002", error_msg: "The DB instance does not exist." })),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe("DBS.200002");
    expect(error.requestId).toBe("req-404");
    expect(error.message).toContain("DBS.200002");
    expect(error.message).toContain("The DB instance does not exist.");
    expect(error.meaning).toBe(errorCatalog["DBS.200002"].meaning);
    expect(error.remedy).toBe(errorCatalog["DBS.200002"].remedy);
    expect(error.retryable).toBe(false);
    expect(error.headers["x-request-id"]).toBe("req-404");
    expect(JSON.parse(error.rawBody)).toEqual({ error_code: "DBS.200002", error_msg: "The DB instance does not exist." });
  });

  it("reads the nested body form and a request ID from the body when the header is missing", async () => {
    const body = JSON.stringify({ error: { code: "APIGW.0202", message: "Backend unavailable", request_id: "body-id" } });
    const error = await errorFromResponse(new Response(body, { status: 503 }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe("APIGW.0202");
    expect(error.requestId).toBe("body-id");
    expect(error.retryable).toBe(true);
  });

  it("takes every catalog code's retryable flag at each of its statuses", async () => {
    for (const [code, entry] of Object.entries(errorCatalog) as Array<[ErrorCode, (typeof errorCatalog)[ErrorCode]]>) {
      for (const status of entry.statuses as readonly number[]) {
        const error = await errorFromResponse(respond(status, JSON.stringify({ error_code: code, error_msg: entry.message })));
        expect(error.code).toBe(code);
        const retryableAt = "retryableStatuses" in entry ? (entry.retryableStatuses as readonly number[]) : [];
        expect(error.retryable, `${code} at ${status}`).toBe(entry.retryable || retryableAt.includes(status));
      }
    }
  });

  it("falls back to the status for unknown codes and codes at a status the catalog does not list", async () => {
    expect((await errorFromResponse(respond(503, JSON.stringify({ error_code: "NEW.0001", error_msg: "x" })))).retryable).toBe(true);
    expect((await errorFromResponse(respond(400, JSON.stringify({ error_code: "NEW.0001", error_msg: "x" })))).retryable).toBe(false);
    const misplaced = await errorFromResponse(respond(502, JSON.stringify({ error_code: "DBS.200001", error_msg: "x" })));
    expect(misplaced.retryable).toBe(true);
    expect(misplaced.code).toBe("DBS.200001");
  });

  it("keeps the code of a body with a missing message", async () => {
    const error = await errorFromResponse(respond(400, JSON.stringify({ error_code: "DBS.200001" })));
    expect(error.code).toBe("DBS.200001");
  });

  it("reads a body carrying both forms, whichever of them the schema accepts, without crashing", async () => {
    // Each of these bodies matches the ErrorBody schema through its nested form only.
    const both = [
      { body: { error_code: 42, error: { code: "APIGW.0201", message: "nested" } }, code: "APIGW.0201", text: "nested" },
      { body: { error_code: "DBS.200001", error: { code: "APIGW.0201", message: "nested" } }, code: "DBS.200001", text: "(no message)" },
      {
        body: { error_code: "DBS.200001", error_msg: "flat", error: { code: "APIGW.0201", message: "nested" } },
        code: "DBS.200001",
        text: "flat",
      },
    ];
    for (const { body, code, text } of both) {
      const error = await errorFromResponse(respond(400, JSON.stringify(body)));
      expect(error.code, JSON.stringify(body)).toBe(code);
      expect(error.message).toBe(`${code}: ${text} (HTTP 400, request req-400)`);
    }
  });

  it("never crashes on empty, non-JSON, HTML or JSON-but-not-an-error bodies", async () => {
    const empty = await errorFromResponse(respond(502, null));
    expect(empty).toBeInstanceOf(ServerError);
    expect(empty.code).toBeUndefined();
    expect(empty.message).toBe("HTTP 502, request req-502 with an empty body");

    const html = "<html><head><title>503 Service Temporarily Unavailable</title></head>\n<body><h1>503</h1>\u0007</body></html>";
    const fromHtml = await errorFromResponse(respond(503, html, { "content-type": "text/html" }));
    expect(fromHtml.code).toBeUndefined();
    expect(fromHtml.message).toBe("HTTP 503, request req-503: Service Temporarily Unavailable");
    expect(fromHtml.rawBody).toBe(html);

    const text = await errorFromResponse(respond(500, `oops ${"x".repeat(500)}`));
    expect(text.message.length).toBeLessThan(200);
    expect(text.message.endsWith("…")).toBe(true);

    for (const body of ["[1,2]", '"str"', "null", '{"error_code": 42}', '{"error": "flat"}', "{not json"]) {
      const error = await errorFromResponse(respond(400, body));
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.code).toBeUndefined();
    }
  });

  it("keeps control characters from the service out of the message (no log injection)", async () => {
    const error = await errorFromResponse(respond(400, JSON.stringify({ error_code: "DBS.200001", error_msg: "line1\r\nFAKE LOG LINE" })));
    expect(error.message).not.toMatch(/[\r\n]/);
  });

  it("reads Retry-After in seconds or as an HTTP date", async () => {
    const seconds = await errorFromResponse(respond(429, "{}", { "retry-after": "3" }));
    expect(seconds).toBeInstanceOf(RateLimitError);
    expect(seconds.retryAfterMs).toBe(3000);
    const now = Date.parse("2026-11-28T09:30:00Z");
    const date = await errorFromResponse(respond(503, "{}", { "retry-after": "Sat, 28 Nov 2026 09:30:07 GMT" }), { now: () => now });
    expect(date.retryAfterMs).toBe(7000);
    expect((await errorFromResponse(respond(429, "{}"))).retryAfterMs).toBeUndefined();
  });

  it("masks the secrets it is given wherever the body echoes them", async () => {
    const secret = "very-secret-token-value";
    const error = await errorFromResponse(respond(401, JSON.stringify({ error_code: "APIGW.0301", error_msg: `bad token ${secret}` })), {
      secrets: [secret],
    });
    expect(error.message).not.toContain(secret);
    expect(error.rawBody).not.toContain(secret);
    expect(error.message).toContain("***");
  });

  it("reads at most 64 KiB of an error body, even an endless one", async () => {
    let pulled = 0;
    let cancelled = false;
    const chunk = new TextEncoder().encode("x".repeat(4096));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const error = await errorFromResponse(new Response(endless, { status: 502 }));
    expect(error.rawBody.length).toBe(64 * 1024);
    expect(error.message).toContain("(body incomplete)");
    expect(pulled).toBeLessThanOrEqual(64 * 1024 + 2 * 4096);
    expect(cancelled).toBe(true);
  });
});

describe("a body cut off at the limit", () => {
  it("never ends in the first part of a secret", async () => {
    const secret = "MIIcut-secret-token-0123456789/abcdef";
    for (const keep of [1, 5, 20, secret.length - 1]) {
      const body = `${"x".repeat(64 * 1024 - keep)}${secret}${"y".repeat(100)}`;
      const error = await errorFromResponse(respond(502, body), { secrets: [secret] });
      expect(error.rawBody.endsWith("***"), `keep ${keep}`).toBe(true);
      expect(error.rawBody).not.toContain(secret.slice(0, keep));
    }
    const escaped = `${"x".repeat(64 * 1024 - 9)}${secret.replaceAll("/", "\\/")}`;
    expect((await errorFromResponse(respond(502, `${escaped}zzzz`), { secrets: [secret] })).rawBody).not.toContain("MIIcut-se");
  });
});
