export { createSessionsApi, type SessionsApiOptions } from "./create-api.js";
export * from "./generated/index.js";
