import { type CoreOptions, createCoreFetch, ResolvedCoreOptions, resolveCoreOptions } from "@geminidb-sessions/core";
import { name, version } from "../package.json";
import { Configuration } from "./generated/index.js";

/** The `User-Agent` this package sends unless told otherwise: its own name and version. */
const userAgent = `${name}/${version}`;

/**
 * What `createSessionsApi` takes: exactly the options of `@geminidb-sessions/client`'s
 * `createSessionsClient` (`projectId`, `region` / `endpoint`, `credentials`, `maxRetries`,
 * `timeoutMs`, `fetch`, `logger`, `onRetry`, `allowInsecureHttp`, `userAgent`, `backoff`, `runtime`),
 * without its openapi-fetch `middleware`: use the generator's own `withMiddleware` instead.
 */
export type SessionsApiOptions = CoreOptions;

/** The checked core options behind each configuration, kept off the public object so they are not reachable by accident. */
const coreOptions = new WeakMap<SessionsConfiguration, ResolvedCoreOptions>();

/**
 * The generator's `Configuration`, filled from core options: `basePath` is the resolved
 * endpoint and `fetchApi` is core's transport (`createCoreFetch`), which authenticates or
 * signs, times out, retries, and throws core's typed errors. Nothing else is set, so the
 * generated code adds no credentials of its own.
 *
 * @example
 * const api = new SessionsApi(new SessionsConfiguration({ projectId, region: "cn-north-4", credentials: { token } }));
 */
export class SessionsConfiguration extends Configuration {
  /** Checks every option at once (`ValidationError` naming the option) before anything is sent. */
  constructor(options: SessionsApiOptions | ResolvedCoreOptions) {
    const core = resolveCoreOptions(withDefaultUserAgent(options));
    super({ basePath: core.endpoint, fetchApi: createCoreFetch(core) });
    coreOptions.set(this, core);
  }
}

/** Adds this package's `User-Agent` unless one is given; anything not a plain options object goes to core's checks as is. */
function withDefaultUserAgent(options: SessionsApiOptions | ResolvedCoreOptions): SessionsApiOptions | ResolvedCoreOptions {
  if (options instanceof ResolvedCoreOptions || typeof options !== "object" || options === null) return options;
  return { ...options, userAgent: options.userAgent ?? userAgent };
}

/** The core options a `SessionsConfiguration` was made from; undefined for any other configuration. */
export function coreOptionsOf(configuration: unknown): ResolvedCoreOptions | undefined {
  return configuration instanceof SessionsConfiguration ? coreOptions.get(configuration) : undefined;
}
