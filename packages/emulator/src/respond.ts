import { randomBytes } from "node:crypto";
import { type ServerResponse, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { type ErrorCode, errorCatalog } from "@geminidb-sessions/validation";

export interface ErrorAnswerOptions {
  requestId: string;
  /** One of the code's catalog statuses; the first one when absent. */
  status?: number;
  /** Values for the message's `{0}`, `{1}`, ... placeholders. */
  args?: readonly string[];
  /** Who answers: the API gateway (repeats the request ID in the body) or the service behind it. */
  origin?: "gateway" | "service";
  /** One of the two body forms the spec's `ErrorBody` allows. */
  form?: "flat" | "nested";
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

/** Builds the status and JSON body of an error answer from the catalog. */
export function errorAnswer(code: ErrorCode, options: ErrorAnswerOptions): { status: number; body: Record<string, unknown> } {
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

/** A fresh request ID: 32 lowercase hex characters, like the service's. */
export function newRequestId(): string {
  return randomBytes(16).toString("hex");
}

type WriteOptions = { headers?: Record<string, string>; close?: boolean };

function writeText(
  response: ServerResponse,
  status: number,
  type: string,
  text: string,
  requestId: string,
  options: WriteOptions = {},
): void {
  response.writeHead(status, {
    "content-type": type,
    "content-length": String(Buffer.byteLength(text)),
    "x-request-id": requestId,
    ...(options.close ? { connection: "close" } : {}),
    ...options.headers,
  });
  response.end(text);
}

/** Writes a JSON answer with `X-Request-Id` (and closes the connection afterwards when asked). */
export function writeJson(response: ServerResponse, status: number, body: unknown, requestId: string, options: WriteOptions = {}): void {
  writeText(response, status, "application/json", JSON.stringify(body), requestId, options);
}

/** Writes a catalog error answer. */
export function writeError(response: ServerResponse, code: ErrorCode, options: ErrorAnswerOptions & WriteOptions): number {
  const answer = errorAnswer(code, options);
  writeJson(response, answer.status, answer.body, options.requestId, options);
  return answer.status;
}

/** Writes what a broken backend (a body that claims to be JSON but is not) or a proxy in front of the gateway (an HTML page) might. */
export function writeBrokenAnswer(response: ServerResponse, kind: "malformed-json" | "html", status: number, requestId: string): void {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  const html = `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>proxy</center></body></html>\n`;
  if (kind === "html") writeText(response, status, "text/html; charset=utf-8", html, requestId);
  else writeText(response, status, "application/json", '{"error_code": "APIGW.0201", "error_msg": "Backend unava', requestId);
}

/**
 * Answers a request the HTTP parser refused (no `ServerResponse` exists then): 400
 * APIGW.0201 written straight to the socket, then the connection is closed.
 */
export function writeRawBadRequest(socket: Socket, requestId: string): void {
  const answer = errorAnswer("APIGW.0201", { requestId, status: 400, origin: "gateway" });
  const text = JSON.stringify(answer.body);
  socket.end(
    `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n` +
      `x-request-id: ${requestId}\r\nconnection: close\r\n\r\n${text}`,
  );
}
