import type { Agent as HttpAgent, IncomingMessage, OutgoingHttpHeaders } from "node:http";
import type { Agent as HttpsAgent } from "node:https";
import { createRequire } from "node:module";
import type { SignalLike } from "./attempt-signal.js";
import { BodyReadError, EXCHANGE, type Exchange, NULL_BODY_STATUSES, responseAtHead } from "./buffered-response.js";
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

type Http = typeof import("node:http");
type Https = typeof import("node:https");
type Zlib = typeof import("node:zlib");

let requireBuiltin: ((id: string) => unknown) | undefined;

/**
 * A Node.js built-in, looked up when first needed rather than imported: loading node:http and
 * node:https (with net, tls, streams and crypto under them) is about 8 ms of CPU that importing the
 * Node entry would otherwise pay, though a client needs them only once it sends. Node 20.16+, Bun
 * and Deno have `process.getBuiltinModule`; older Node 20 releases get it through `createRequire`
 * (any absolute path serves as the base: built-ins resolve the same from everywhere).
 */
function builtin<T>(id: string): T {
  const scope = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  const found = scope.process?.getBuiltinModule?.(id);
  if (found !== undefined) return found as T;
  requireBuiltin ??= createRequire(process.execPath);
  return requireBuiltin(id) as T;
}

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

const tooLargeMessage = (limit: number) => `response body larger than ${limit} bytes (maxResponseBytes)`;

/** The body decoded per Content-Encoding, at most `limit` bytes of it once decoded (a small gzip can inflate without bound). */
function decoded(bytes: Buffer, encoding: string | undefined, limit: number): Buffer {
  const bounded = { maxOutputLength: limit };
  const name = encoding?.trim().toLowerCase();
  try {
    switch (name) {
      case undefined:
      case "":
      case "identity":
        return bytes;
      case "gzip":
      case "x-gzip":
        return builtin<Zlib>("node:zlib").gunzipSync(bytes, bounded);
      case "deflate":
        return builtin<Zlib>("node:zlib").inflateSync(bytes, bounded);
      case "br":
        return builtin<Zlib>("node:zlib").brotliDecompressSync(bytes, bounded);
    }
  } catch (error) {
    const tooLarge = (error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE";
    throw new BodyReadError(tooLarge ? tooLargeMessage(limit) : `could not decode the ${name} body`, { tooLarge, cause: error });
  }
  throw new BodyReadError(`createNodeFetch cannot decode Content-Encoding ${encoding}`);
}

function initOf(message: IncomingMessage): ResponseInit & { status: number } {
  const raw = message.rawHeaders;
  const headers: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i] as string, raw[i + 1] as string]);
  return { status: message.statusCode ?? 0, statusText: message.statusMessage ?? "", headers };
}

/** The head's headers by lower-case name, repeated ones joined with ", " (as `Headers` joins them). */
function headersOf(message: IncomingMessage): Record<string, string> {
  const raw = message.rawHeaders;
  // No prototype: a header named `constructor` or `__proto__` is a header like any other.
  const out: Record<string, string> = Object.create(null);
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const previous = out[name];
    out[name] = previous === undefined ? (raw[i + 1] as string) : `${previous}, ${raw[i + 1]}`;
  }
  return out;
}

const EMPTY = Buffer.alloc(0);

