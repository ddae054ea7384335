import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { isAccessKey, isIamToken, isInstanceId, isProjectId, isSecretKey, isSecurityToken } from "@geminidb-sessions/validation";
import { parse as parseYaml } from "yaml";
import { type FaultRule, readFaultRule } from "./fault-injector.js";
import { defined, EmulatorConfigError, InputReader, shortIdRule } from "./input-reader.js";

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

/** The most sessions one node may start with, so a config cannot exhaust memory or sockets. */
export const maxInitialSessionsPerNode = 100_000;

const projectIdRule = { test: isProjectId, describe: "a project ID (32 lowercase hex characters)" };
const instanceIdRule = { test: isInstanceId, describe: "an instance ID (32 lowercase hex characters, `in` and two digits)" };
const tokenRule = { test: isIamToken, describe: "a well-formed IAM token (printable ASCII)" };
const accessKeyRule = { test: isAccessKey, describe: "an access key ID (letters and digits)" };
const secretRule = { test: isSecretKey, describe: "a secret key (printable ASCII without spaces)" };
const securityTokenRule = { test: isSecurityToken, describe: "a security token (printable ASCII without spaces)" };

function readBackend(reader: InputReader, value: unknown, path: string): NodeBackendConfig | undefined {
  if (value === "memory" || value === "spawn") return value;
  if (typeof value === "string") {
    reader.fail(path, "must be memory, spawn or { host, port }");
    return undefined;
  }
  const record = reader.record(value, path, ["host", "port", "password"]);
  if (!record) return undefined;
  const host = reader.string(record.host, `${path}.host`);
  const port = reader.integer(record.port, `${path}.port`, 1, 65_535);
  const password = reader.optional(record, "password", path);
  if (host === undefined || port === undefined) return undefined;
  return defined<RedisAddress>({ host, port, password });
}

function readNode(reader: InputReader, value: unknown, path: string): NodeConfig | undefined {
  const record = reader.record(value, path, ["id", "name", "status", "sessions", "backend"]);
  if (!record) return undefined;
  const id = reader.string(record.id, `${path}.id`, shortIdRule);
  const node = defined<NodeConfig>({
    id: id ?? "",
    name: reader.optional(record, "name", path),
    status: reader.optional(record, "status", path),
    sessions: reader.optional(record, "sessions", path, (v, p) => reader.integer(v, p, 0, maxInitialSessionsPerNode)),
    backend: reader.optional(record, "backend", path, (v, p) => readBackend(reader, v, p)),
  });
  return id === undefined ? undefined : node;
}

function readInstance(reader: InputReader, value: unknown, path: string): InstanceConfig | undefined {
  const record = reader.record(value, path, ["id", "name", "engine", "mode", "status", "nodes"]);
  if (!record) return undefined;
  const id = reader.string(record.id, `${path}.id`, instanceIdRule);
  const engine = reader.string(record.engine, `${path}.engine`);
  const mode = reader.string(record.mode, `${path}.mode`);
  const instance = defined<InstanceConfig>({
    id: id ?? "",
    engine: engine ?? "",
    mode: mode ?? "",
    name: reader.optional(record, "name", path),
    status: reader.optional(record, "status", path),
    nodes: reader.optional(record, "nodes", path, (v, p) => readList(reader, v, p, readNode)),
  });
  return id === undefined || engine === undefined || mode === undefined ? undefined : instance;
}

/** Reads one value at `path`, reporting its problems to `reader`; undefined when it does not read. */
type Read<T> = (reader: InputReader, value: unknown, path: string) => T | undefined;

/** The items of a list that read well, each at `path[index]`; the list itself always reads (as empty when it is not one). */
function readList<T>(reader: InputReader, value: unknown, path: string, read: Read<T>): T[] {
  return (reader.array(value, path) ?? []).flatMap((item, index) => read(reader, item, `${path}[${index}]`) ?? []);
}

function readProject(reader: InputReader, value: unknown, path: string): ProjectConfig | undefined {
  const record = reader.record(value, path, ["id", "name", "instances"]);
  if (!record) return undefined;
  const id = reader.string(record.id, `${path}.id`, projectIdRule);
  const project = defined<ProjectConfig>({
    id: id ?? "",
    name: reader.optional(record, "name", path),
    instances: reader.optional(record, "instances", path, (v, p) => readList(reader, v, p, readInstance)),
  });
  return id === undefined ? undefined : project;
}

function readToken(reader: InputReader, value: unknown, path: string): TokenConfig | undefined {
  const record = reader.record(value, path, ["token", "projectId", "expiresAt"]);
  if (!record) return undefined;
  const token = reader.string(record.token, `${path}.token`, tokenRule);
  const projectId = reader.string(record.projectId, `${path}.projectId`, projectIdRule);
  if (token === undefined || projectId === undefined) return undefined;
  // YAML turns an unquoted timestamp into a Date; accept both spellings.
  const expiresAt = reader.optional(record, "expiresAt", path, (v, p) =>
    reader.string(v instanceof Date ? v.toISOString() : v, p, { test: (t) => !Number.isNaN(Date.parse(t)), describe: "an ISO 8601 time" }),
  );
  return defined<TokenConfig>({ token, projectId, expiresAt });
}

