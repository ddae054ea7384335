import { createSessionsClient, type SessionsClientOptions, ValidationError } from "@geminidb-sessions/client";
import type { InstanceIdEntry } from "./instance-ids.js";
import { maskHeaders } from "./redact.js";
import { UsageError } from "./usage-error.js";

/** A request as it would go on the wire, secrets masked. */
export interface PlannedRequest {
  instanceId: string;
  method: string;
  url: string;
  /** Lower-case names, sorted; `host` included (fetch adds it from the URL, and it is signed). */
  headers: Record<string, string>;
}

/**
 * Builds, authenticates and signs the request for every instance with the real
 * client, whose `fetch` here records the request and answers `200 {}` instead of
 * sending it. So the plan is exactly what a real run sends (the same checks, the
 * same headers, the same signing code), except for `X-Sdk-Date` and the signature,
 * which a real run computes again at send time.
 *
 * Every malformed instance ID is reported at once, as one {@link UsageError}; a
 * malformed option throws the client's `ValidationError`.
 */
export async function planRequests(
  clientOptions: SessionsClientOptions,
  entries: readonly InstanceIdEntry[],
  secrets: readonly string[],
): Promise<PlannedRequest[]> {
  // Filled by the fetch below; a list, so each call's request is the one it added.
  const recorded: Array<{ url: string; method: string; headers: Headers }> = [];
  const client = createSessionsClient({
    ...clientOptions,
    maxRetries: 0,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      recorded.push({ url: request.url, method: request.method, headers: new Headers(init?.headers ?? request.headers) });
      return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    },
  });
  const planned: PlannedRequest[] = [];
  const malformed: string[] = [];
  for (const entry of entries) {
    recorded.length = 0;
    try {
      await client.closeAllSessions({ instanceId: entry.id });
    } catch (error) {
      if (!(error instanceof ValidationError) || error.field !== "instanceId") throw error;
      const reason = error.message.replace(/^instanceId:\s*/, "");
      // The client's reason quotes the ID itself.
      malformed.push(`${entry.origin}: ${reason}`);
      continue;
    }
    const [request] = recorded;
    if (request === undefined) throw new Error(`the client sent nothing for ${entry.id}`);
    const { url, method, headers } = request;
    headers.set("host", new URL(url).host);
    planned.push({ instanceId: entry.id, method, url, headers: maskHeaders(headers, secrets) });
  }
  if (malformed.length > 0) {
    const what = malformed.length === 1 ? "a malformed instance ID" : `${malformed.length} malformed instance IDs`;
    throw new UsageError(`${what}; nothing was sent`, malformed);
  }
  return planned;
}
