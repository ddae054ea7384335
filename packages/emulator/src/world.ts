import { randomBytes } from "node:crypto";
import type {
  CloseNodeSessionsRequest,
  ErrorCode,
  ListInstanceSessionsResponse,
  ListNodeSessionsResponse,
  NodeSessionStatistics,
  Session,
} from "@geminidb-sessions/validation";
import { defined } from "./input-reader.js";
import { startRedisServer } from "./redis/redis-server-process.js";
import { RedisSessionBackend } from "./redis/redis-session-backend.js";
import { MemorySessionBackend, type SessionBackend } from "./session-backend.js";
import type { EmulatorCredentials } from "./start-emulator.js";
import type { NodeConfig, WorldConfig } from "./world-config.js";

/**
 * How the emulated service judges an instance or node before acting on its sessions. These
 * are the emulator's own modelling choices (the spec gives codes, not instance vocabularies).
 */
export const operationRules = {
  /** The only engine the sessions operations support. */
  engine: "redis",
  /** The only deployment mode `closeInstanceSessions` supports (the node-scoped operations take any Redis instance). */
  mode: "proxy-cluster",
  /** The instance status that allows closing sessions. */
  availableStatus: "available",
  /** Instance statuses answered as "busy or faulty" (DBS.200019); every other non-available status is DBS.200011. */
  busyStatuses: ["busy", "abnormal"],
  /** The node status that allows the operations. */
  normalNodeStatus: "normal",
  /** A node with this status answers DBS.200013; any other non-normal node status answers DBS.200018. */
  missingNodeStatus: "missing",
  /** How DBS.200011's `{1}` names the operation (as in the spec's example message). */
  operationLabel: "clearSessions",
} as const;

/** The message the emulator gives DBS.200001 when an instance is not a proxy cluster (the service's own wording is not documented). */
export const proxyClusterOnlyMessage =
  "Parameter error. Closing the sessions of all nodes supports GeminiDB Redis proxy-cluster instances only; use closeNodeSessions for other instances.";

/** Why an operation is refused: a catalog code, its message arguments, and a message of the emulator's own when the catalog's says too little. */
export interface Refusal {
  code: ErrorCode;
  args?: string[];
  message?: string;
}

/** What an operation does to an instance: reading its sessions or closing them (closing checks the instance's state too). */
export type Access = "read" | "close" | "close-all-nodes";

/**
 * Decides whether the service acts on the instance's sessions for a caller acting on
 * `projectId`, checking in this order: ownership (DBS.200010), engine (DBS.200001), for the
 * instance-wide close the proxy-cluster mode (DBS.200001 with a message that says so), for
 * closes the instance status (DBS.200019 busy or faulty, DBS.200011 any other state), then the
 * nodes acted on (DBS.200013 missing, DBS.200018 unavailable).
 */
export function judgeInstance(
  instance: InstanceState,
  projectId: string,
  access: Access,
  nodes: ReadonlyArray<{ status: string }> = instance.nodes,
): Refusal | undefined {
  if (instance.projectId !== projectId) return { code: "DBS.200010" };
  if (instance.engine !== operationRules.engine) return { code: "DBS.200001" };
  if (access === "close-all-nodes" && instance.mode !== operationRules.mode)
    return { code: "DBS.200001", message: proxyClusterOnlyMessage };
  if (access !== "read" && instance.status !== operationRules.availableStatus) {
    if ((operationRules.busyStatuses as readonly string[]).includes(instance.status)) return { code: "DBS.200019" };
    return { code: "DBS.200011", args: [instance.id, operationRules.operationLabel] };
  }
  if (nodes.length === 0 || nodes.some((node) => node.status === operationRules.missingNodeStatus)) return { code: "DBS.200013" };
  if (nodes.some((node) => node.status !== operationRules.normalNodeStatus)) return { code: "DBS.200018" };
  return undefined;
}

/** Real Redis mode: which nodes become `redis-server`s the emulator starts. */
export interface RedisModeOptions {
  /**
   * Instances whose nodes (those without an explicit `backend`) get a spawned `redis-server`.
   * Every Redis proxy-cluster instance by default.
   */
  instances?: string[];
  /** The `redis-server` executable; `redis-server` on the PATH by default. */
  binary?: string;
}

/** An instance, a node or a session count was asked for something the world does not hold. */
export class EmulatorStateError extends Error {
  readonly code = "EMULATOR_STATE";
  override readonly name = "EmulatorStateError";
  constructor(
    message: string,
    /** `not-found`: no such instance or node; `invalid`: a bad argument. */
    readonly reason: "not-found" | "invalid" = "invalid",
  ) {
    super(message);
  }
}

