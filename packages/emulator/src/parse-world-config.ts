import { EmulatorConfigError } from "./config-error.js";
import { InputReader } from "./input-reader.js";
import { readFaultRule } from "./parse-fault-rule.js";
import { isAccessKey, isIamToken, isInstanceId, isProjectId, isSecretKey, isSecurityToken } from "./spec-checks.js";
import type {
  AccessKeyConfig,
  InstanceConfig,
  NodeBackendConfig,
  NodeConfig,
  ProjectConfig,
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

function optionalString(reader: InputReader, record: Record<string, unknown>, key: string, path: string): string | undefined {
  return record[key] === undefined ? undefined : reader.string(record[key], `${path}.${key}`);
}

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
  const password = optionalString(reader, record, "password", path);
  if (host === undefined || port === undefined) return undefined;
  return password === undefined ? { host, port } : { host, port, password };
}

function readNode(reader: InputReader, value: unknown, path: string): NodeConfig | undefined {
  const record = reader.object(value, path);
  if (!record) return undefined;
  reader.knownKeys(record, path, ["id", "name", "status", "sessions", "backend"]);
  const id = reader.string(record.id, `${path}.id`, nodeIdRule);
  const node: NodeConfig = { id: id ?? "" };
  const name = optionalString(reader, record, "name", path);
  if (name !== undefined) node.name = name;
  const status = optionalString(reader, record, "status", path);
  if (status !== undefined) node.status = status;
  if (record.sessions !== undefined) {
    const sessions = reader.integer(record.sessions, `${path}.sessions`, 0, maxInitialSessionsPerNode);
    if (sessions !== undefined) node.sessions = sessions;
  }
  if (record.backend !== undefined) {
    const backend = readBackend(reader, record.backend, `${path}.backend`);
    if (backend !== undefined) node.backend = backend;
  }
  return id === undefined ? undefined : node;
}

function readInstance(reader: InputReader, value: unknown, path: string): InstanceConfig | undefined {
  const record = reader.object(value, path);
  if (!record) return undefined;
  reader.knownKeys(record, path, ["id", "name", "engine", "mode", "status", "nodes"]);
  const id = reader.string(record.id, `${path}.id`, instanceIdRule);
  const engine = reader.string(record.engine, `${path}.engine`);
  const mode = reader.string(record.mode, `${path}.mode`);
  const instance: InstanceConfig = { id: id ?? "", engine: engine ?? "", mode: mode ?? "" };
  const name = optionalString(reader, record, "name", path);
  if (name !== undefined) instance.name = name;
  const status = optionalString(reader, record, "status", path);
  if (status !== undefined) instance.status = status;
  if (record.nodes !== undefined) {
    const nodes = reader.array(record.nodes, `${path}.nodes`) ?? [];
    instance.nodes = nodes.flatMap((node, index) => readNode(reader, node, `${path}.nodes[${index}]`) ?? []);
  }
  return id === undefined || engine === undefined || mode === undefined ? undefined : instance;
}

function readProject(reader: InputReader, value: unknown, path: string): ProjectConfig | undefined {
  const record = reader.object(value, path);
  if (!record) return undefined;
  reader.knownKeys(record, path, ["id", "name", "instances"]);
  const id = reader.string(record.id, `${path}.id`, projectIdRule);
  const project: ProjectConfig = { id: id ?? "" };
  const name = optionalString(reader, record, "name", path);
  if (name !== undefined) project.name = name;
  if (record.instances !== undefined) {
    const instances = reader.array(record.instances, `${path}.instances`) ?? [];
    project.instances = instances.flatMap((instance, index) => readInstance(reader, instance, `${path}.instances[${index}]`) ?? []);
  }
  return id === undefined ? undefined : project;
}

function readToken(reader: InputReader, value: unknown, path: string): TokenConfig | undefined {
  const record = reader.object(value, path);
  if (!record) return undefined;
  reader.knownKeys(record, path, ["token", "projectId", "expiresAt"]);
  const token = reader.string(record.token, `${path}.token`, tokenRule);
  const projectId = reader.string(record.projectId, `${path}.projectId`, projectIdRule);
  if (token === undefined || projectId === undefined) return undefined;
  const config: TokenConfig = { token, projectId };
  // YAML turns an unquoted timestamp into a Date; accept both spellings.
  const expiresAt = record.expiresAt instanceof Date ? record.expiresAt.toISOString() : record.expiresAt;
  if (expiresAt !== undefined) {
    const text = reader.string(expiresAt, `${path}.expiresAt`, { test: (v) => !Number.isNaN(Date.parse(v)), describe: "an ISO 8601 time" });
    if (text !== undefined) config.expiresAt = text;
  }
  return config;
}

function readAccessKey(reader: InputReader, value: unknown, path: string): AccessKeyConfig | undefined {
  const record = reader.object(value, path);
  if (!record) return undefined;
  reader.knownKeys(record, path, ["accessKey", "secretKey", "projectIds", "securityToken"]);
  const accessKey = reader.string(record.accessKey, `${path}.accessKey`, accessKeyRule);
  const secretKey = reader.string(record.secretKey, `${path}.secretKey`, secretRule);
  const projectIds = (reader.array(record.projectIds, `${path}.projectIds`) ?? []).flatMap(
    (id, index) => reader.string(id, `${path}.projectIds[${index}]`, projectIdRule) ?? [],
  );
  if (accessKey === undefined || secretKey === undefined) return undefined;
  const config: AccessKeyConfig = { accessKey, secretKey, projectIds };
  if (record.securityToken !== undefined) {
    const securityToken = reader.string(record.securityToken, `${path}.securityToken`, securityTokenRule);
    if (securityToken !== undefined) config.securityToken = securityToken;
  }
  return config;
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
  const projects = (reader.array(record.projects, "projects") ?? []).flatMap(
    (project, index) => readProject(reader, project, `projects[${index}]`) ?? [],
  );
  if (Array.isArray(record.projects) && record.projects.length === 0) reader.fail("projects", "must list at least one project");
  const world: WorldConfig = { projects };
  if (record.tokens !== undefined) {
    world.tokens = (reader.array(record.tokens, "tokens") ?? []).flatMap(
      (token, index) => readToken(reader, token, `tokens[${index}]`) ?? [],
    );
  }
  if (record.accessKeys !== undefined) {
    world.accessKeys = (reader.array(record.accessKeys, "accessKeys") ?? []).flatMap(
      (pair, index) => readAccessKey(reader, pair, `accessKeys[${index}]`) ?? [],
    );
  }
  if (record.faults !== undefined) {
    world.faults = (reader.array(record.faults, "faults") ?? []).flatMap(
      (rule, index) => readFaultRule(reader, rule, `faults[${index}]`) ?? [],
    );
  }
  checkReferences(reader, world);
  if (reader.issues.length > 0) throw new EmulatorConfigError(`Invalid ${source}`, reader.issues);
  return world;
}
