// Every helper of each module is shared: the index re-exports them all.
export * from "./fixtures.js";
export * from "./recording-server.js";
export * from "./redis-client.js";
