import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/** The shape of `fetch` that the clients' `fetch` option takes. */
export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

export interface HttpFetchOptions {
  /** Agent for `http:` URLs; default: a keep-alive agent of its own. */
  httpAgent?: HttpAgent;
  /** Agent for `https:` URLs; default: a keep-alive agent of its own. */
  httpsAgent?: HttpsAgent;
}

/** Statuses whose Response must have a null body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function headersOf(init: RequestInit | undefined, request: Request | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const source = init?.headers ?? request?.headers;
  if (source === undefined) return out;
  new Headers(source).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function bodyOf(init: RequestInit | undefined): string | Uint8Array | undefined {
  const body = init?.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError("httpFetch sends only string, Uint8Array or ArrayBuffer bodies");
}

function toResponse(message: IncomingMessage, body: Buffer, method: string): Response {
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const status = message.statusCode ?? 0;
  const empty = NULL_BODY_STATUSES.has(status) || method === "HEAD";
  // A plain Uint8Array view: the DOM typings of BodyInit do not list Node's Buffer.
  const bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as Uint8Array<ArrayBuffer>;
  return new Response(empty ? null : bytes, { status, statusText: message.statusMessage ?? "", headers });
}

/**
 * A `fetch` on node:http / node:https with keep-alive agents, for Node.js callers that
 * send many small requests: it skips undici's fetch machinery (WHATWG streams, the
 * fetch algorithm's bookkeeping) and only builds the `Response` at the end. Pass it as
 * a client's `fetch` option.
 *
 * Deliberately small: no redirects are followed (the clients ask for `redirect:
 * "manual"` anyway), no decompression (nothing asks for it), bodies are strings or
 * bytes. A failed connection rejects with `TypeError("fetch failed")` and the cause,
 * as undici's fetch does; an aborted `signal` rejects with its reason.
 */
export function createHttpFetch(options: HttpFetchOptions = {}): FetchLike {
  const httpAgent = options.httpAgent ?? new HttpAgent({ keepAlive: true });
  const httpsAgent = options.httpsAgent ?? new HttpsAgent({ keepAlive: true });
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const request = input instanceof Request ? input : undefined;
      const url = new URL(request ? request.url : input.toString());
      const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
      const signal = init?.signal ?? request?.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const https = url.protocol === "https:";
      if (!https && url.protocol !== "http:") {
        reject(new TypeError(`httpFetch cannot fetch ${url.protocol} URLs`));
        return;
      }
      const body = bodyOf(init);
      const send = https ? httpsRequest : httpRequest;
      const onAbort = () => outgoing.destroy(signal?.reason);
      const outgoing = send(url, { method, headers: headersOf(init, request), agent: https ? httpsAgent : httpAgent }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", (error) => reject(signal?.aborted ? signal.reason : error));
        incoming.on("end", () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(toResponse(incoming, Buffer.concat(chunks), method));
        });
      });
      outgoing.on("error", (error) => {
        signal?.removeEventListener("abort", onAbort);
        reject(signal?.aborted ? signal.reason : new TypeError("fetch failed", { cause: error }));
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      outgoing.end(body);
    });
}
