import { createSessionsClient } from "@geminidb-sessions/client";
import { createSessionsApi } from "@geminidb-sessions/typescript-fetch";
import type { FlavorAdapter } from "./adapter.js";

/** `@geminidb-sessions/client`: `createSessionsClient(options).closeAllSessions({ instanceId, projectId, signal })`. */
export const clientFlavor: FlavorAdapter = {
  name: "client",
  create(options) {
    const client = createSessionsClient(options);
    return { close: (input) => client.closeAllSessions(input) };
  },
};

/**
 * `@geminidb-sessions/typescript-fetch`: the generated method's shape, the signal in the
 * generator's init overrides. `clearInstanceSessionsWithRequestId` is `clearInstanceSessions`
 * plus the request ID, so the results compare one to one.
 */
export const typescriptFetchFlavor: FlavorAdapter = {
  name: "typescript-fetch",
  create(options) {
    const api = createSessionsApi(options);
    return {
      close: ({ instanceId, projectId, signal }) =>
        api.clearInstanceSessionsWithRequestId({ instanceId, projectId }, signal === undefined ? undefined : { signal }),
    };
  },
};

/** Both flavors; the first is the reference the others are compared with. */
export const flavors: readonly FlavorAdapter[] = [clientFlavor, typescriptFetchFlavor];
