import { Configuration, ConnectionManagementApi } from "./generated/index.js";

export interface SessionsApiOptions {
  /** The service's base URL, e.g. `https://gaussdb-nosql.cn-north-4.myhuaweicloud.com`. */
  endpoint: string;
  /** An IAM user token. */
  credentials: { token: string };
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof globalThis.fetch;
}

/** The generated class-based API, configured with an endpoint and credentials. */
export function createSessionsApi(options: SessionsApiOptions): ConnectionManagementApi {
  const configuration = new Configuration({
    basePath: options.endpoint,
    ...(options.fetch ? { fetchApi: options.fetch } : {}),
    middleware: [
      {
        pre: async (context) => {
          const headers = new Headers(context.init.headers);
          headers.set("X-Auth-Token", options.credentials.token);
          return { url: context.url, init: { ...context.init, headers } };
        },
      },
    ],
  });
  return new ConnectionManagementApi(configuration);
}
