import {
  CALL_OPTION_NAMES,
  type CallOptions,
  errorFromResponse,
  type PreparedCall,
  paginate,
  prepareCall,
  type ResolvedCoreOptions,
  readSuccessBody,
  ValidationError,
} from "@geminidb-sessions/core";
import { authProfile, type OperationId, operations, type PaginatedOperationId } from "@geminidb-sessions/validation";
import { GeneratedApi } from "./generated/generated-api.gen.js";
import {
  type ApiResponse,
  FetchError,
  type InitOverrideFunction,
  type RequestOpts,
  RequiredError,
  ResponseError,
} from "./generated/index.js";
import { coreOptionsOf, type SessionsApiOptions, SessionsConfiguration } from "./sessions-configuration.js";

/**
 * The generator's second parameter: a `RequestInit` to merge, or a function returning one.
 * The object form also takes `timeoutMs` and `maxRetries`, which override the API's own for
 * that call only, and `onRetry`, told of that call's retries after the API's own `onRetry` (the
 * transport reads them from the request's `init`).
 */
export type InitOverrides = (RequestInit & CallOptions) | InitOverrideFunction;

/** `X-Project-Id`, the header an AK/SK signature names its project in. */
const projectHeader = authProfile.projectHeader;

/**
 * The generator replaces the request's headers wholesale when an init override has
 * `headers`. The AK/SK signature must name the path's project, so this wraps the
 * caller's overrides to put `X-Project-Id` back into any headers they supply.
 */
function keepProjectHeader(initOverrides: InitOverrides | undefined, projectId: string): InitOverrides | undefined {
  if (initOverrides === undefined) return undefined;
  return async (context) => {
    const override = typeof initOverrides === "function" ? await initOverrides(context) : initOverrides;
    if (override?.headers === undefined) return override ?? {};
    // A plain record, as the generator's own headers are, so `pre` middleware can spread it.
    const headers: Record<string, string> = {};
    new Headers(override.headers).forEach((value, name) => {
      headers[name] = value;
    });
    headers[projectHeader.toLowerCase()] = projectId;
    return { ...override, headers };
  };
}

/** A generated request type with `projectId` optional: it defaults to the one given to `createSessionsApi`. */
export type ProjectDefaulted<Request> = Request extends { projectId: string }
  ? Omit<Request, "projectId"> & {
      /** Overrides the configured `projectId` for this call. */
      projectId?: string | undefined;
    }
  : Request;

type GeneratedMethod<Id extends OperationId> = GeneratedApi[Id] extends (...args: infer A) => infer R ? { args: A; result: R } : never;

/** What the generated method of operation `Id` takes, with `projectId` optional. */
export type OperationRequest<Id extends OperationId> = ProjectDefaulted<NonNullable<GeneratedMethod<Id>["args"][0]>>;

/** What the generated method of operation `Id` resolves with: the generator's model of the success body. */
export type OperationResponse<Id extends OperationId> = Awaited<GeneratedMethod<Id>["result"]>;

type GeneratedResult<Name extends string> = Name extends keyof GeneratedApi
  ? GeneratedApi[Name] extends (...args: never[]) => infer R
    ? R
    : never
  : never;

/**
 * Every operation's generated methods (`x`, `xRaw`, `xRequestOpts`) as `SessionsApi` takes
 * them: `projectId` defaulting to the configured one.
 */
export type SessionsApiOperations = {
  [Id in OperationId]: (requestParameters: OperationRequest<Id>, initOverrides?: InitOverrides) => Promise<OperationResponse<Id>>;
} & {
  [Id in OperationId as `${Id}Raw`]: (
    requestParameters: OperationRequest<Id>,
    initOverrides?: InitOverrides,
  ) => GeneratedResult<`${Id}Raw`>;
} & {
  [Id in OperationId as `${Id}RequestOpts`]: (requestParameters: OperationRequest<Id>) => Promise<RequestOpts>;
};

/** For each operation that pages through a list: every page's model, in order, as an async iterator. */
export type SessionsApiPages = {
  [Id in PaginatedOperationId]: (
    requestParameters: OperationRequest<Id>,
    initOverrides?: InitOverrides,
  ) => AsyncIterableIterator<OperationResponse<Id>>;
};

/** The generated methods of one operation, by the generator's naming: `x`, `xRaw`, `xRequestOpts`. */
type Generated = Record<string, (...args: unknown[]) => Promise<unknown>>;

/**
 * Call options (`timeoutMs`, `maxRetries`, `onRetry`, `signal`) belong in `initOverrides`, the
 * second argument, as in every openapi-generator SDK. In the request parameters the generated
 * code would drop them unseen, so they are refused there, naming the option, before any I/O.
 */
