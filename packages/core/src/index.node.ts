/*
 * `@geminidb-sessions/core` as Node.js loads it (the `node` export condition): the same
 * library, with core's node:http keep-alive transport as the default `fetch` of a client
 * given none, as AWS SDK v3 picks node:http on Node and fetch in browsers. Browsers, edge
 * workers, Deno and Bun load `index.ts` and never see node:http.
 */
import { createNodeFetch } from "./node.js";
import { usePlatformFetch } from "./options.js";

usePlatformFetch((maxResponseBytes) => createNodeFetch({ maxResponseBytes }));

export * from "./index.js";
