import { type ErrorCode, errorCatalog } from "@geminidb-sessions/validation";

/** Who answers an error: the API gateway (repeats the request ID in the body) or the service behind it. */
export type ErrorOrigin = "gateway" | "service";

/** The two body forms the spec's `ErrorBody` allows. */
export type ErrorBodyForm = "flat" | "nested";

/** An error answer, ready to write: status and JSON body. */
export interface ErrorAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface ErrorAnswerOptions {
  requestId: string;
  /** One of the code's catalog statuses; the first one when absent. */
  status?: number;
  /** Values for the message's `{0}`, `{1}`, ... placeholders. */
  args?: readonly string[];
  origin?: ErrorOrigin;
  form?: ErrorBodyForm;
  /** Replaces the catalog message (fault injection may ask for one). */
  message?: string;
}

/** Thrown when an answer would contradict the catalog (a status the code never has). */
export class ErrorCatalogMismatch extends Error {
  readonly code = "EMULATOR_CATALOG_MISMATCH";
}

/**
 * The catalog message for a code at a status. A code with several statuses may list one
 * message per status separated by " / " (APIGW.0201: "Bad request / Request entity too
 * large."); the part at the status's position is chosen, and the trailing period kept.
 */
export function catalogMessage(code: ErrorCode, status: number, args: readonly string[] = []): string {
  const entry = errorCatalog[code];
  let message: string = entry.message;
  const parts = message.split(" / ");
  const index = (entry.statuses as readonly number[]).indexOf(status);
  if (parts.length > 1 && parts.length === entry.statuses.length && index >= 0) {
    const part = parts[index] ?? message;
    message = part.endsWith(".") ? part : `${part}.`;
  }
  return message.replace(/\{(\d+)\}/g, (placeholder, position: string) => args[Number(position)] ?? placeholder);
}

/** Builds the status and body of an error answer from the catalog. */
export function errorAnswer(code: ErrorCode, options: ErrorAnswerOptions): ErrorAnswer {
  const statuses: readonly number[] = errorCatalog[code].statuses;
  const status = options.status ?? statuses[0];
  if (status === undefined || !statuses.includes(status)) {
    throw new ErrorCatalogMismatch(`${code} is never answered with status ${String(status)} (catalog: ${statuses.join(", ")})`);
  }
  const message = options.message ?? catalogMessage(code, status, options.args);
  const requestId = options.origin === "gateway" ? { request_id: options.requestId } : {};
  const body =
    options.form === "nested" ? { error: { code, message, ...requestId } } : { error_code: code, error_msg: message, ...requestId };
  return { status, body };
}
