import {
  type CoreOptions,
  checkWireCall,
  createCoreFetch,
  type FetchLike,
  operationAt,
  type PreparedCall,
  type ResolvedCoreOptions,
  readSuccessBody,
  sendCall,
  ValidationError,
} from "@geminidb-sessions/core";
import {
  type OperationId,
  type OperationSuccessBodies,
  operations,
  operationValidators,
  type PaginatedOperationId,
} from "@geminidb-sessions/validation";
import createClient, { type Client, type Middleware } from "openapi-fetch";
import {
  type CallInput,
  type CallResult,
  callOperation,
  operationPages,
  registerClient,
  renderAs,
  resolveClientOptions,
} from "./bare-client.js";
import type { paths } from "./generated/schema.gen.js";

/** Options of `createSessionsClient`: the core options both clients share, plus openapi-fetch middleware. */
export interface SessionsClientOptions extends CoreOptions {
  /**
   * openapi-fetch middleware (`onRequest` / `onResponse` / `onError`), run once per
   * call around the transport (which signs, times out and retries each attempt).
   */
  middleware?: readonly Middleware[] | undefined;
}

/** One method per operation of the spec, named by its operationId. */
export type SessionsOperations = {
  [Id in OperationId]: (input: CallInput<Id>) => Promise<CallResult<Id>>;
};

/** For each operation that pages through a list: every page, in order, as an async iterator. */
export type SessionsPages = {
  [Id in PaginatedOperationId]: (input: CallInput<Id>) => AsyncIterableIterator<CallResult<Id>>;
};

/**
 * A client for GeminiDB Redis sessions: one method per operation of the spec (see the
 * package README for the list), each checking its input before any I/O and resolving with
 * the checked success body and the request ID, or throwing one of core's typed errors.
 */
export interface SessionsClient extends SessionsOperations {
  /**
   * Every page of a paginated list, for `for await`: starts at the input's `offset`
   * (default 0), asks for `limit` items a page, stops at the list's total and never asks
   * for a page past the end. `signal` ends the iteration at once.
   *
   * @example
   * for await (const page of client.pages.listNodeSessions({ nodeId })) console.log(page.data.sessions.length);
   */
  readonly pages: SessionsPages;
  /** Adds openapi-fetch middleware (e.g. `onRequest` / `onResponse` hooks). */
  use(...middleware: Middleware[]): void;
  /**
   * The typed openapi-fetch client, for callers who prefer `{ data, error, response }`.
   * Every request it sends passes the same input checks as the methods (a `ValidationError`
   * before any I/O), and failures still throw core's typed errors.
   */
  readonly raw: Client<paths>;
  /** The origin requests go to. */
  readonly endpoint: string;
}

/** The options this package adds on top of core's. */
const CLIENT_OPTION_NAMES = ["middleware"] as const;

/**
 * Creates a client. Options are checked at once: an unknown region, a malformed
 * project ID or credential, or `http://` to a non-loopback host throws a
 * `ValidationError` before anything is sent.
 *
 * @example
 * const client = createSessionsClient({ projectId, region: "cn-north-4", credentials: { token } });
 * const { data } = await client.listInstanceSessions({ instanceId });
 * await client.closeInstanceSessions({ instanceId });
 */
export function createSessionsClient(options: SessionsClientOptions): SessionsClient {
  const resolved = resolveClientOptions(options, CLIENT_OPTION_NAMES);
  const coreFetch = createCoreFetch(resolved);
  const raw = createClient<paths>({ baseUrl: resolved.endpoint, fetch: coreFetch });
  const checked = new WeakSet<object>();
  raw.use(inputChecks(resolved, checked));
  const client = new SessionsClientImpl(resolved, raw, checked, coreFetch);
  if (options.middleware) client.use(...options.middleware);
  return client as unknown as SessionsClient;
}

