export {
  type CloseAllSessionsInput,
  createSessionsClient,
  type SessionsClient,
  type SessionsClientOptions,
  type SessionsPath,
} from "./create-client.js";
export type { components, operations, paths } from "./generated/schema.js";
