import { randomBytes } from "node:crypto";
import { type ServerResponse, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { ErrorCode } from "@geminidb-sessions/validation";
import { type ErrorAnswerOptions, errorAnswer } from "./error-response.js";

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

/** Writes a body that claims to be JSON but is not, as a broken backend might. */
export function writeMalformedJson(response: ServerResponse, status: number, requestId: string): void {
  writeText(response, status, "application/json", '{"error_code": "APIGW.0201", "error_msg": "Backend unava', requestId);
}

/** Writes the HTML page a proxy in front of the gateway might answer with. */
export function writeHtmlPage(response: ServerResponse, status: number, requestId: string): void {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  const text = `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>proxy</center></body></html>\n`;
  writeText(response, status, "text/html; charset=utf-8", text, requestId);
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
