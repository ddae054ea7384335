export { demoIds, demoWorld } from "./demo-world.js";
export type { ActiveFaultRule, FaultController, FaultEffect, FaultRule } from "./fault-injector.js";
export { EmulatorConfigError } from "./input-reader.js";
export { defaultLimits, type EmulatorLimits } from "./listener.js";
export { RedisCommandError } from "./redis/redis-connection.js";
export {
  isRedisServerInstalled,
  type RedisServerProcess,
  type StartRedisServerOptions,
  startRedisServer,
} from "./redis/redis-server-process.js";
export { adminTokenEnvVar, adminTokenHeader, corsAllowedHeaders, corsExposedHeaders } from "./request-guard.js";
export { ErrorCatalogMismatch } from "./respond.js";
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
  operationRules,
  type RedisModeOptions,
  type WorldSnapshot,
} from "./world.js";
export {
  type AccessKeyConfig,
  type InstanceConfig,
  loadWorldFile,
  type NodeBackendConfig,
  type NodeConfig,
  type ProjectConfig,
  parseWorldConfig,
  type RedisAddress,
  type TokenConfig,
  type WorldConfig,
} from "./world-config.js";