/** The middleware that gives `raw` the methods' input checks; calls the methods already checked are let through. */
function inputChecks(options: ResolvedCoreOptions, checked: WeakSet<object>): Middleware {
  return {
    async onRequest({ request, schemaPath, params }) {
      if (checked.has(params)) return undefined;
      const operation = operationAt(request.method, schemaPath);
      if (operation === undefined)
        throw new ValidationError("path", "enum", `${request.method} ${schemaPath} is not an operation of the API`);
      const body = operation.body === null ? undefined : await readJsonBody(request);
      const prepared = checkWireCall(operation, params, body, options);
      // The headers the methods would send that the caller did not (with AK/SK, `X-Project-Id`: the
      // signature names the path's project, not the client's).
      const missing = Object.entries(prepared.headers).filter(([name]) => !request.headers.has(name));
      if (missing.length === 0) return undefined;
      const headers = new Headers(request.headers);
      for (const [name, value] of missing) headers.set(name, value);
      return new Request(request, { headers });
    },
  };
}

async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.clone().text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError("body", "type", "must be JSON");
  }
}

class SessionsClientImpl {
  readonly #options: ResolvedCoreOptions;
  readonly #checked: WeakSet<object>;
  readonly #coreFetch: FetchLike;
  /** True once middleware was added: the methods then send through openapi-fetch, so it sees them. */
  #viaOpenapiFetch = false;
  readonly raw: Client<paths>;
  readonly pages: Record<string, (input: unknown) => AsyncIterableIterator<CallResult<OperationId>>> = {};

  constructor(options: ResolvedCoreOptions, raw: Client<paths>, checked: WeakSet<object>, coreFetch: FetchLike) {
    this.#options = options;
    this.#checked = checked;
    this.#coreFetch = coreFetch;
    this.raw = raw;
    // Middleware added to `raw` directly must see the methods' calls too.
    const addToRaw = raw.use.bind(raw);
    raw.use = (...middleware: Middleware[]) => {
      addToRaw(...middleware);
      if (middleware.length > 0) this.#viaOpenapiFetch = true;
    };
    renderAs(this, "SessionsClient");
    registerClient(this, { options, factory: "createSessionsClient", send: (call, signal) => this.#send(call, signal) });
    const self = this as unknown as Record<string, unknown>;
    for (const id of Object.keys(operations) as OperationId[]) {
      const operation = operations[id];
      const checks = operationValidators[id];
      self[id] = (input: unknown) => callOperation(this, operation, checks, input);
      if (operation.pagination !== null) this.pages[id] = (input: unknown) => operationPages(this, operation, checks, input);
    }
  }

  get endpoint(): string {
    return this.#options.endpoint;
  }

  use(...middleware: Middleware[]): void {
    this.raw.use(...middleware);
  }

  async #send(call: PreparedCall, signal: AbortSignal | undefined): Promise<CallResult<OperationId>> {
    // With no middleware to run, the call goes to core's transport as parts: the same request
    // openapi-fetch would build (a test compares them), without its Request and Response objects.
    if (!this.#viaOpenapiFetch) return (await sendCall(this.#options, call, signal)) as CallResult<OperationId>;
    const params = { path: call.path, query: call.query, header: call.headers };
    this.#checked.add(params);
    const { operation } = call;
    const request = this.raw.request as unknown as (
      method: string,
      path: string,
      init: Record<string, unknown>,
    ) => Promise<{
      data?: unknown;
      response: Response;
    }>;
    // The call's own timeoutMs / maxRetries / onRetry ride to the transport in the init of a per-request
    // fetch (openapi-fetch builds the Request itself and drops unknown init keys), so they apply to this call only.
    const { callOptions } = call;
    const hasCallOptions = Object.values(callOptions).some((value) => value !== undefined);
    const { data, response } = await request(operation.method.toLowerCase(), operation.path, {
      params,
      parseAs: "text",
      ...(call.body === undefined ? {} : { body: call.body }),
      ...(signal ? { signal } : {}),
      ...(hasCallOptions ? { fetch: (input: Request) => this.#coreFetch(input, callOptions as RequestInit) } : {}),
    });
    const requestId = response.headers.get("x-request-id") ?? undefined;
    const body = readSuccessBody(operation, typeof data === "string" ? data : "", response.status, requestId);
    return { data: body as OperationSuccessBodies[OperationId], requestId };
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint, projectId: this.#options.projectId };
  }
}
