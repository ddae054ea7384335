import { isAccessKey, isIamToken, isInstanceId, isProjectId, isSecretKey, isSecurityToken } from "@geminidb-sessions/validation";
import { EmulatorConfigError } from "./config-error.js";
import { defined, InputReader } from "./input-reader.js";
import { readFaultRule } from "./parse-fault-rule.js";
import type {
  AccessKeyConfig,
  InstanceConfig,
  NodeBackendConfig,
  NodeConfig,
  ProjectConfig,
  RedisAddress,
  TokenConfig,
  WorldConfig,
} from "./world-config.js";

/** The most sessions one node may start with, so a config cannot exhaust memory or sockets. */
export const maxInitialSessionsPerNode = 100_000;

const projectIdRule = { test: isProjectId, describe: "a project ID (32 lowercase hex characters)" };
const instanceIdRule = { test: isInstanceId, describe: "an instance ID (32 lowercase hex characters, `in` and two digits)" };
const tokenRule = { test: isIamToken, describe: "a well-formed IAM token (printable ASCII)" };
const accessKeyRule = { test: isAccessKey, describe: "an access key ID (letters and digits)" };
const secretRule = { test: isSecretKey, describe: "a secret key (printable ASCII without spaces)" };
const securityTokenRule = { test: isSecurityToken, describe: "a security token (printable ASCII without spaces)" };
const nodeIdRule = { test: (v: string) => /^[\w.-]{1,64}$/.test(v), describe: "letters, digits, _ . - (at most 64)" };

function readBackend(reader: InputReader, value: unknown, path: string): NodeBackendConfig | undefined {
  if (value === "memory" || value === "spawn") return value;
  if (typeof value === "string") {
    reader.fail(path, "must be memory, spawn or { host, port }");
    return undefined;
  }
  const record = reader.object(value, path);
  if (!record) return undefined;
  reader.knownKeys(record, path, ["host", "port", "password"]);
  const host = reader.string(record.host, `${path}.host`);
  const port = reader.integer(record.port, `${path}.port`, 1, 65_535);
  const password = reader.optional(record, "password", path, (v, p) => reader.string(v, p));
  if (host === undefined || port === undefined) return undefined;
  return defined<RedisAddress>({ host, port, password });
}

function readNode(reader: InputReader, value: unknown, path: string): NodeConfig | undefined {
  const record = reader.object(value, path);
  if (!record) return undefined;
  reader.knownKeys(record, path, ["id", "name", "status", "sessions", "backend"]);
  const text = (v: unknown, p: string) => reader.string(v, p);
  const id = reader.string(record.id, `${path}.id`, nodeIdRule);
  const node = defined<NodeConfig>({
    id: id ?? "",
    name: reader.optional(record, "name", path, text),
    status: reader.optional(record, "status", path, text),
    sessions: reader.optional(record, "sessions", path, (v, p) => reader.integer(v, p, 0, maxInitialSessionsPerNode)),
    backend: reader.optional(record, "backend", path, (v, p) => readBackend(reader, v, p)),
  });
  return id === undefined ? undefined : node;
}

function readInstance(reader: InputReader, value: unknown, path: string): InstanceConfig | undefined {
  const record = reader.object(value, path);
  if (!record) return undefined;
  reader.knownKeys(record, path, ["id", "name", "engine", "mode", "status", "nodes"]);
  const text = (v: unknown, p: string) => reader.string(v, p);
  const id = reader.string(record.id, `${path}.id`, instanceIdRule);
  const engine = reader.string(record.engine, `${path}.engine`);
  const mode = reader.string(record.mode, `${path}.mode`);
  const instance = defined<InstanceConfig>({
    id: id ?? "",
    engine: engine ?? "",
    mode: mode ?? "",
    name: reader.optional(record, "name", path, text),
    status: reader.optional(record, "status", path, text),
    nodes: reader.optional(record, "nodes", path, (v, p) => readList(reader, v, p, readNode)),
  });
  return id === undefined || engine === undefined || mode === undefined ? undefined : instance;
}

