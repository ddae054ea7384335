export { EmulatorConfigError } from "./config-error.js";
export { demoIds, demoWorld } from "./demo-world.js";
export { ErrorCatalogMismatch } from "./error-response.js";
export type { FaultController } from "./fault-injector.js";
export type { ActiveFaultRule, FaultEffect, FaultRule } from "./fault-rule.js";
export { defaultLimits, type EmulatorLimits } from "./limits.js";
export { loadWorldFile } from "./load-world-file.js";
export { operationRules } from "./operation-rules.js";
export { parseWorldConfig } from "./parse-world-config.js";
export { RedisCommandError } from "./redis/redis-connection.js";
export {
  isRedisServerInstalled,
  type RedisServerProcess,
  type StartRedisServerOptions,
  startRedisServer,
} from "./redis/redis-server-process.js";
export { adminTokenEnvVar, adminTokenHeader, corsAllowedHeaders, corsExposedHeaders } from "./request-guard.js";
export {
  type EmulatorCredentials,
  type EmulatorOptions,
  type RequestLogEntry,
  type RunningEmulator,
  startEmulator,
} from "./start-emulator.js";
export {
  EmulatorStateError,
  type EmulatorWorld,
  type InstanceSnapshot,
  type NodeSnapshot,
  type RedisModeOptions,
  type WorldSnapshot,
} from "./world.js";
export type {
  AccessKeyConfig,
  InstanceConfig,
  NodeBackendConfig,
  NodeConfig,
  ProjectConfig,
  RedisAddress,
  TokenConfig,
  WorldConfig,
} from "./world-config.js";