function refuseCallOptions(id: OperationId, parameters: unknown): void {
  if (typeof parameters !== "object" || parameters === null) return;
  for (const name of ["signal", ...CALL_OPTION_NAMES]) {
    if ((parameters as Record<string, unknown>)[name] === undefined) continue;
    const hint = `pass it in initOverrides, the second argument: api.${id}(parameters, { ${name} })`;
    throw new ValidationError(name, "placement", `is a call option, not a request parameter of ${id}; ${hint}`);
  }
}

/** openapi-generator's parameter name for a request body: the camel-cased schema name. */
const bodyParameterName = (schema: string): string => schema.charAt(0).toLowerCase() + schema.slice(1);

/**
 * The class openapi-generator makes for the spec's operations, wired to `@geminidb-sessions/core`.
 * A subclass rather than a wrapper, so it stays the class users of generated SDKs know: it
 * keeps `withMiddleware` / `withPreMiddleware` / `withPostMiddleware` and every operation's
 * `x`, `xRaw` and `xRequestOpts` methods. For every operation of the spec (nothing here is
 * written per operation), each call:
 * - checks its input (parameters and body, `projectId` defaulting to the configured one)
 *   before any I/O, exactly as `@geminidb-sessions/client` does, throwing `ValidationError`
 *   naming the field;
 * - on AK/SK credentials, names the path's project in the signed `X-Project-Id`;
 * - checks a success body against the spec, and fails with core's typed errors, never the
 *   generator's `FetchError` / `ResponseError` / `RequiredError`.
 *
 * Create it with `createSessionsApi(options)`.
 */
class SessionsApiClass extends GeneratedApi {
  readonly #core: ResolvedCoreOptions;
  /**
   * Every page of a paginated list, for `for await`: starts at `offset` (default 0), asks for
   * `limit` items a page, stops at the list's total and never asks for a page past the end.
   *
   * @example
   * for await (const page of api.pages.listNodeSessions({ nodeId })) console.log(page.sessions.length);
   */
  readonly pages: SessionsApiPages;

  /** Prefer `createSessionsApi(options)`; this is `new SessionsApi(new SessionsConfiguration(options))`. */
  constructor(configuration: SessionsConfiguration) {
    const core = coreOptionsOf(configuration);
    if (core === undefined) {
      throw new ValidationError("configuration", "type", "must be a SessionsConfiguration; create the API with createSessionsApi(options)");
    }
    super(configuration);
    this.#core = core;
    const pages: Record<string, unknown> = {};
    const self = this as unknown as Generated;
    for (const id of Object.keys(operations) as OperationId[]) {
      const requestOpts = self[`${id}RequestOpts`] as (parameters: Record<string, unknown>) => Promise<RequestOpts>;
      const raw = self[`${id}Raw`] as (parameters: unknown, initOverrides?: InitOverrides) => Promise<ApiResponse<unknown>>;
      self[`${id}RequestOpts`] = (parameters: unknown) => this.#requestOpts(id, parameters, requestOpts);
      self[`${id}Raw`] = async (parameters: unknown, initOverrides?: unknown) =>
        (await this.#invoke(id, raw, parameters, initOverrides as InitOverrides | undefined)).response;
      self[id] = async (parameters: unknown, initOverrides?: unknown) =>
        (await this.#invoke(id, raw, parameters, initOverrides as InitOverrides | undefined)).model();
      if (operations[id].pagination !== null)
        pages[id] = (parameters: unknown, initOverrides?: InitOverrides) => this.#pages(id, raw, parameters, initOverrides);
    }
    this.pages = pages as SessionsApiPages;
  }

  /** The origin requests go to. */
  get endpoint(): string {
    return this.#core.endpoint;
  }

  /** Checks the call's input (before any I/O), fills in `projectId`, and builds the generated request options. */
  async #requestOpts(
    id: OperationId,
    parameters: unknown,
    generated: (parameters: Record<string, unknown>) => Promise<RequestOpts>,
  ): Promise<RequestOpts> {
    if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters))
      throw new ValidationError("input", "type", `must be an object with the parameters of ${id}`);
    refuseCallOptions(id, parameters);
    const body = operations[id].body as { schema: string } | null;
    const bodyName = body === null ? undefined : bodyParameterName(body.schema);
    const { [bodyName ?? ""]: _model, ...given } = parameters as Record<string, unknown>;
    const projectId = given.projectId ?? this.#core.projectId;
    let options: RequestOpts;
    try {
      options = await generated.call(this, { ...parameters, projectId });
    } catch (error) {
      // The generator's own check of a missing parameter, in the same typed form as every other input check.
      if (error instanceof RequiredError) prepareCall(id, given, this.#core, "createSessionsApi");
      throw error;
    }
    const call = prepareCall(id, bodyName === undefined ? given : { ...given, body: options.body }, this.#core, "createSessionsApi");
    return { ...options, headers: { ...options.headers, ...call.headers } };
  }

  /**
   * Sends one call through the generated `xRaw` method and checks its success body against
   * the spec before anyone reads it; `model()` is the generator's model of that body.
   */
  async #invoke(
    id: OperationId,
    raw: (parameters: unknown, initOverrides?: InitOverrides) => Promise<ApiResponse<unknown>>,
    parameters: unknown,
    initOverrides: InitOverrides | undefined,
  ) {
    const response = await raw.call(this, parameters, initOverrides);
    const text = await response.raw.clone().text();
    const requestId = response.raw.headers.get("x-request-id") ?? undefined;
    const data = readSuccessBody(operations[id], text, response.raw.status, requestId);
    return { response, data, model: () => (text.trim() === "" ? Promise.resolve(data) : response.value()) };
  }

