import type { Responder } from "./recording-server.js";

/** Answers `status` with `body` exactly as given (any content type, possibly empty). */
export function raw(status: number, body: string, headers: Record<string, string> = {}): Responder {
  return (_request, response) => {
    response.writeHead(status, { "x-request-id": `req-${status}`, ...headers });
    response.end(body);
  };
}

/** Never answers: the socket stays open until the client gives up or the server closes. */
export function hang(): Responder {
  return () => {};
}

/** Declares a `content-length` larger than what it sends, then closes the connection mid-body. */
export function truncated(status: number, partialBody: string, headers: Record<string, string> = {}): Responder {
  return (_request, response) => {
    response.writeHead(status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(partialBody) + 100),
      "x-request-id": `req-${status}`,
      ...headers,
    });
    response.write(partialBody, () => response.socket?.destroy());
  };
}

/** Uses the responders in turn, one per request; the last one answers every request after that. */
export function sequence(...responders: Responder[]): Responder {
  if (responders.length === 0) throw new Error("sequence() needs at least one responder");
  let next = 0;
  return (request, response) => {
    const responder = responders[Math.min(next, responders.length - 1)] as Responder;
    next++;
    return responder(request, response);
  };
}
