import type { SignalLike } from "./attempt-signal.js";
import { decoder } from "./text.js";

const bodyUnusable = () => new TypeError("Body is unusable: Body has already been read");

/**
 * The transport's own way into `createNodeFetch` (a symbol shared by core's entry points): the
 * request as parts, the answer as parts, with no `Headers`, `Request` or `Response` built on the
 * way. Given a fetch that has it, core's transport sends through it; any other fetch is called as a fetch.
 * The key names the version of the exchange's shape (`ExchangeRequest` → `ExchangeAnswer`): a copy of
 * core whose exchange has another shape (an answer without `response()`) is then called as a fetch,
 * not misread. Change the version whenever either shape changes.
 */
export const EXCHANGE: unique symbol = Symbol.for("@geminidb-sessions/core.exchange@2") as never;

/** A request as the transport hands it to an exchange: header names in lower case. */
export interface ExchangeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  /** Aborts the exchange: destroy the request, reject (or fail the body once the head is in) with its reason. */
  signal: SignalLike;
  /** The most body bytes the caller takes (declared, as they arrive, and once decoded); the exchange may stop earlier. */
  limitBytes: number;
}

/**
 * An answer at its head: header names in lower case (repeated headers joined with ", "), and the body,
 * decoded, once it has all arrived. The body rejects with a `BodyReadError` when it breaks off, passes
 * the cap or cannot be decoded, and with the signal's reason when the signal aborts while it arrives.
 */
export interface ExchangeAnswer {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Promise<Uint8Array>;
  /**
   * The answer as a `Response` whose body is `body` (what an error is read from): made by the exchange,
   * so the code that builds one is bundled with the exchanges (node:http) and not with every transport.
   */
  response(): Response;
}

/**
 * Sends one request and resolves at the answer's head, as fetch does; rejects as fetch does when no
 * answer came. Returns undefined when this fetch should be called as a fetch instead.
 */
export type Exchange = (request: ExchangeRequest) => Promise<ExchangeAnswer> | undefined;

/** Why a body could not be read whole. */
export class BodyReadError extends TypeError {
  /** The bytes that did arrive, in order (none for a compressed body: it cannot be handed on part-decoded). */
  readonly received: readonly Uint8Array[];
  /** True when the body passed the size cap: as declared, as it arrived, or once decoded. */
  readonly tooLarge: boolean;

  constructor(message: string, options: { received?: readonly Uint8Array[]; tooLarge?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.received = options.received ?? [];
    this.tooLarge = options.tooLarge ?? false;
  }
}

/** Statuses whose Response must have a null body. */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/**
 * A `Response` made at the head, whose body is what `body` resolves with. When `body` fails, a reader
 * gets what arrived first (so one that counts bytes sees a cap passed), then the failure, as fetch's
 * body stream fails.
 */
export function responseAtHead(init: ResponseInit & { status: number }, body: Promise<Uint8Array>, nullBody: boolean): Response {
  body.catch(() => {});
  if (nullBody || NULL_BODY_STATUSES.has(init.status)) return new Response(null, init);
  let parts: Uint8Array[] | undefined;
  let failed = false;
  let failure: unknown;
  let next = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (parts === undefined) {
          try {
            const bytes = await body;
            parts = bytes.byteLength === 0 ? [] : [bytes];
          } catch (error) {
            failed = true;
            failure = error;
            parts = error instanceof BodyReadError ? [...error.received] : [];
          }
        }
        const part = parts[next++];
        if (part !== undefined) controller.enqueue(part);
        else if (failed) controller.error(failure);
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(stream, init);
}

/**
 * A `Response` whose body is already in memory. A runtime's `Response` wraps every
 * body in a WHATWG stream, and reading it back (`json()`, `text()`) through that
 * stream costs more CPU than a whole HTTP exchange on node:http; this one answers
 * `text()`, `json()`, `arrayBuffer()` and `blob()` from the bytes, with the same
 * results and the same "already read" rule. `body` (the stream), `formData()` and
 * everything after them go through a real `Response` made on first use. Given
 * `parsed`, the first `json()` returns that value instead of parsing again.
 *
 * The class is defined on the first call, not when this module loads: `extends Response` reads
 * the global `Response`, and on Node.js the first read of it loads Node's fetch implementation
 * (undici), about 20 ms of CPU that importing a client would otherwise pay before any call.
 */
export function bufferedResponse(bytes: Uint8Array<ArrayBuffer>, init: ResponseInit, parsed?: { value: unknown }): Response {
  bufferedResponseClass ??= defineBufferedResponse();
  return new bufferedResponseClass(bytes, init, parsed);
}

type BufferedResponseClass = new (bytes: Uint8Array<ArrayBuffer>, init: ResponseInit, parsed?: { value: unknown }) => Response;

let bufferedResponseClass: BufferedResponseClass | undefined;

function defineBufferedResponse(): BufferedResponseClass {
  class BufferedResponse extends Response {
    readonly #bytes: Uint8Array<ArrayBuffer>;
    readonly #init: ResponseInit;
    #parsed: { value: unknown } | undefined;
    #streamed: Response | undefined;
    #used = false;

    constructor(bytes: Uint8Array<ArrayBuffer>, init: ResponseInit, parsed?: { value: unknown }) {
      super(null, init);
      this.#bytes = bytes;
      this.#init = init;
      this.#parsed = parsed;
      // Own accessors: Response declares these on its prototype.
      Object.defineProperties(this, {
        body: { get: () => this.#real().body, enumerable: true },
        bodyUsed: { get: () => (this.#streamed === undefined ? this.#used : this.#streamed.bodyUsed), enumerable: true },
      });
    }

    #real(): Response {
      this.#streamed ??= new Response(this.#used ? null : this.#bytes, this.#init);
      return this.#streamed;
    }

    #take<T>(read: (bytes: Uint8Array<ArrayBuffer>) => T, viaStream: (response: Response) => Promise<T>): Promise<T> {
      if (this.#streamed !== undefined) return viaStream(this.#streamed);
      if (this.#used) return Promise.reject(bodyUnusable());
      this.#used = true;
      try {
        return Promise.resolve(read(this.#bytes));
      } catch (error) {
        return Promise.reject(error);
      }
    }

    override text(): Promise<string> {
      return this.#take(
        (bytes) => decoder.decode(bytes),
        (response) => response.text(),
      );
    }

    override json(): Promise<unknown> {
      const parsed = this.#parsed;
      this.#parsed = undefined;
      return this.#take(
        (bytes) => (parsed === undefined ? JSON.parse(decoder.decode(bytes)) : parsed.value),
        (response) => response.json(),
      );
    }

    override arrayBuffer(): Promise<ArrayBuffer> {
      return this.#take(
        (bytes) => bytes.slice().buffer,
        (response) => response.arrayBuffer(),
      );
    }

    override blob(): Promise<Blob> {
      const type = this.headers.get("content-type") ?? "";
      return this.#take(
        (bytes) => new Blob([bytes], { type }),
        (response) => response.blob(),
      );
    }

    override formData(): Promise<FormData> {
      return this.#real().formData();
    }

    override clone(): Response {
      if (this.#streamed !== undefined) return this.#streamed.clone();
      if (this.#used) throw bodyUnusable();
      return new BufferedResponse(this.#bytes, this.#init);
    }
  }
  return BufferedResponse;
}