  async *#pages(
    id: OperationId,
    raw: (parameters: unknown, initOverrides?: InitOverrides) => Promise<ApiResponse<unknown>>,
    parameters: unknown,
    initOverrides: InitOverrides | undefined,
  ): AsyncIterableIterator<unknown> {
    refuseCallOptions(id, parameters);
    const first = prepareCall(id, parameters, this.#core, "createSessionsApi");
    const signal = typeof initOverrides === "object" ? (initOverrides.signal ?? undefined) : undefined;
    // Each page is read and checked once by #invoke; paginate reads the total from its checked body.
    const send = (call: PreparedCall) => this.#invoke(id, raw, call.values, initOverrides);
    for await (const page of paginate(first, this.#core, send, signal)) yield await page.model();
  }

  /** Every request: keeps `X-Project-Id` when init overrides replace the headers, and fails with core's typed errors. */
  protected override async request(context: RequestOpts, initOverrides?: InitOverrides): Promise<Response> {
    const project = context.headers?.[projectHeader];
    const overrides = project === undefined ? initOverrides : keepProjectHeader(initOverrides, project);
    try {
      return await super.request(context, overrides);
    } catch (error) {
      throw await toCoreError(error, this.#core);
    }
  }

  /** A safe summary for logs: no credentials. */
  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint, projectId: this.#core.projectId };
  }
}
// node:util's inspect renders the same safe summary. Set on the prototype: isolated declaration
// emit cannot name a symbol-keyed member.
Object.defineProperty(SessionsApiClass.prototype, Symbol.for("nodejs.util.inspect.custom"), {
  value(this: SessionsApiClass): string {
    return `SessionsApi ${JSON.stringify(this.toJSON())}`;
  },
  writable: true,
  configurable: true,
});

/**
 * The generated API class with every operation's methods typed as `SessionsApi` calls them
 * (`projectId` optional) and `pages` for the paginated lists.
 */
export type SessionsApi = SessionsApiClass & SessionsApiOperations;

/** The class behind `createSessionsApi`: `instanceof SessionsApi` holds for every API it creates. */
export const SessionsApi: new (configuration: SessionsConfiguration) => SessionsApi = SessionsApiClass as never;

/**
 * Creates the generated class-based API, configured with `@geminidb-sessions/core`: the
 * same credentials, endpoint resolution, insecure-http refusal, input checks, retries,
 * timeouts and typed errors as `@geminidb-sessions/client`. Options are checked at once: an
 * unknown region, a malformed project ID or credential, or `http://` to a non-loopback host
 * throws a `ValidationError` before anything is sent.
 *
 * @example
 * const api = createSessionsApi({ projectId, region: "cn-north-4", credentials: { token } });
 * await api.closeInstanceSessions({ instanceId: "c865f921f3dd45198f209a607533a779in12" }, { signal });
 */
export function createSessionsApi(options: SessionsApiOptions): SessionsApi {
  return new SessionsApi(new SessionsConfiguration(options));
}

/**
 * The error a caller should see for what the generated runtime threw, so both
 * flavors fail identically:
 * - `FetchError` wraps whatever the configured `fetchApi` threw. That fetch is core's
 *   transport, which only throws core's typed errors, so the wrapper is removed.
 * - `ResponseError` only appears when a `post` or `onError` middleware hands the
 *   runtime a non-2xx response (core throws before any other non-2xx reaches it);
 *   it becomes the same `ApiError` core builds from any response.
 * - Anything else (a core error thrown directly, a middleware's own error) passes unchanged.
 */
export async function toCoreError(error: unknown, core: ResolvedCoreOptions): Promise<unknown> {
  if (error instanceof FetchError) return error.cause;
  if (error instanceof ResponseError) return errorFromResponse(error.response, { now: core.now, secrets: core.credentials.secrets() });
  return error;
}
