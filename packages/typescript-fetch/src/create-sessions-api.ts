import { SessionsApi } from "./sessions-api.js";
import { type SessionsApiOptions, SessionsConfiguration } from "./sessions-configuration.js";

/**
 * Creates the generated class-based API, configured with `@geminidb-sessions/core`: the
 * same credentials, endpoint resolution, insecure-http refusal, input checks, retries,
 * timeouts and typed errors as `@geminidb-sessions/client`. Options are checked at once: an
 * unknown region, a malformed project ID or credential, or `http://` to a non-loopback host
 * throws a `ValidationError` before anything is sent.
 *
 * @example
 * const api = createSessionsApi({ projectId, region: "cn-north-4", credentials: { token } });
 * await api.clearInstanceSessions({ instanceId: "c865f921f3dd45198f209a607533a779in12" }, { signal });
 */
export function createSessionsApi(options: SessionsApiOptions): SessionsApi {
  return new SessionsApi(new SessionsConfiguration(options));
}
