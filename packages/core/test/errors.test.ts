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

// errorFromResponse owns reading an error answer: the class for its status, the code and message from
// either body form, the catalog's flags, and never crashing on a body that is not an error body.
// What the transport adds (retries, attempts, the resource in the message) is in transport-errors.test.ts.

const respond = (status: number, body: string | null) => new Response(body, { status, headers: { "x-request-id": `req-${status}` } });
const flat = (code: string, message?: string) => JSON.stringify({ error_code: code, error_msg: message });

const nginx =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>";
const unavailablePage = "<html><head><title>503 Service Temporarily Unavailable</title></head>\n<body><h1>503</h1>\u0007</body></html>";
const proxyPage = "<html><body><h1>Access denied</h1><p>by <b>proxy</b></p></body></html>";
const both = (flatPart: object) => JSON.stringify({ ...flatPart, error: { code: "APIGW.0201", message: "nested" } });
const nested = JSON.stringify({ error: { code: "APIGW.0202", message: "Backend unavailable", request_id: "body-id" } });

/** name, status, body, class, code, retryable, message (`$` stands for `HTTP <status>, request req-<status>`). */
type Row = [string, number, string | null, typeof ApiError, string | undefined, boolean, string];
const rows: Row[] = [
  // Each status its class, from the flat body form; retryable from the catalog.
  ["400", 400, flat("DBS.200001", "Parameter error."), BadRequestError, "DBS.200001", false, "DBS.200001: Parameter error. ($)"],
  ["401", 401, flat("APIGW.0301", "bad token"), AuthenticationError, "APIGW.0301", false, "APIGW.0301: bad token ($)"],
  ["403", 403, flat("DBS.200011", "status forbids"), PermissionDeniedError, "DBS.200011", false, "DBS.200011: status forbids ($)"],
  ["403, retryable code", 403, flat("DBS.200019", "busy"), PermissionDeniedError, "DBS.200019", true, "DBS.200019: busy ($)"],
  ["404", 404, flat("DBS.200002", "no instance"), NotFoundError, "DBS.200002", false, "DBS.200002: no instance ($)"],
  ["409, unknown code", 409, flat("DBS.999999", "conflict"), ConflictError, "DBS.999999", false, "DBS.999999: conflict ($)"],
  ["413", 413, flat("APIGW.0201", "too large"), PayloadTooLargeError, "APIGW.0201", false, "APIGW.0201: too large ($)"],
  ["429", 429, flat("APIGW.0308", "throttled"), RateLimitError, "APIGW.0308", true, "APIGW.0308: throttled ($)"],
  ["500", 500, flat("APIGW.0103", "no backend"), ServerError, "APIGW.0103", true, "APIGW.0103: no backend ($)"],
  ["504", 504, flat("APIGW.0203", "Backend timeout"), ServerError, "APIGW.0203", true, "APIGW.0203: Backend timeout ($)"],
  ["503 nested, header's request ID first", 503, nested, ServerError, "APIGW.0202", true, "APIGW.0202: Backend unavailable ($)"],
  ["418, no class of its own", 418, "{}", ApiError, undefined, false, "$: {}"],
  // Unknown codes, and codes at a status the catalog does not list: retryable by status.
  ["unknown code at 503", 503, flat("NEW.0001", "x"), ServerError, "NEW.0001", true, "NEW.0001: x ($)"],
  ["unknown code at 400", 400, flat("NEW.0001", "x"), BadRequestError, "NEW.0001", false, "NEW.0001: x ($)"],
  ["code at a status its entry does not list", 502, flat("DBS.200001", "x"), ServerError, "DBS.200001", true, "DBS.200001: x ($)"],
  ["missing message", 400, flat("DBS.200001"), BadRequestError, "DBS.200001", false, "DBS.200001: (no message) ($)"],
  // Both forms in one body: whichever the schema accepts (each of these only through the nested form).
  ["both, flat code not a string", 400, both({ error_code: 42 }), BadRequestError, "APIGW.0201", false, "APIGW.0201: nested ($)"],
  [
    "both, flat without message",
    400,
    both({ error_code: "DBS.200001" }),
    BadRequestError,
    "DBS.200001",
    false,
    "DBS.200001: (no message) ($)",
  ],
  [
    "both, flat complete",
    400,
    both({ error_code: "DBS.200001", error_msg: "flat" }),
    BadRequestError,
    "DBS.200001",
    false,
    "DBS.200001: flat ($)",
  ],
  // Control characters from the service stay out of the message (no log injection).
  [
    "control characters",
    400,
    flat("DBS.200001", "a\r\nFAKE LOG LINE"),
    BadRequestError,
    "DBS.200001",
    false,
    "DBS.200001: a FAKE LOG LINE ($)",
  ],
  // Bodies that are not error bodies: never a crash; the status and a short one-line snippet.
  ["empty", 502, null, ServerError, undefined, true, "$ with an empty body"],
  ["HTML, status in the title", 503, unavailablePage, ServerError, undefined, true, "$: Service Temporarily Unavailable"],
  ["HTML gateway page, each piece once", 502, nginx, ServerError, undefined, true, "$: Bad Gateway — nginx"],
  ["HTML with inline tags", 403, proxyPage, PermissionDeniedError, undefined, false, "$: Access denied — by proxy"],
  ["long text, cut", 500, `oops ${"x".repeat(500)}`, ServerError, undefined, true, `$: oops ${"x".repeat(115)}…`],
  ["broken JSON", 400, '{"error_code": "DBS.2000', BadRequestError, undefined, false, '$: {"error_code": "DBS.2000'],
  ...["[1,2]", '"str"', "null", '{"error_code": 42}', '{"error": "flat"}'].map(
    (body): Row => [`JSON, not an error: ${body}`, 400, body, BadRequestError, undefined, false, `$: ${body}`],
  ),
];

