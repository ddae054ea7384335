import type { IncomingMessage } from "node:http";

/**
 * Reads a request body of at most `maxBytes`. When it is larger, resolves to `too-large`
 * without destroying the socket, so a 413 can still be written, and keeps discarding what
 * arrives until the connection closes: closing with unread bytes would make the kernel
 * send a reset that can destroy the 413 before the client reads it.
 */
export function readBoundedBody(
  request: IncomingMessage,
  maxBytes: number,
): Promise<{ ok: true; body: Buffer } | { ok: false; reason: "too-large" | "aborted" }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: { ok: true; body: Buffer } | { ok: false; reason: "too-large" | "aborted" }) => {
      request.removeListener("data", onData);
      request.removeListener("end", onEnd);
      request.removeListener("error", onError);
      request.removeListener("aborted", onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish({ ok: false, reason: "too-large" });
        request.resume();
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks) });
    const onError = () => finish({ ok: false, reason: "aborted" });
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", onError);
    request.once("aborted", onError);
  });
}