/**
 * A `fetch` on node:http / node:https with keep-alive agents, for Node.js
 * programs that make many calls: pass it as a client's `fetch` option. It
 * skips the WHATWG fetch machinery of Node's global `fetch` (undici); core's
 * transport takes its answers as plain parts (no `Response` built), so each
 * call costs less CPU. Called as a `fetch` it resolves at the head, as fetch does.
 *
 * What it does not do, since the clients never need it: follow redirects (a
 * 3xx is returned as it is; the clients ask for `redirect: "manual"`), send
 * streamed bodies (strings and bytes only), cookies or caching. Responses in
 * gzip, deflate or br are decoded. A failed connection rejects with
 * `TypeError("fetch failed")` and the system error as `cause`, as Node's
 * `fetch` does; an aborted `signal` destroys the socket and rejects with the
 * signal's reason (or fails the body, once the head is in), so the clients'
 * timeouts and aborts work unchanged.
 *
 * @example
 * import { createNodeFetch } from "@geminidb-sessions/core/node";
 * const client = createSessionsClient({ region, projectId, credentials, fetch: createNodeFetch() });
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const agentOptions = { keepAlive: true, ...(options.maxSockets === undefined ? {} : { maxSockets: options.maxSockets }) };
  const nodeHttp = builtin<Http>("node:http");
  const nodeHttps = builtin<Https>("node:https");
  const ownHttp = options.httpAgent === undefined ? new nodeHttp.Agent(agentOptions) : undefined;
  const ownHttps = options.httpsAgent === undefined ? new nodeHttps.Agent(agentOptions) : undefined;
  const httpAgent = (options.httpAgent ?? ownHttp) as HttpAgent;
  const httpsAgent = (options.httpsAgent ?? ownHttps) as HttpsAgent;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  /**
   * Sends one request (`headers` as they are) and resolves at the answer's head, with the body (decoded,
   * at most `limit` bytes) to come; rejects when no head came. Once the head is in, a failure or an
   * abort fails the body instead.
   */
  const receive = (
    url: URL,
    method: string,
    headers: OutgoingHttpHeaders,
    body: string | Uint8Array | undefined,
    signal: SignalLike | undefined,
    limit: number,
  ): Promise<{ message: IncomingMessage; body: Promise<Buffer> }> =>
    new Promise((resolve, reject) => {
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
      let headIn = false;
      let done = false;
      let settleBody: { resolve: (bytes: Buffer) => void; reject: (error: unknown) => void } | undefined;
      const answerBody = new Promise<Buffer>((resolve, reject) => {
        settleBody = { resolve, reject };
      });
      answerBody.catch(() => {}); // a caller may never read it
      const finish = (error: unknown, bytes?: Buffer) => {
        if (done) return;
        done = true;
        signal?.removeEventListener("abort", onAbort);
        if (!headIn) reject(error);
        else if (bytes !== undefined) settleBody?.resolve(bytes);
        else settleBody?.reject(error);
      };
      const onAbort = () => {
        outgoing.destroy();
        finish(signal?.reason);
      };
      const send = https ? nodeHttps.request : nodeHttp.request;
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
          headIn = true;
          resolve({ message: incoming, body: answerBody });
          const chunks: Buffer[] = [];
          let received = 0;
          const encoding = incoming.headers["content-encoding"];
          /** Fails the body with what arrived (none of a compressed one: it cannot be decoded in part) and stops reading. */
          const broken = (message: string, tooLarge: boolean, cause?: unknown) => {
            const identity = encoding === undefined || encoding.trim().toLowerCase() === "identity";
            finish(new BodyReadError(message, { received: identity ? chunks : [], tooLarge, cause }));
            outgoing.destroy();
          };
          const declared = Number(incoming.headers["content-length"]);
          if (Number.isFinite(declared) && declared > limit) {
            broken(tooLargeMessage(limit), true);
            return;
          }
          incoming.on("data", (chunk: Buffer) => {
            if (done) return;
            received += chunk.length;
            chunks.push(chunk);
            if (received > limit) broken(tooLargeMessage(limit), true);
          });
          incoming.on("error", (error) => broken("terminated", false, error));
          incoming.on("close", () => {
            if (!incoming.complete) broken("terminated", false);
          });
          incoming.on("end", () => {
            if (done) return;
            if (NULL_BODY_STATUSES.has(incoming.statusCode ?? 0) || method === "HEAD") {
              finish(undefined, EMPTY);
              return;
            }
            try {
              finish(undefined, decoded(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), encoding, limit));
            } catch (error) {
              finish(error);
            }
          });
        },
      );
      outgoing.on("error", (error) =>
        finish(headIn ? new BodyReadError("terminated", { cause: error }) : new TypeError("fetch failed", { cause: error })),
      );
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
    return receive(url, method, headers, body, signal, maxResponseBytes).then(({ message, body }) =>
      responseAtHead(initOf(message), body, method === "HEAD"),
    );
  };
  const exchange: Exchange = (request) =>
    receive(
      request.url,
      request.method,
      { ...request.headers },
      request.body,
      request.signal,
      Math.min(maxResponseBytes, request.limitBytes),
    ).then(({ message, body }) => {
      const status = message.statusCode ?? 0;
      const statusText = message.statusMessage ?? "";
      const headers = headersOf(message);
      return { status, statusText, headers, body, response: () => responseAtHead({ status, statusText, headers }, body, false) };
    });
  return Object.assign(nodeFetch, {
    [EXCHANGE]: exchange,
    close(): void {
      ownHttp?.destroy();
      ownHttps?.destroy();
    },
  });
}