/** The items of a list that read well, each at `path[index]`; the list itself always reads (as empty when it is not one). */
function readList<T>(
  reader: InputReader,
  value: unknown,
  path: string,
  read: (reader: InputReader, item: unknown, path: string) => T | undefined,
) {
  return (reader.array(value, path) ?? []).flatMap((item, index) => read(reader, item, `${path}[${index}]`) ?? []);
}

function readProject(reader: InputReader, value: unknown, path: string): ProjectConfig | undefined {
  const record = reader.object(value, path);
  if (!record) return undefined;
  reader.knownKeys(record, path, ["id", "name", "instances"]);
  const id = reader.string(record.id, `${path}.id`, projectIdRule);
  const project = defined<ProjectConfig>({
    id: id ?? "",
    name: reader.optional(record, "name", path, (v, p) => reader.string(v, p)),
    instances: reader.optional(record, "instances", path, (v, p) => readList(reader, v, p, readInstance)),
  });
  return id === undefined ? undefined : project;
}

function readToken(reader: InputReader, value: unknown, path: string): TokenConfig | undefined {
  const record = reader.object(value, path);
  if (!record) return undefined;
  reader.knownKeys(record, path, ["token", "projectId", "expiresAt"]);
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
  const record = reader.object(value, path);
  if (!record) return undefined;
  reader.knownKeys(record, path, ["accessKey", "secretKey", "projectIds", "securityToken"]);
  const accessKey = reader.string(record.accessKey, `${path}.accessKey`, accessKeyRule);
  const secretKey = reader.string(record.secretKey, `${path}.secretKey`, secretRule);
  const projectIds = readList(reader, record.projectIds, `${path}.projectIds`, (r, id, p) => r.string(id, p, projectIdRule));
  if (accessKey === undefined || secretKey === undefined) return undefined;
  const securityToken = reader.optional(record, "securityToken", path, (v, p) => reader.string(v, p, securityTokenRule));
  return defined<AccessKeyConfig>({ accessKey, secretKey, projectIds, securityToken });
}

function checkReferences(reader: InputReader, world: WorldConfig): void {
  const projects = new Set<string>();
  const instances = new Set<string>();
  for (const [p, project] of world.projects.entries()) {
    if (projects.has(project.id)) reader.fail(`projects[${p}].id`, `duplicate project ${project.id}`);
    projects.add(project.id);
    for (const [i, instance] of (project.instances ?? []).entries()) {
      if (instances.has(instance.id)) reader.fail(`projects[${p}].instances[${i}].id`, `duplicate instance ${instance.id}`);
      instances.add(instance.id);
      const nodes = new Set<string>();
      for (const [n, node] of (instance.nodes ?? []).entries()) {
        if (nodes.has(node.id)) reader.fail(`projects[${p}].instances[${i}].nodes[${n}].id`, `duplicate node ${node.id}`);
        nodes.add(node.id);
      }
    }
  }
  for (const [t, token] of (world.tokens ?? []).entries()) {
    if (!projects.has(token.projectId)) reader.fail(`tokens[${t}].projectId`, `no project ${token.projectId} in this world`);
  }
  const accessKeys = new Set<string>();
  for (const [k, pair] of (world.accessKeys ?? []).entries()) {
    if (accessKeys.has(pair.accessKey)) reader.fail(`accessKeys[${k}].accessKey`, "duplicate access key");
    accessKeys.add(pair.accessKey);
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
  const record = reader.object(input, "$");
  if (!record) throw new EmulatorConfigError(`Invalid ${source}`, reader.issues);
  reader.knownKeys(record, "$", ["projects", "tokens", "accessKeys", "faults"]);
  const projects = readList(reader, record.projects, "projects", readProject);
  if (Array.isArray(record.projects) && record.projects.length === 0) reader.fail("projects", "must list at least one project");
  const world = defined<WorldConfig>({
    projects,
    tokens: reader.optional(record, "tokens", "$", (v) => readList(reader, v, "tokens", readToken)),
    accessKeys: reader.optional(record, "accessKeys", "$", (v) => readList(reader, v, "accessKeys", readAccessKey)),
    faults: reader.optional(record, "faults", "$", (v) => readList(reader, v, "faults", readFaultRule)),
  });
  checkReferences(reader, world);
  if (reader.issues.length > 0) throw new EmulatorConfigError(`Invalid ${source}`, reader.issues);
  return world;
}
