import { randomBytes } from "node:crypto";
import { type ServerResponse, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { ErrorCode } from "@geminidb-sessions/validation";
import { type ErrorAnswerOptions, errorAnswer } from "./error-response.js";

/** A fresh request ID: 32 lowercase hex characters, like the service's. */
export function newRequestId(): string {
  return randomBytes(16).toString("hex");
}

/** Writes a JSON answer with `X-Request-Id` (and closes the connection afterwards when asked). */
export function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  options: { headers?: Record<string, string>; close?: boolean } = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    "x-request-id": requestId,
    ...(options.close ? { connection: "close" } : {}),
    ...options.headers,
  });
  response.end(text);
}

/** Writes a catalog error answer. */
export function writeError(
  response: ServerResponse,
  code: ErrorCode,
  options: ErrorAnswerOptions & { headers?: Record<string, string>; close?: boolean },
): number {
  const answer = errorAnswer(code, options);
  const extra: { headers?: Record<string, string>; close?: boolean } = {};
  if (options.headers) extra.headers = options.headers;
  if (options.close) extra.close = options.close;
  writeJson(response, answer.status, answer.body, options.requestId, extra);
  return answer.status;
}

/** Writes a body that claims to be JSON but is not, as a broken backend might. */
export function writeMalformedJson(response: ServerResponse, status: number, requestId: string): void {
  const text = '{"error_code": "APIGW.0201", "error_msg": "Backend unava';
  response.writeHead(status, { "content-type": "application/json", "content-length": String(text.length), "x-request-id": requestId });
  response.end(text);
}

/** Writes the HTML page a proxy in front of the gateway might answer with. */
export function writeHtmlPage(response: ServerResponse, status: number, requestId: string): void {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  const text = `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>proxy</center></body></html>\n`;
  response.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": String(text.length),
    "x-request-id": requestId,
  });
  response.end(text);
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
