import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { BufferedResponse, EXCHANGE, type Exchange } from "./buffered-response.js";
import type { FetchLike } from "./options.js";

/*
 * `@geminidb-sessions/core/node`: a `fetch` on Node's own node:http / node:https
 * keep-alive agents. A separate entry point, so nothing that a browser, edge or
 * worker bundle imports ever names node:http.
 */

/** Options of `createNodeFetch`. */
export interface NodeFetchOptions {
  /** The agent for `http:` URLs. Default: a keep-alive agent of this fetch's own. */
  httpAgent?: HttpAgent | undefined;
  /** The agent for `https:` URLs (CA, client certificates, proxies go here). Default: a keep-alive agent of this fetch's own. */
  httpsAgent?: HttpsAgent | undefined;
  /** The most sockets per host when the default agents are used. Default: no limit (Node's default). */
  maxSockets?: number | undefined;
  /** The largest response body accepted, in bytes; a larger one fails the call. Default 16 MiB. */
  maxResponseBytes?: number | undefined;
}

/** A `fetch` with the agents it owns, to close them when done. */
export interface NodeFetch extends FetchLike {
  /** Closes the idle keep-alive sockets of the agents this fetch created (not those passed in). */
  close(): void;
}

const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Statuses whose Response must have a null body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function outgoingHeaders(source: HeadersInit | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  if (source === undefined) return out;
  if (source instanceof Headers) {
    source.forEach((value, name) => {
      out[name] = value;
    });
  } else if (Array.isArray(source)) {
    for (const [name, value] of source) {
      const lower = (name as string).toLowerCase();
      const previous = out[lower];
      out[lower] = previous === undefined ? value : `${previous}, ${value}`;
    }
  } else {
    for (const [name, value] of Object.entries(source)) out[name.toLowerCase()] = value;
  }
  return out;
}

function outgoingBody(body: BodyInit | null | undefined): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError("createNodeFetch sends string, ArrayBuffer or typed-array bodies only");
}

function tooLarge(maxResponseBytes: number): TypeError {
  return new TypeError(`response body larger than ${maxResponseBytes} bytes (maxResponseBytes)`);
}

/** The body decoded per Content-Encoding, at most `maxResponseBytes` of it once decoded (a small gzip can inflate without bound). */
function decoded(bytes: Buffer, encoding: string | undefined, maxResponseBytes: number): Buffer {
  const bounded = { maxOutputLength: maxResponseBytes };
  try {
    switch (encoding?.trim().toLowerCase()) {
      case undefined:
      case "":
      case "identity":
        return bytes;
      case "gzip":
      case "x-gzip":
        return gunzipSync(bytes, bounded);
      case "deflate":
        return inflateSync(bytes, bounded);
      case "br":
        return brotliDecompressSync(bytes, bounded);
      default:
        throw new TypeError(`createNodeFetch cannot decode Content-Encoding ${encoding}`);
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(maxResponseBytes);
    throw error;
  }
}

function initOf(message: IncomingMessage): ResponseInit & { status: number } {
  const raw = message.rawHeaders;
  const headers: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i] as string, raw[i + 1] as string]);
  return { status: message.statusCode ?? 0, statusText: message.statusMessage ?? "", headers };
}

/**
 * The answer whose body broke off: its head, and a body that gives what arrived and then
 * fails with `cause`, as Node's `fetch` resolves at the head and fails the body read.
 */
function brokenResponse(message: IncomingMessage, chunks: readonly Buffer[], cause: TypeError): Response {
  const init = initOf(message);
  const encoded = (message.headers["content-encoding"] ?? "identity") !== "identity";
  // A partly received compressed body cannot be decoded: only the failure is passed on.
  const parts = encoded ? [] : [...chunks];
  let next = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      // One part per read, and the failure only once they are all read (erroring a stream drops what is queued).
      pull(controller) {
        const part = parts[next++];
        if (part === undefined) controller.error(cause);
        else controller.enqueue(new Uint8Array(part));
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(NULL_BODY_STATUSES.has(init.status) ? null : body, init);
}

/** What a request brought back: the head and the whole body (decoded), or a `Response` whose body fails when read. */
type Received = { message: IncomingMessage; body: Buffer } | Response;

function toResponse(received: Received, method: string): Response {
  if (received instanceof Response) return received;
  const init = initOf(received.message);
  if (NULL_BODY_STATUSES.has(init.status) || method === "HEAD") return new Response(null, init);
  const { body } = received;
  return new BufferedResponse(new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as Uint8Array<ArrayBuffer>, init);
}

/** The head's headers by lower-case name, repeated ones joined with ", " (as `Headers` joins them). */
function headersOf(message: IncomingMessage): Record<string, string> {
  const raw = message.rawHeaders;
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const previous = out[name];
    out[name] = previous === undefined ? (raw[i + 1] as string) : `${previous}, ${raw[i + 1]}`;
  }
  return out;
}