function readAccessKey(reader: InputReader, value: unknown, path: string): AccessKeyConfig | undefined {
  const record = reader.record(value, path, ["accessKey", "secretKey", "projectIds", "securityToken"]);
  if (!record) return undefined;
  const accessKey = reader.string(record.accessKey, `${path}.accessKey`, accessKeyRule);
  const secretKey = reader.string(record.secretKey, `${path}.secretKey`, secretRule);
  const projectIds = readList(reader, record.projectIds, `${path}.projectIds`, (r, id, p) => r.string(id, p, projectIdRule));
  if (accessKey === undefined || secretKey === undefined) return undefined;
  const securityToken = reader.optional(record, "securityToken", path, (v, p) => reader.string(v, p, securityTokenRule));
  return defined<AccessKeyConfig>({ accessKey, secretKey, projectIds, securityToken });
}

function checkReferences(reader: InputReader, world: WorldConfig): void {
  const unique = (seen: Set<string>, value: string, path: string, problem: string) => {
    if (seen.has(value)) reader.fail(path, problem);
    seen.add(value);
  };
  const projects = new Set<string>();
  const instances = new Set<string>();
  for (const [p, project] of world.projects.entries()) {
    unique(projects, project.id, `projects[${p}].id`, `duplicate project ${project.id}`);
    for (const [i, instance] of (project.instances ?? []).entries()) {
      unique(instances, instance.id, `projects[${p}].instances[${i}].id`, `duplicate instance ${instance.id}`);
      const nodes = new Set<string>();
      for (const [n, node] of (instance.nodes ?? []).entries()) {
        unique(nodes, node.id, `projects[${p}].instances[${i}].nodes[${n}].id`, `duplicate node ${node.id}`);
      }
    }
  }
  for (const [t, token] of (world.tokens ?? []).entries()) {
    if (!projects.has(token.projectId)) reader.fail(`tokens[${t}].projectId`, `no project ${token.projectId} in this world`);
  }
  const accessKeys = new Set<string>();
  for (const [k, pair] of (world.accessKeys ?? []).entries()) {
    unique(accessKeys, pair.accessKey, `accessKeys[${k}].accessKey`, "duplicate access key");
    for (const [j, id] of pair.projectIds.entries()) {
      if (!projects.has(id)) reader.fail(`accessKeys[${k}].projectIds[${j}]`, `no project ${id} in this world`);
    }
  }
}

/**
 * Checks untyped input (a parsed JSON or YAML file, or an object from code) and returns it
 * as a {@link WorldConfig}; throws {@link EmulatorConfigError} listing every problem.
 */
export function parseWorldConfig(input: unknown, source = "world config"): WorldConfig {
  const reader = new InputReader();
  const record = reader.record(input, "$", ["projects", "tokens", "accessKeys", "faults"]);
  if (!record) throw new EmulatorConfigError(`Invalid ${source}`, reader.issues);
  const projects = readList(reader, record.projects, "projects", readProject);
  if (Array.isArray(record.projects) && record.projects.length === 0) reader.fail("projects", "must list at least one project");
  const world = defined<WorldConfig>({
    projects,
    tokens: reader.optional(record, "tokens", "$", (v) => readList(reader, v, "tokens", readToken)),
    accessKeys: reader.optional(record, "accessKeys", "$", (v) => readList(reader, v, "accessKeys", readAccessKey)),
    faults: reader.optional(record, "faults", "$", (v) => readList(reader, v, "faults", readFaultRule)),
  });
  checkReferences(reader, world);
  reader.throwIfIssues(`Invalid ${source}`);
  return world;
}

/** Config files larger than this are refused unread. */
export const maxConfigFileBytes: number = 10 * 1024 * 1024;

/**
 * Where a parser gave up, without the excerpt of the file parsers like to quote (the file
 * holds secret keys, and the message may end up in a CI log).
 */
function whereParsingFailed(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  const yamlPlace = /at line (\d+), column (\d+)/.exec(message);
  if (yamlPlace) return ` (line ${yamlPlace[1]}, column ${yamlPlace[2]})`;
  const jsonPlace = /position (\d+)/.exec(message);
  return jsonPlace ? ` (at character ${jsonPlace[1]})` : "";
}

/**
 * Reads a world config from a `.json`, `.yaml` or `.yml` file and checks it.
 * Throws {@link EmulatorConfigError} naming the file and every problem in it.
 */
export async function loadWorldFile(path: string): Promise<WorldConfig> {
  const extension = extname(path).toLowerCase();
  if (![".json", ".yaml", ".yml"].includes(extension)) {
    throw new EmulatorConfigError(`Config file ${path}: use a .json, .yaml or .yml file`);
  }
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > maxConfigFileBytes) throw new EmulatorConfigError(`Config file ${path} is larger than ${maxConfigFileBytes} bytes`);
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof EmulatorConfigError) throw error;
    throw new EmulatorConfigError(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = extension === ".json" ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new EmulatorConfigError(
      `Config file ${path} is not valid ${extension === ".json" ? "JSON" : "YAML"}${whereParsingFailed(error)}`,
    );
  }
  return parseWorldConfig(data, `config file ${path}`);
}