/** One node, as {@link EmulatorWorld.snapshot} shows it. */
export interface NodeSnapshot {
  id: string;
  name?: string;
  status: string;
  backend: "memory" | "redis";
  /** The node's Redis server, in Redis mode. */
  address?: { host: string; port: number };
  sessions: number;
}

/** One instance, as {@link EmulatorWorld.snapshot} shows it. */
export interface InstanceSnapshot {
  id: string;
  name?: string;
  engine: string;
  mode: string;
  status: string;
  nodes: NodeSnapshot[];
}

/** The whole world with live session counts. Secrets (token values, SKs) are left out. */
export interface WorldSnapshot {
  projects: Array<{ id: string; name?: string; instances: InstanceSnapshot[] }>;
  tokens: Array<{ projectId: string; expiresAt: string }>;
  accessKeys: Array<{ accessKey: string; projectIds: string[]; temporary: boolean }>;
}

/** The emulator's state, for tests to arrange and inspect. */
export interface EmulatorWorld {
  /** Everything, with each node's current session count. */
  snapshot(): Promise<WorldSnapshot>;
  /** Session count per node ID. */
  sessionCounts(instanceId: string): Promise<Record<string, number>>;
  /** Sessions on all nodes of the instance. */
  totalSessions(instanceId: string): Promise<number>;
  /**
   * Opens fake sessions: on one node, or spread evenly over all the instance's nodes.
   * In Redis mode these are real connections the emulator holds.
   */
  openSessions(instanceId: string, count: number, nodeId?: string, options?: { idleSeconds?: number }): Promise<void>;
  /** Changes an instance's status (e.g. `busy`, `frozen`, `available`). */
  setInstanceStatus(instanceId: string, status: string): void;
  /** Changes a node's status (e.g. `abnormal`, `missing`, `normal`). */
  setNodeStatus(instanceId: string, nodeId: string, status: string): void;
  /** The Redis server of each node that has one, to connect clients to. */
  nodeAddresses(instanceId: string): Array<{ nodeId: string; host: string; port: number }>;
}

/** A node as the world holds it: its snapshot's fields without those read from the backend. */
type NodeState = Omit<NodeSnapshot, "backend" | "address" | "sessions"> & { backend: SessionBackend };

type InstanceState = Omit<InstanceSnapshot, "nodes"> & { projectId: string; nodes: NodeState[] };

interface AccessKeyState {
  secretKey: string;
  projectIds: ReadonlySet<string>;
  securityToken: string | undefined;
}

/** The credentials a world offers for its first project. */
export type PrimaryCredentials = Omit<EmulatorCredentials, "instanceId">;

/** Why the service refused a call. */
export type Refused = { ok: false } & Refusal;

/** What a call of the service came to. */
export type Outcome<T> = { ok: true; value: T } | Refused;

/**
 * A node's statistics from its sessions: totals, and the ten source IPs and databases with the
 * most connections (most first, ties by name). "Active" is the emulator's reading of the
 * vendor's term: a session that ran a command within the last second (`idle` 0).
 */
