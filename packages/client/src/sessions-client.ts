import {
  type CoreOptions,
  createCoreFetch,
  type ResolvedCoreOptions,
  resolveCoreOptions,
  resolveOperationTarget,
  ValidationError,
} from "@geminidb-sessions/core";
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { paths } from "./generated/schema.js";
import { sessionsPath } from "./operation.js";
import { userAgent } from "./version.js";

/** Options of `createSessionsClient`: the core options both clients share, plus openapi-fetch middleware. */
export interface SessionsClientOptions extends CoreOptions {
  /**
   * openapi-fetch middleware (`onRequest` / `onResponse` / `onError`), run once per
   * call around the transport (which signs, times out and retries each attempt).
   */
  middleware?: readonly Middleware[] | undefined;
}

/** What `closeAllSessions` takes. */
export interface CloseAllSessionsInput {
  /** The instance whose sessions to close, e.g. `c865f921f3dd45198f209a607533a779in12`. */
  instanceId: string;
  /** Overrides the client's `projectId` for this call. */
  projectId?: string | undefined;
  /** Ends the call at once, also while it waits to retry. */
  signal?: AbortSignal | undefined;
}

/** What a successful `closeAllSessions` returns. */
export interface CloseAllSessionsResult {
  /** The service's `X-Request-Id` for the call; quote it to support. */
  requestId: string | undefined;
}

/** A client for GeminiDB's close-all-sessions operation. */
export interface SessionsClient {
  /**
   * Closes every session on every node of the instance. Resolves when the service
   * accepted the request; throws one of core's typed errors otherwise.
   */
  closeAllSessions(input: CloseAllSessionsInput): Promise<CloseAllSessionsResult>;
  /** Adds openapi-fetch middleware (e.g. `onRequest` / `onResponse` hooks). */
  use(...middleware: Middleware[]): void;
  /** The typed openapi-fetch client, for callers who prefer `{ data, error, response }` (errors still throw typed). */
  readonly raw: Client<paths>;
  /** The origin requests go to. */
  readonly endpoint: string;
}

/**
 * Creates a client. Options are checked at once: an unknown region, a malformed
 * project ID or credential, or `http://` to a non-loopback host throws a
 * `ValidationError` before anything is sent.
 *
 * @example
 * const client = createSessionsClient({ projectId, region: "cn-north-4", credentials: { token } });
 * const { requestId } = await client.closeAllSessions({ instanceId });
 */
export function createSessionsClient(options: SessionsClientOptions): SessionsClient {
  if (typeof options !== "object" || options === null) throw new ValidationError("options", "type", "must be an object with credentials");
  const resolved = resolveCoreOptions({ ...options, userAgent: options.userAgent ?? userAgent });
  const raw = createClient<paths>({ baseUrl: resolved.endpoint, fetch: createCoreFetch(resolved) });
  if (options.middleware) raw.use(...options.middleware);
  return new SessionsClientImpl(resolved, raw);
}

class SessionsClientImpl implements SessionsClient {
  readonly #options: ResolvedCoreOptions;
  readonly raw: Client<paths>;

  constructor(options: ResolvedCoreOptions, raw: Client<paths>) {
    this.#options = options;
    this.raw = raw;
  }

  get endpoint(): string {
    return this.#options.endpoint;
  }

  use(...middleware: Middleware[]): void {
    this.raw.use(...middleware);
  }

  async closeAllSessions(input: CloseAllSessionsInput): Promise<CloseAllSessionsResult> {
    const { projectId, instanceId, headers } = resolveOperationTarget(input, this.#options, "createSessionsClient");
    const path = { project_id: projectId, instance_id: instanceId };
    const { response } = await this.raw.DELETE(sessionsPath, {
      params: { path },
      headers,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return { requestId: response.headers.get("x-request-id") ?? undefined };
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint, projectId: this.#options.projectId };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `SessionsClient ${JSON.stringify(this.toJSON())}`;
  }
}
