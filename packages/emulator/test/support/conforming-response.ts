import { type ErrorCode, errorCatalog, type OperationId, operationValidators, validateErrorBody } from "@geminidb-sessions/validation";
import { expect } from "vitest";

/** A response as a test saw it, from fetch or from a raw socket. */
export interface ObservedResponse {
  status: number;
  header(name: string): string | undefined;
  body: string;
}

/** Reads a fetch Response fully. */
export async function observe(response: Response): Promise<ObservedResponse> {
  const body = await response.text();
  return { status: response.status, header: (name) => response.headers.get(name) ?? undefined, body };
}

function errorCodeOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const record = body as { error_code?: unknown; error?: { code?: unknown } };
  const code = record.error_code ?? record.error?.code;
  return typeof code === "string" ? code : undefined;
}

function errorMessageOf(body: unknown): string {
  const record = body as { error_msg?: unknown; error?: { message?: unknown } };
  return String(record.error_msg ?? record.error?.message ?? "");
}

/**
 * Asserts that a response of the emulator conforms to the spec and is the one expected:
 * the status; an `X-Request-Id`; a JSON body the validation package accepts (the success
 * body for 200, an `ErrorBody` otherwise) whose code is `expected.code`, is listed in the
 * catalog with this status, and whose message has every placeholder filled. Returns the body.
 */
export function expectConforming(
  observed: ObservedResponse,
  expected: { status: number; code?: ErrorCode; operationId?: OperationId },
): unknown {
  const context = `${observed.status} ${observed.body.slice(0, 300)}`;
  expect(observed.status, context).toBe(expected.status);
  expect(observed.header("x-request-id"), "X-Request-Id header").toMatch(/^\S+$/);
  expect(observed.header("content-type"), context).toMatch(/^application\/json\b/);
  const body: unknown = JSON.parse(observed.body);
  if (observed.status >= 200 && observed.status < 300) {
    const result = (operationValidators[expected.operationId ?? "closeInstanceSessions"].success ?? validateErrorBody)(body);
    expect(result.ok ? [] : result.issues, context).toEqual([]);
    return body;
  }
  const result = validateErrorBody(body);
  expect(result.ok ? [] : result.issues, context).toEqual([]);
  const code = errorCodeOf(body);
  expect(code, context).toBe(expected.code);
  const statuses: readonly number[] = errorCatalog[code as ErrorCode].statuses;
  expect(statuses, `${code} answered with ${observed.status}`).toContain(observed.status);
  expect(errorMessageOf(body), context).not.toMatch(/\{\d+\}/);
  return body;
}