export function sessionStatistics(sessions: readonly Session[]): NodeSessionStatistics {
  const top = (key: (s: Session) => string) => {
    const counts = new Map<string, number>();
    for (const session of sessions) counts.set(key(session), (counts.get(key(session)) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
  };
  const ipOf = (addr: string) => (addr.startsWith("[") ? addr.slice(1, addr.indexOf("]")) : addr.slice(0, addr.lastIndexOf(":")));
  return {
    total_connection_count: sessions.length,
    active_connection_count: sessions.filter((s) => s.idle === "0").length,
    top_source_ips: top((s) => ipOf(s.addr)).map(([client_ip, connection_count]) => ({ client_ip, connection_count })),
    top_dbs: top((s) => s.db ?? "0").map(([db, connection_count]) => ({ db, connection_count })),
  };
}

/** The most sessions one {@link EmulatorWorld.openSessions} call may open. */
export const maxSessionsPerOpen = 100_000;

const dayMs = 24 * 60 * 60 * 1000;

/** The emulator's state: projects, instances, nodes and their sessions, tokens and AK/SK pairs. */
export class World implements EmulatorWorld {
  readonly #projects: Array<{ id: string; name?: string; instances: InstanceState[] }> = [];
  readonly #instances = new Map<string, InstanceState>();
  readonly #tokens = new Map<string, { projectId: string; expiresAt: Date }>();
  readonly #accessKeys = new Map<string, AccessKeyState>();
  readonly #backends: SessionBackend[] = [];
  /** The first project's credentials (generated when the config has none). */
  readonly primary: PrimaryCredentials;

  private constructor(config: WorldConfig, startedAt: Date) {
    for (const token of config.tokens ?? []) {
      const expiresAt = token.expiresAt === undefined ? new Date(startedAt.getTime() + dayMs) : new Date(token.expiresAt);
      this.#tokens.set(token.token, { projectId: token.projectId, expiresAt });
    }
    for (const pair of config.accessKeys ?? []) {
      this.#accessKeys.set(pair.accessKey, {
        secretKey: pair.secretKey,
        projectIds: new Set(pair.projectIds),
        securityToken: pair.securityToken,
      });
    }
    const projectId = config.projects[0]?.id ?? "";
    this.primary = { projectId, ...this.#primaryToken(projectId, startedAt), ...this.#primaryAccessKey(projectId) };
  }

  #primaryToken(projectId: string, now: Date): { token: string } {
    for (const [token, state] of this.#tokens) {
      if (state.projectId === projectId && state.expiresAt > now) return { token };
    }
    const token = `MIIEmulator${randomBytes(24).toString("hex")}`;
    this.#tokens.set(token, { projectId, expiresAt: new Date(now.getTime() + dayMs) });
    return { token };
  }

  #primaryAccessKey(projectId: string): { accessKey: string; secretKey: string } {
    for (const [accessKey, state] of this.#accessKeys) {
      if (state.projectIds.has(projectId) && state.securityToken === undefined) return { accessKey, secretKey: state.secretKey };
    }
    const accessKey = `EMU${randomBytes(10).toString("hex").toUpperCase()}`;
    const secretKey = randomBytes(24).toString("hex");
    this.#accessKeys.set(accessKey, { secretKey, projectIds: new Set([projectId]), securityToken: undefined });
    return { accessKey, secretKey };
  }

  /**
   * Builds the world from a checked config, starting or connecting to Redis servers for
   * nodes in Redis mode and opening each node's initial sessions. On failure, whatever was
   * started is stopped again.
   */
  static async create(config: WorldConfig, options: { startedAt: Date; redis?: RedisModeOptions | undefined }): Promise<World> {
    const world = new World(config, options.startedAt);
    try {
      for (const project of config.projects) {
        const instances: InstanceState[] = [];
        for (const instance of project.instances ?? []) {
          const spawnDefault = wantsSpawnedRedis(instance, options.redis);
          // Settle every node before failing, so each backend that did start is disposed.
          const settled = await Promise.allSettled(
            (instance.nodes ?? []).map((node) => createBackend(node, spawnDefault, options.redis?.binary)),
          );
          const backends = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
          world.#backends.push(...backends);
          const failure = settled.find((result) => result.status === "rejected");
          if (failure) throw failure.reason;
          const nodes = (instance.nodes ?? []).map((node, index) =>
            defined<NodeState>({
              id: node.id,
              name: node.name,
              status: node.status ?? operationRules.normalNodeStatus,
              backend: backends[index] as SessionBackend,
            }),
          );
          const { id, name, engine, mode, status = operationRules.availableStatus } = instance;
          const state = defined<InstanceState>({ id, name, engine, mode, status, projectId: project.id, nodes });
          instances.push(state);
          world.#instances.set(id, state);
          const opened = (instance.nodes ?? []).map((node, index) =>
            node.sessions ? nodes[index]?.backend.open(node.sessions) : undefined,
          );
          await Promise.all(opened);
        }
        world.#projects.push(defined({ id: project.id, name: project.name, instances }));
      }
    } catch (error) {
      await world.dispose();
      throw error;
    }
    return world;
  }

  #instance(instanceId: string): InstanceState {
    const instance = this.#instances.get(instanceId);
    if (!instance) throw new EmulatorStateError(`No instance ${instanceId} in this world`, "not-found");
    return instance;
  }

  #node(instanceId: string, nodeId: string): NodeState {
    const node = this.#instance(instanceId).nodes.find((candidate) => candidate.id === nodeId);
    if (!node) throw new EmulatorStateError(`No node ${nodeId} on instance ${instanceId}`, "not-found");
    return node;
  }

  /** The project a token acts for, or why it is refused. */
  tokenProject(token: string, now: Date): { ok: true; projectId: string } | { ok: false; reason: "unknown" | "expired" } {
    const state = this.#tokens.get(token);
    if (!state) return { ok: false, reason: "unknown" };
    if (state.expiresAt <= now) return { ok: false, reason: "expired" };
    return { ok: true, projectId: state.projectId };
  }

  /** An AK/SK pair by its access key. */
  accessKey(accessKey: string): AccessKeyState | undefined {
    return this.#accessKeys.get(accessKey);
  }

  /**
   * Runs `work` on the nodes of `instance` a call acts on, if the rules allow it; a node whose
   * Redis server cannot be reached is an unavailable node (DBS.200018).
   */
  async #act<T>(
    instance: InstanceState,
    nodes: NodeState[],
    projectId: string,
    access: Access,
    work: (node: NodeState) => Promise<T>,
  ): Promise<Outcome<T[]>> {
    const refusal = judgeInstance(instance, projectId, access, nodes);
    if (refusal) return { ok: false, ...refusal };
    const results = await Promise.allSettled(nodes.map(work));
    if (results.some((result) => result.status === "rejected")) return { ok: false, code: "DBS.200018" };
    return { ok: true, value: results.map((result) => (result as PromiseFulfilledResult<T>).value) };
  }

  /** An instance-scoped call: on every node of the instance, or on the one `nodeId` names. */
  #onInstance<T>(projectId: string, instanceId: string, nodeId: string | undefined, access: Access, work: (node: NodeState) => Promise<T>) {
    const instance = this.#instances.get(instanceId);
    if (!instance) return { ok: false, code: "DBS.200002" } as const;
    if (nodeId === undefined) return this.#act(instance, instance.nodes, projectId, access, work);
    const node = instance.nodes.find((candidate) => candidate.id === nodeId);
    if (!node) return { ok: false, code: instance.projectId === projectId ? "DBS.200013" : "DBS.200010" } as const;
    return this.#act(instance, [node], projectId, access, work);
  }

  /** A node-scoped call, on the node wherever it is. */
  async #onNode<T>(projectId: string, nodeId: string, access: Access, work: (node: NodeState) => Promise<T>): Promise<Outcome<T>> {
    for (const instance of this.#instances.values()) {
      const node = instance.nodes.find((candidate) => candidate.id === nodeId);
      if (!node) continue;
      const done = await this.#act(instance, [node], projectId, access, work);
      return done.ok ? { ok: true, value: done.value[0] as T } : done;
    }
    return { ok: false, code: "DBS.200013" };
  }

  /** `listInstanceSessions`: every node's sessions (or the one node's), grouped by node. */
  async listInstanceSessions(projectId: string, instanceId: string, nodeId?: string): Promise<Outcome<ListInstanceSessionsResponse>> {
    const listed = await this.#onInstance(projectId, instanceId, nodeId, "read", async (node) => {
      const sessions = await node.backend.list();
      return { node_id: node.id, total_count: sessions.length, sessions };
    });
    return listed.ok ? { ok: true, value: { node_sessions: listed.value } } : listed;
  }

  /** `closeInstanceSessions`: closes every session on every node of a proxy-cluster instance (or on the one node). */
  async closeInstanceSessions(projectId: string, instanceId: string, nodeId?: string): Promise<Outcome<{ closed: number }>> {
    const closed = await this.#onInstance(projectId, instanceId, nodeId, "close-all-nodes", (node) => node.backend.closeAll());
    return closed.ok ? { ok: true, value: { closed: closed.value.reduce((sum, n) => sum + n, 0) } } : closed;
  }

  /** `listNodeSessions`: one page of a node's sessions, most recently created first, optionally by address prefix. */
  async listNodeSessions(
    projectId: string,
    nodeId: string,
    page: { offset: number; limit: number; addrPrefix: string | undefined },
  ): Promise<Outcome<ListNodeSessionsResponse>> {
    const listed = await this.#onNode(projectId, nodeId, "read", (node) => node.backend.list());
    if (!listed.ok) return listed;
    const all = listed.value.filter((s) => page.addrPrefix === undefined || s.addr.startsWith(page.addrPrefix));
    return { ok: true, value: { total_count: all.length, sessions: all.slice(page.offset, page.offset + page.limit) } };
  }

  /** `getNodeSessionStatistics`, computed from the node's sessions. */
  async nodeSessionStatistics(projectId: string, nodeId: string): Promise<Outcome<NodeSessionStatistics>> {
    return this.#onNode(projectId, nodeId, "read", async (node) => sessionStatistics(await node.backend.list()));
  }

  /** `closeNodeSessions`: every session of the node, or the ones named. */
  async closeNodeSessions(projectId: string, nodeId: string, body: CloseNodeSessionsRequest): Promise<Outcome<{ closed: number }>> {
    return this.#onNode(projectId, nodeId, "close", async (node) => ({
      closed: await (body.is_all ? node.backend.closeAll() : node.backend.close(body.session_ids ?? [])),
    }));
  }

  async snapshot(): Promise<WorldSnapshot> {
    const projects = await Promise.all(
      this.#projects.map(async (project) => ({
        ...project,
        instances: await Promise.all(project.instances.map((instance) => this.#instanceSnapshot(instance))),
      })),
    );
    return {
      projects,
      tokens: [...this.#tokens.values()].map((state) => ({ projectId: state.projectId, expiresAt: state.expiresAt.toISOString() })),
      accessKeys: [...this.#accessKeys.entries()].map(([accessKey, state]) => ({
        accessKey,
        projectIds: [...state.projectIds],
        temporary: state.securityToken !== undefined,
      })),
    };
  }

  async #instanceSnapshot({ projectId, nodes, ...instance }: InstanceState): Promise<InstanceSnapshot> {
    const snapshots = nodes.map(async ({ backend, ...node }) => ({
      ...node,
      backend: backend.kind,
      ...(backend.address === undefined ? {} : { address: { ...backend.address } }),
      sessions: await backend.count(),
    }));
    return { ...instance, nodes: await Promise.all(snapshots) };
  }

  async sessionCounts(instanceId: string): Promise<Record<string, number>> {
    const instance = this.#instance(instanceId);
    const counts = await Promise.all(instance.nodes.map(async (node) => [node.id, await node.backend.count()] as const));
    return Object.fromEntries(counts);
  }

  async totalSessions(instanceId: string): Promise<number> {
    const counts = await this.sessionCounts(instanceId);
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  }

  async openSessions(instanceId: string, count: number, nodeId?: string, options: { idleSeconds?: number } = {}): Promise<void> {
    if (!Number.isInteger(count) || count < 0 || count > maxSessionsPerOpen) {
      throw new EmulatorStateError(`count must be an integer from 0 to ${maxSessionsPerOpen}`);
    }
    if (nodeId !== undefined) return this.#node(instanceId, nodeId).backend.open(count, options);
    const { nodes } = this.#instance(instanceId);
    if (nodes.length === 0) throw new EmulatorStateError(`Instance ${instanceId} has no nodes`);
    const share = Math.floor(count / nodes.length);
    const remainder = count % nodes.length;
    await Promise.all(nodes.map((node, index) => node.backend.open(share + (index < remainder ? 1 : 0), options)));
  }

  setInstanceStatus(instanceId: string, status: string): void {
    this.#instance(instanceId).status = checkedStatus(status);
  }

  setNodeStatus(instanceId: string, nodeId: string, status: string): void {
    this.#node(instanceId, nodeId).status = checkedStatus(status);
  }

  nodeAddresses(instanceId: string): Array<{ nodeId: string; host: string; port: number }> {
    return this.#instance(instanceId).nodes.flatMap((node) => (node.backend.address ? [{ nodeId: node.id, ...node.backend.address }] : []));
  }

  /** Releases every node's backend: held connections, admin connections, spawned servers. */
  async dispose(): Promise<void> {
    await Promise.allSettled(this.#backends.splice(0).map((backend) => backend.dispose()));
  }
}

function checkedStatus(status: string): string {
  if (typeof status !== "string" || !/^[\w-]{1,64}$/.test(status)) {
    throw new EmulatorStateError("status must be 1 to 64 letters, digits, _ or -");
  }
  return status;
}

function wantsSpawnedRedis(instance: { id: string; engine: string; mode: string }, redis: RedisModeOptions | undefined): boolean {
  if (!redis) return false;
  if (redis.instances) return redis.instances.includes(instance.id);
  return instance.engine === operationRules.engine && instance.mode === operationRules.mode;
}

async function createBackend(node: NodeConfig, spawnDefault: boolean, binary: string | undefined): Promise<SessionBackend> {
  const backend = node.backend ?? (spawnDefault ? "spawn" : "memory");
  if (backend === "memory") return new MemorySessionBackend();
  if (backend === "spawn") {
    const server = await startRedisServer(binary === undefined ? {} : { binary });
    return new RedisSessionBackend({ host: server.host, port: server.port, ownedServer: server });
  }
  return new RedisSessionBackend(backend);
}
