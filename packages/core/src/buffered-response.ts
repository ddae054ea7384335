const decoder = new TextDecoder();
const bodyUnusable = () => new TypeError("Body is unusable: Body has already been read");

/**
 * The transport's own way into `createNodeFetch` (a symbol shared by core's entry points): the
 * request as parts, the answer as parts, with no `Headers`, `Request` or `Response` built on the
 * way. Given a fetch that has it, core's transport sends through it; any other fetch is called as a fetch.
 */
export const EXCHANGE: unique symbol = Symbol.for("@geminidb-sessions/core.exchange") as never;

/** A request as the transport hands it to an exchange: header names in lower case. */
export interface ExchangeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  signal: AbortSignal;
}

/** A whole answer: header names in lower case (repeated headers joined with ", "), the body decoded. */
export interface ExchangeAnswer {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
}

/**
 * Sends one request. Resolves with the answer's parts, or with a `Response` whose body fails
 * when it is read (the body broke off or passed the size cap), as fetch resolves at the head;
 * rejects as fetch does. Returns undefined when this fetch should be called as a fetch instead.
 */
export type Exchange = (request: ExchangeRequest) => Promise<ExchangeAnswer | Response> | undefined;

/**
 * A `Response` whose body is already in memory. A runtime's `Response` wraps every
 * body in a WHATWG stream, and reading it back (`json()`, `text()`) through that
 * stream costs more CPU than a whole HTTP exchange on node:http; this one answers
 * `text()`, `json()`, `arrayBuffer()` and `blob()` from the bytes, with the same
 * results and the same "already read" rule. `body` (the stream), `formData()` and
 * everything after them go through a real `Response` made on first use. Given
 * `parsed`, the first `json()` returns that value instead of parsing again.
 */
export class BufferedResponse extends Response {
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
