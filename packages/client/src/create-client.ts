import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/schema.js";

/** The path of the operation, taken from the generated types so it is never retyped. */
export type SessionsPath = keyof paths;

export interface SessionsClientOptions {
  /** The project that owns the instances this client acts on. */
  projectId: string;
  /** The service's base URL, e.g. `https://gaussdb-nosql.cn-north-4.myhuaweicloud.com`. */
  endpoint: string;
  /** An IAM user token. */
  credentials: { token: string };
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof globalThis.fetch;
}

export interface CloseAllSessionsInput {
  instanceId: string;
  /** Overrides the client's project for this call. */
  projectId?: string;
}

export interface SessionsClient {
  /** Closes every session on every node of the instance. */
  closeAllSessions(input: CloseAllSessionsInput): Promise<{ requestId: string | undefined }>;
  /** The typed openapi-fetch client, for callers who prefer `{ data, error, response }`. */
  raw: Client<paths>;
}

export function createSessionsClient(options: SessionsClientOptions): SessionsClient {
  const raw = createClient<paths>({ baseUrl: options.endpoint, ...(options.fetch ? { fetch: options.fetch } : {}) });
  return {
    raw,
    async closeAllSessions(input) {
      const { response, error } = await raw.DELETE("/v3/{project_id}/instances/{instance_id}/sessions", {
        params: { path: { project_id: input.projectId ?? options.projectId, instance_id: input.instanceId } },
        headers: { "X-Auth-Token": options.credentials.token },
      });
      const requestId = response.headers.get("x-request-id") ?? undefined;
      if (error !== undefined) throw new Error(`closeAllSessions failed with HTTP ${response.status} (request ${requestId ?? "unknown"})`);
      return { requestId };
    },
  };
}
