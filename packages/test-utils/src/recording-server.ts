import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server saw it, byte for byte where it matters (the raw request target). */
export interface RecordedRequest {
  method: string;
  /** The request target exactly as it came on the wire, before any decoding. */
  rawUrl: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Decides the answer to one request; it may also leave the socket hanging (for timeout tests). */
export type Responder = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface RecordingServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  /** Replaces the responder for later requests. */
  respondWith(responder: Responder): void;
  close(): Promise<void>;
}

/** Answers `status` with `body` exactly as given (any content type, possibly empty). */
export function raw(status: number, body: string, headers: Record<string, string> = {}): Responder {
  return (_request, response) => {
    response.writeHead(status, { "x-request-id": `req-${status}`, ...headers });
    response.end(body);
  };
}

/** Answers `status` with a JSON body and an `X-Request-Id`. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Responder {
  return raw(status, JSON.stringify(body), { "content-type": "application/json", ...headers });
}

/** A real HTTP server on 127.0.0.1 and a free port that records every request it receives. */
export async function startRecordingServer(initial: Responder = json(200, {})): Promise<RecordingServer> {
  let responder = initial;
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded: RecordedRequest = {
      method: req.method ?? "",
      rawUrl: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(recorded);
    await responder(recorded, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(next) {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
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
