import { ApiError, BadRequestError, NotFoundError, ServerError } from "@geminidb-sessions/core";
import { json, raw, truncated } from "@geminidb-sessions/test-utils";
import type { Scenario } from "../scenario.js";

/**
 * Error bodies that are not the spec's JSON: a proxy's HTML page, JSON cut short, an empty
 * body. The emulator injects the first two; a plain server gives what the emulator cannot
 * (an empty body, a redirect, an empty success body).
 */
export const bodyScenarios: Scenario[] = [
  {
    name: "an HTML page from a proxy at 502 (retried, then a ServerError without a code)",
    faults: [{ effect: { type: "html", status: 502 } }],
    expected: { result: "rejected", errorClass: ServerError.name, status: 502, requestIdPresent: true, requests: 3 },
  },
  {
    name: "an HTML page at 404 (not retried)",
    faults: [{ effect: { type: "html", status: 404 } }],
    expected: { result: "rejected", errorClass: NotFoundError.name, status: 404, requests: 1 },
  },
  {
    name: "JSON cut short at 500",
    faults: [{ effect: { type: "malformed-json", status: 500 } }],
    expected: { result: "rejected", errorClass: ServerError.name, status: 500, requests: 3 },
  },
  {
    name: "JSON cut short at 400",
    faults: [{ effect: { type: "malformed-json", status: 400 } }],
    expected: { result: "rejected", errorClass: BadRequestError.name, status: 400, requests: 1 },
  },
  {
    name: "an empty error body at 500",
    responder: raw(500, ""),
    expected: { result: "rejected", errorClass: ServerError.name, status: 500, requests: 3 },
  },
  {
    name: "an empty error body at 400",
    responder: raw(400, ""),
    expected: { result: "rejected", errorClass: BadRequestError.name, status: 400, requestIdPresent: true, requests: 1 },
  },
  {
    name: "a body that ends mid-stream at 503",
    responder: truncated(503, '{"error_code":"APIGW.02'),
    expected: { result: "rejected", errorClass: ServerError.name, status: 503, requests: 3 },
  },
  {
    name: "an error code the catalog does not know yet",
    responder: json(409, { error_code: "DBS.999999", error_msg: "new" }),
    expected: { result: "rejected", status: 409, code: "DBS.999999", retryable: false, requests: 1 },
  },
  {
    name: "a redirect is not followed (credentials stay on the endpoint)",
    responder: raw(302, "", { location: "https://elsewhere.example.com/" }),
    expected: { result: "rejected", errorClass: ApiError.name, status: 302, requests: 1 },
  },
  {
    name: "an empty success body",
    responder: raw(200, "", { "content-type": "application/json" }),
    expected: { result: "resolved", requestIdPresent: true, requests: 1 },
  },
];
