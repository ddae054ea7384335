import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

/**
 * The listener's account of body bytes held over all its connections (see `startListener`).
 * `reserve` returns false when the connection was closed to stay within the budget.
 */
export interface BodyBudget {
  reserve(socket: Socket, bytes: number): boolean;
  release(socket: Socket): void;
}

/** The budget of each connection's listener, set when the connection is accepted. */
export const bodyBudgets = new WeakMap<Socket, BodyBudget>();

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: "too-large" | "aborted" };

/**
 * Reads a request body of at most `maxBytes`. When it is larger, resolves to `too-large`
 * without destroying the socket, so a 413 can still be written, and keeps discarding what
 * arrives until the connection closes: closing with unread bytes would make the kernel
 * send a reset that can destroy the 413 before the client reads it.
 *
 * Every byte kept counts against the listener's held-body budget until the read ends; when
 * the budget is exceeded the listener closes the oldest holders, and a read whose own
 * connection is closed resolves to `aborted` and drops what it held.
 */
export function readBoundedBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const socket = request.socket;
  const budget = bodyBudgets.get(socket);
  return new Promise((resolve) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      request.removeListener("data", onData);
      request.removeListener("end", onEnd);
      request.removeListener("error", onAborted);
      request.removeListener("aborted", onAborted);
      request.removeListener("close", onClose);
      chunks = [];
      budget?.release(socket);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish({ ok: false, reason: "too-large" });
        request.resume();
        return;
      }
      if (budget && !budget.reserve(socket, chunk.length)) {
        finish({ ok: false, reason: "aborted" });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks) });
    const onAborted = () => finish({ ok: false, reason: "aborted" });
    const onClose = () => {
      if (!request.complete) onAborted();
    };
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", onAborted);
    request.once("aborted", onAborted);
    request.once("close", onClose);
  });
}