/**
 * A `fetch` on node:http / node:https with keep-alive agents, for Node.js
 * programs that make many calls: pass it as a client's `fetch` option. It
 * skips the WHATWG fetch machinery of Node's global `fetch` (undici) and
 * builds only the final `Response`, so each call costs less CPU.
 *
 * What it does not do, since the clients never need it: follow redirects (a
 * 3xx is returned as it is; the clients ask for `redirect: "manual"`), send
 * streamed bodies (strings and bytes only), cookies or caching. Responses in
 * gzip, deflate or br are decoded. A failed connection rejects with
 * `TypeError("fetch failed")` and the system error as `cause`, as Node's
 * `fetch` does; an aborted `signal` destroys the socket and rejects with the
 * signal's reason, so the clients' timeouts and aborts work unchanged.
 *
 * @example
 * import { createNodeFetch } from "@geminidb-sessions/core/node";
 * const client = createSessionsClient({ region, projectId, credentials, fetch: createNodeFetch() });
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const agentOptions = { keepAlive: true, ...(options.maxSockets === undefined ? {} : { maxSockets: options.maxSockets }) };
  const ownHttp = options.httpAgent === undefined ? new HttpAgent(agentOptions) : undefined;
  const ownHttps = options.httpsAgent === undefined ? new HttpsAgent(agentOptions) : undefined;
  const httpAgent = (options.httpAgent ?? ownHttp) as HttpAgent;
  const httpsAgent = (options.httpsAgent ?? ownHttps) as HttpsAgent;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  /** Sends one request; `headers` are sent as they are. */
  const receive = (
    url: URL,
    method: string,
    headers: OutgoingHttpHeaders,
    body: string | Uint8Array | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Received> =>
    new Promise<Received>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const https = url.protocol === "https:";
      if (!https && url.protocol !== "http:") {
        reject(new TypeError(`createNodeFetch cannot fetch ${url.protocol} URLs`));
        return;
      }
      // A byte body goes out with its length, as fetch sends it (not chunked).
      if (body !== undefined && headers["content-length"] === undefined) headers["content-length"] = Buffer.byteLength(body);
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      };
      const onAbort = () => {
        outgoing.destroy();
        fail(signal?.reason);
      };
      const send = https ? httpsRequest : httpRequest;
      const outgoing = send(
        {
          protocol: url.protocol,
          hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method,
          headers,
          agent: https ? httpsAgent : httpAgent,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          let received = 0;
          /** Resolves with the head and a body that gives what arrived, then fails with `cause`. */
          const broken = (cause: TypeError) => {
            if (settled) return;
            settled = true;
            signal?.removeEventListener("abort", onAbort);
            resolve(brokenResponse(incoming, chunks, cause));
          };
          // Past maxResponseBytes (declared, or as it arrives) reading stops: the head resolves and
          // the body gives the bytes so far, then fails, so a reader that counts bytes (core's
          // transport) sees the body pass its own cap and says so with a typed error.
          const declared = Number(incoming.headers["content-length"]);
          if (Number.isFinite(declared) && declared > maxResponseBytes) {
            broken(tooLarge(maxResponseBytes));
            outgoing.destroy();
            return;
          }
          incoming.on("data", (chunk: Buffer) => {
            if (settled) return;
            received += chunk.length;
            chunks.push(chunk);
            if (received > maxResponseBytes) {
              broken(tooLarge(maxResponseBytes));
              outgoing.destroy();
            }
          });
          incoming.on("error", (error) => broken(new TypeError("terminated", { cause: error })));
          incoming.on("end", () => {
            if (settled) return;
            try {
              const whole = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
              const empty = NULL_BODY_STATUSES.has(incoming.statusCode ?? 0) || method === "HEAD";
              const body = empty ? Buffer.alloc(0) : decoded(whole, incoming.headers["content-encoding"], maxResponseBytes);
              settled = true;
              signal?.removeEventListener("abort", onAbort);
              resolve({ message: incoming, body });
            } catch (error) {
              fail(error);
            }
          });
        },
      );
      outgoing.on("error", (error) => fail(new TypeError("fetch failed", { cause: error })));
      signal?.addEventListener("abort", onAbort, { once: true });
      outgoing.end(body);
    });

  const nodeFetch = (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    if (input instanceof Request && init?.body === undefined && input.body !== null) {
      // A Request with a body: read it first, then send it as bytes.
      return input
        .arrayBuffer()
        .then((body) => nodeFetch(input.url, { method: input.method, headers: input.headers, signal: input.signal, ...init, body }));
    }
    const request = input instanceof Request ? input : undefined;
    let url: URL;
    try {
      url = input instanceof Request ? new URL(input.url) : input instanceof URL ? input : new URL(input);
    } catch (error) {
      return Promise.reject(new TypeError("Failed to parse URL", { cause: error }));
    }
    const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
    const signal = init?.signal ?? request?.signal ?? undefined;
    let body: string | Uint8Array | undefined;
    let headers: OutgoingHttpHeaders;
    try {
      body = outgoingBody(init?.body);
      headers = outgoingHeaders(init?.headers ?? request?.headers);
    } catch (error) {
      return Promise.reject(error);
    }
    return receive(url, method, headers, body, signal).then((received) => toResponse(received, method));
  };
  const exchange: Exchange = (request) =>
    receive(request.url, request.method, { ...request.headers }, request.body, request.signal).then((received) =>
      received instanceof Response
        ? received
        : {
            status: received.message.statusCode ?? 0,
            statusText: received.message.statusMessage ?? "",
            headers: headersOf(received.message),
            body: new Uint8Array(received.body.buffer, received.body.byteOffset, received.body.byteLength) as Uint8Array<ArrayBuffer>,
          },
    );
  return Object.assign(nodeFetch, {
    [EXCHANGE]: exchange,
    close(): void {
      ownHttp?.destroy();
      ownHttps?.destroy();
    },
  });
}
