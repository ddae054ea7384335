import type { FaultRule } from "./fault-rule.js";

/**
 * The emulator's world, as a config file or an object describes it: projects own instances,
 * instances have nodes, nodes hold sessions; tokens and AK/SK pairs are bound to projects.
 *
 * @example
 * ```yaml
 * projects:
 *   - id: 619d3e78f61b4be68bc5aa0b59edcf7b
 *     instances:
 *       - id: c865f921f3dd45198f209a607533a779in12
 *         engine: redis
 *         mode: proxy-cluster
 *         nodes:
 *           - { id: 0b8d2e6f4a3c4e1d9f7a5b3c1d2e4f60no12, sessions: 3 }
 * tokens:
 *   - { token: my-test-token, projectId: 619d3e78f61b4be68bc5aa0b59edcf7b }
 * ```
 */
export interface WorldConfig {
  projects: ProjectConfig[];
  tokens?: TokenConfig[];
  accessKeys?: AccessKeyConfig[];
  /** Fault rules active from the start (see {@link FaultRule}). */
  faults?: FaultRule[];
}

export interface ProjectConfig {
  /** 32 lowercase hex characters (the spec's `ProjectId`). */
  id: string;
  name?: string;
  instances?: InstanceConfig[];
}

export interface InstanceConfig {
  /** 32 lowercase hex characters, `in` and two digits (the spec's `InstanceId`). */
  id: string;
  name?: string;
  /** `redis`, `cassandra`, `mongodb`, `influxdb`, ... Only `redis` supports the operation. */
  engine: string;
  /** `proxy-cluster`, `cluster`, `replica-set`, ... Only `proxy-cluster` supports the operation. */
  mode: string;
  /** `available` (default), `busy`, `abnormal`, `creating`, `frozen`, ... (see README: answers). */
  status?: string;
  nodes?: NodeConfig[];
}

export interface NodeConfig {
  /** Any non-empty ID; real ones are 32 hex characters and `no12`. */
  id: string;
  name?: string;
  /** `normal` (default), `missing`, `abnormal`, ... (see README: answers). */
  status?: string;
  /** Sessions open on the node at start (in Redis mode: real connections the emulator holds). */
  sessions?: number;
  /**
   * Where the node's sessions live. `memory` (default): a counter. `spawn`: a `redis-server`
   * the emulator starts on a free loopback port and stops on close. `{ host, port }`: an
   * existing Redis server, which the emulator never stops.
   */
  backend?: NodeBackendConfig;
}

/** See {@link NodeConfig.backend}. */
export type NodeBackendConfig = "memory" | "spawn" | RedisAddress;

/** An existing Redis server the emulator connects to. */
export interface RedisAddress {
  host: string;
  port: number;
  /** Sent with `AUTH` on every connection the emulator opens. */
  password?: string;
}

export interface TokenConfig {
  /** The `X-Auth-Token` value (printable ASCII, the spec's `IamToken`). */
  token: string;
  /** The one project the token is scoped to. */
  projectId: string;
  /** ISO 8601 time after which the token is refused; 24 hours after start when absent. */
  expiresAt?: string;
}

export interface AccessKeyConfig {
  accessKey: string;
  secretKey: string;
  /** The projects requests signed with this pair may act on. */
  projectIds: string[];
  /** When set, the pair is temporary: requests must carry it in `X-Security-Token`. */
  securityToken?: string;
}
