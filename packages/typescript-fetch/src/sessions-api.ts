import { type OperationTarget, type ResolvedCoreOptions, resolveOperationTarget, ValidationError } from "@geminidb-sessions/core";
import { toCoreError } from "./core-error.js";
import { type ApiResponse, type ClearInstanceSessionsRequest, ConnectionManagementApi, type RequestOpts } from "./generated/index.js";
import { type InitOverrides, keepProjectHeader } from "./project-header.js";
import { coreOptionsOf, type SessionsConfiguration } from "./sessions-configuration.js";
import { readSuccessBody } from "./success-body.js";

/** The generated `ClearInstanceSessionsRequest`, with `projectId` optional: it defaults to the one given to `createSessionsApi`. */
export type ClearSessionsRequest = Omit<ClearInstanceSessionsRequest, "projectId"> & {
  /** Overrides the configured `projectId` for this call. */
  projectId?: string | undefined;
};

/** What `clearInstanceSessionsWithRequestId` resolves with: the same as the client's `closeAllSessions`. */
export interface ClearInstanceSessionsResult {
  /** The service's `X-Request-Id` for the call; quote it to support. */
  requestId: string | undefined;
}

/**
 * The generated `ConnectionManagementApi`, wired to `@geminidb-sessions/core`. A subclass
 * rather than a wrapper, so it stays the class users of generated SDKs know: it is an
 * `instanceof ConnectionManagementApi`, it keeps `withMiddleware` / `withPreMiddleware` /
 * `withPostMiddleware` and `clearInstanceSessionsRequestOpts`, and it fits wherever that
 * class is expected. It overrides the operation's three generated methods (every entry
 * point goes through `clearInstanceSessionsRaw`), so each call:
 * - checks `projectId` (defaulting to the configured one) and `instanceId` before any I/O,
 *   throwing `ValidationError` naming the field;
 * - on AK/SK credentials, names the path's project in the signed `X-Project-Id`;
 * - fails with core's typed errors, never the generator's `FetchError` / `ResponseError`.
 *
 * Create it with `createSessionsApi(options)`.
 */
export class SessionsApi extends ConnectionManagementApi {
  readonly #core: ResolvedCoreOptions;

  /** Prefer `createSessionsApi(options)`; this is `new SessionsApi(new SessionsConfiguration(options))`. */
  constructor(configuration: SessionsConfiguration) {
    const core = coreOptionsOf(configuration);
    if (core === undefined) {
      throw new ValidationError("configuration", "type", "must be a SessionsConfiguration; create the API with createSessionsApi(options)");
    }
    super(configuration);
    this.#core = core;
  }

  /** The origin requests go to. */
  get endpoint(): string {
    return this.#core.endpoint;
  }

  /** Checks the call's input (before any I/O) and builds the generated request options. */
  override async clearInstanceSessionsRequestOpts(requestParameters: ClearSessionsRequest): Promise<RequestOpts> {
    const { headers, ...checked } = this.#check(requestParameters);
    const options = await super.clearInstanceSessionsRequestOpts(checked);
    return { ...options, headers: { ...options.headers, ...headers } };
  }

  /**
   * Sends the request; resolves with the generator's `ApiResponse` (the 2xx `Response` is
   * `.raw`, its `X-Request-Id` in `.raw.headers`), or throws one of core's typed errors.
   */
  override async clearInstanceSessionsRaw(
    requestParameters: ClearSessionsRequest,
    initOverrides?: InitOverrides,
  ): Promise<ApiResponse<object>> {
    const { headers, ...checked } = this.#check(requestParameters);
    const overrides = Object.keys(headers).length > 0 ? keepProjectHeader(initOverrides, checked.projectId) : initOverrides;
    try {
      return await super.clearInstanceSessionsRaw(checked, overrides);
    } catch (error) {
      throw await toCoreError(error, this.#core);
    }
  }

  /**
   * Closes every session on every node of the instance, as the generated method does
   * (`api.clearInstanceSessions({ projectId, instanceId }, { signal })`), and resolves with
   * the success body (`{}`). Throws one of core's typed errors otherwise.
   *
   * @example
   * await api.clearInstanceSessions({ instanceId: "c865f921f3dd45198f209a607533a779in12" }, { signal });
   */
  override async clearInstanceSessions(requestParameters: ClearSessionsRequest, initOverrides?: InitOverrides): Promise<object> {
    const response = await this.clearInstanceSessionsRaw(requestParameters, initOverrides);
    return readSuccessBody(response.raw);
  }

  /**
   * Like `clearInstanceSessions`, but resolves with the service's request ID, exactly as
   * `@geminidb-sessions/client`'s `closeAllSessions` does.
   *
   * @example
   * const { requestId } = await api.clearInstanceSessionsWithRequestId({ instanceId });
   */
  async clearInstanceSessionsWithRequestId(
    requestParameters: ClearSessionsRequest,
    initOverrides?: InitOverrides,
  ): Promise<ClearInstanceSessionsResult> {
    const response = await this.clearInstanceSessionsRaw(requestParameters, initOverrides);
    await readSuccessBody(response.raw);
    return { requestId: response.raw.headers.get("x-request-id") ?? undefined };
  }

  /** The same checks, in the same order, as `@geminidb-sessions/client`'s `closeAllSessions` (core's `resolveOperationTarget`). */
  #check(requestParameters: ClearSessionsRequest): OperationTarget {
    return resolveOperationTarget(requestParameters, this.#core, "createSessionsApi");
  }

  /** A safe summary for logs: no credentials. */
  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint, projectId: this.#core.projectId };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `SessionsApi ${JSON.stringify(this.toJSON())}`;
  }
}
