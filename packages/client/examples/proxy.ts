import { createSessionsClient, type FetchLike, optionsFromEnv } from "@geminidb-sessions/client";
import { EnvHttpProxyAgent, fetch as undiciFetch } from "undici";

// Behind a corporate proxy: undici's EnvHttpProxyAgent reads HTTPS_PROXY / HTTP_PROXY and
// NO_PROXY (upper or lower case) as curl does, and undici's own fetch sends every request,
// retries included, through it. To an https:// endpoint the proxy only sees a CONNECT
// tunnel: the credentials travel inside TLS.
const dispatcher = new EnvHttpProxyAgent();

// The transport always calls fetch(url, init) with a URL string; undici's RequestInit type
// differs from the DOM's only on paper, hence the casts.
export const proxiedFetch: FetchLike = (input, init) =>
  undiciFetch(input instanceof Request ? input.url : input, {
    ...(init as Parameters<typeof undiciFetch>[1]),
    dispatcher,
  }) as unknown as Promise<Response>;

export const client = createSessionsClient(optionsFromEnv(process.env, { fetch: proxiedFetch }));