describe("errorFromResponse", () => {
  for (const [name, status, body, ErrorClass, code, retryable, message] of rows) {
    it(name, async () => {
      const error = await errorFromResponse(respond(status, body));
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toBeInstanceOf(GeminiDbError);
      expect(error.name).toBe(ErrorClass.name);
      expect([error.status, error.code, error.retryable, error.requestId, error.attempts, error.retryAfterMs]).toEqual([
        status,
        code,
        retryable,
        `req-${status}`,
        1,
        undefined,
      ]);
      expect(error.message).toBe(message.replace("$", `HTTP ${status}, request req-${status}`));
      expect(error.rawBody).toBe(body ?? "");
    });
  }

  it("takes the request ID from the nested body when the header is missing", async () => {
    const error = await errorFromResponse(new Response(nested, { status: 503 }));
    expect([error.code, error.requestId, error.message]).toEqual([
      "APIGW.0202",
      "body-id",
      "APIGW.0202: Backend unavailable (HTTP 503, request body-id)",
    ]);
  });

  it("adds the catalog's meaning and remedy, and keeps the headers", async () => {
    const error = await errorFromResponse(respond(404, flat("DBS.200002", "The DB instance does not exist.")));
    expect(error.meaning).toBe(errorCatalog["DBS.200002"].meaning);
    expect(error.remedy).toBe(errorCatalog["DBS.200002"].remedy);
    expect(error.headers["x-request-id"]).toBe("req-404");
    const unknown = await errorFromResponse(respond(400, flat("NEW.0001", "x")));
    expect([unknown.meaning, unknown.remedy]).toEqual([undefined, undefined]);
  });

  it("takes every catalog code's retryable flag at each of its statuses", async () => {
    for (const [code, entry] of Object.entries(errorCatalog) as Array<[ErrorCode, (typeof errorCatalog)[ErrorCode]]>) {
      for (const status of entry.statuses as readonly number[]) {
        const error = await errorFromResponse(respond(status, flat(code, entry.message)));
        expect(error.code).toBe(code);
        const retryableAt = "retryableStatuses" in entry ? (entry.retryableStatuses as readonly number[]) : [];
        expect(error.retryable, `${code} at ${status}`).toBe(entry.retryable || retryableAt.includes(status));
      }
    }
  });

  it("masks the secrets it is given wherever the body echoes them", async () => {
    const secret = "very-secret-token-value";
    const error = await errorFromResponse(respond(401, flat("APIGW.0301", `bad token ${secret}`)), { secrets: [secret] });
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

  it("never ends a body cut off at the limit in the first part of a secret", async () => {
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
