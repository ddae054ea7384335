import { handleAdminRequest } from "./admin/handle-admin-request.js";
import { demoWorld } from "./demo-world.js";
import { type FaultController, FaultInjector, type FaultRule } from "./fault-injector.js";
import { handleApiRequest } from "./handle-api-request.js";
import { EmulatorConfigError } from "./input-reader.js";
import { defaultLimits, type EmulatorLimits, type Listener, startListener } from "./listener.js";
import { allowedHostNames, checkAdminToken, guardApiRequest, newAdminToken } from "./request-guard.js";
import { type EmulatorWorld, operationRules, type RedisModeOptions, World } from "./world.js";
import { loadWorldFile, parseWorldConfig, type WorldConfig } from "./world-config.js";

/**
 * One answered request, for an optional `log` callback. It never holds header values, so no
 * token, signature or key can leak through it.
 */
export interface RequestLogEntry {
  requestId: string;
  method: string;
  /** The raw request target, cut to 200 characters. */
  target: string;
  /** The status answered; 0 when the connection was reset on purpose. */
  status: number;
  /** The catalog code answered, for errors. */
  code?: string;
  /** Why authentication failed, for 401s (e.g. `token-expired`, `signature-clock-skew`). */
  authFailure?: string;
  /** The fault effect that replaced the normal answer, if any. */
  fault?: string;
  /** Refused before routing: a `Host` that does not name the emulator, or a foreign `Origin`. */
  refused?: "host" | "origin";
  /** Sessions closed, for successful calls. */
  closedSessions?: number;
}

/** How to start an emulator. Every field is optional. */
export interface EmulatorOptions {
  /** The API port; 0 (default) picks a free one. */
  port?: number;
  /** The API's address; `127.0.0.1` by default. */
  host?: string;
  /** The admin API's port on 127.0.0.1 (always loopback); 0 (default) picks a free one. */
  adminPort?: number;
  /** A `.json`, `.yaml` or `.yml` world config file. */
  config?: string;
  /** A world config object. Give `config` or `world`, not both; the demo world without either. */
  world?: WorldConfig;
  /** Fault rules active from the start, after those of the world config. */
  faults?: FaultRule[];
  /** Real Redis mode: `true` spawns a `redis-server` for every node of every Redis proxy-cluster instance. */
  redis?: boolean | RedisModeOptions;
  /** The emulator's clock for token expiry and the `X-Sdk-Date` skew check; `() => new Date()` by default. */
  now?: () => Date;
  /** Request bounds; see {@link EmulatorLimits} for the defaults. */
  limits?: Partial<EmulatorLimits>;
  /** Called once per answered API request. The emulator itself prints nothing. */
  log?: (entry: RequestLogEntry) => void;
  /**
   * Answer CORS preflights and add `Access-Control-Allow-*` headers for pages on loopback
   * origins (`http://127.0.0.1:<any port>`, `http://localhost:<any port>`, `http://[::1]:<any port>`),
   * so a browser test can call the API. Off by default. Other origins are refused either way.
   */
  cors?: boolean;
  /**
   * The secret admin calls must send in `X-Admin-Token` (16 to 256 printable ASCII
   * characters). A random one by default; read it from {@link RunningEmulator.adminToken}.
   */
  adminToken?: string;
  /**
   * More host names the `Host` header may give (e.g. `host.docker.internal`), besides the
   * loopback names and the `host` the API listens on. Any other name is refused, against DNS rebinding.
   */
  allowedHosts?: string[];
}

/** Credentials that work against the emulator's first project. */
export interface EmulatorCredentials {
  projectId: string;
  /** An `X-Auth-Token` scoped to `projectId`. */
  token: string;
  accessKey: string;
  secretKey: string;
  /** The first instance of the project the operation succeeds on, if there is one. */
  instanceId: string | undefined;
}

/** A running emulator. */
export interface RunningEmulator {
  /** The API's base URL, `http://127.0.0.1:<port>`: use it as a client's endpoint. */
  url: string;
  /** The admin API's base URL (loopback only). */
  adminUrl: string;
  /**
   * The secret every admin call must send in the `X-Admin-Token` header. Not enumerable, so
   * printing or inspecting the emulator object does not show it.
   */
  readonly adminToken: string;
  credentials: EmulatorCredentials;
  /** The state: inspect session counts, open sessions, change statuses. */
  world: EmulatorWorld;
  /** The fault rules: add, remove, list. */
  faults: FaultController;
  /** Connections open on the API port right now. */
  connectionCount(): number;
  /** Request body bytes the API port holds right now (at most `limits.maxHeldBodyBytes`). */
  heldBodyBytes(): number;
  /** Closes both listeners and every connection, and stops every `redis-server` it started. Safe to call twice. */
  close(): Promise<void>;
}

function resolveLimits(overrides: Partial<EmulatorLimits> | undefined): EmulatorLimits {
  const limits = { ...defaultLimits, ...overrides };
  const issues = Object.entries(limits)
    .filter(([key, value]) => !(key in defaultLimits) || !Number.isInteger(value) || value <= 0)
    .map(([key]) => (key in defaultLimits ? `limits.${key}: must be a positive integer` : `limits.${key}: is not a limit`));
  if (issues.length === 0 && limits.maxHeldBodyBytes < limits.maxBodyBytes) {
    issues.push("limits.maxHeldBodyBytes: must be at least limits.maxBodyBytes");
  }
  if (issues.length > 0) throw new EmulatorConfigError("Invalid limits", issues);
  return limits;
}

async function resolveWorldConfig(options: EmulatorOptions): Promise<WorldConfig> {
  if (options.config !== undefined && options.world !== undefined)
    throw new EmulatorConfigError("Give config (a file) or world (an object), not both");
  if (options.config !== undefined) return loadWorldFile(options.config);
  if (options.world !== undefined) return parseWorldConfig(options.world, "world option");
  return demoWorld();
}

function firstOperableInstance(config: WorldConfig, projectId: string): string | undefined {
  const instances = config.projects.find((project) => project.id === projectId)?.instances ?? [];
  const operable = instances.find(
    (instance) =>
      instance.engine === operationRules.engine &&
      instance.mode === operationRules.mode &&
      (instance.status ?? operationRules.availableStatus) === operationRules.availableStatus,
  );
  return operable?.id;
}

/**
 * Starts the emulator: the API on `host:port` and the admin API on 127.0.0.1, over a world
 * from a file, an object or the built-in demo.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ port: 0 });
 * const { projectId, instanceId, token } = emu.credentials;
 * const response = await fetch(`${emu.url}/v3/${projectId}/instances/${instanceId}/sessions`, {
 *   method: "DELETE",
 *   headers: { "X-Auth-Token": token },
 * });
 * // response.status === 200, and every node's sessions are closed:
 * await emu.world.totalSessions(instanceId!); // 0
 * await emu.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const limits = resolveLimits(options.limits);
  const adminToken = options.adminToken === undefined ? newAdminToken() : checkAdminToken(options.adminToken);
  const allowedHosts = options.allowedHosts ?? [];
  if (!Array.isArray(allowedHosts) || !allowedHosts.every((name) => typeof name === "string" && /^[A-Za-z0-9.\-:[\]]+$/.test(name))) {
    throw new EmulatorConfigError("Invalid allowedHosts", ["allowedHosts: must be a list of host names or IP addresses"]);
  }
  const apiHost = options.host ?? "127.0.0.1";
  const config = await resolveWorldConfig(options);
  const faults = new FaultInjector();
  for (const rule of [...(config.faults ?? []), ...(options.faults ?? [])]) faults.add(rule);
  const now = options.now ?? (() => new Date());
  const redis = options.redis === true ? {} : options.redis === false ? undefined : options.redis;
  const world = await World.create(config, { startedAt: now(), redis });

  const lifetime = new AbortController();
  const apiContext = { world, faults, limits, now, log: options.log, lifetime: lifetime.signal };
  let api: Listener | undefined;
  let admin: Listener | undefined;
  const shutDown = async () => {
    lifetime.abort();
    await Promise.allSettled([api?.close(), admin?.close()]);
    await world.dispose();
  };
  try {
    const guard = { hostNames: allowedHostNames(apiHost, allowedHosts), cors: options.cors === true, log: options.log };
    api = await startListener(apiHost, options.port ?? 0, limits, (request, response) => {
      if (guardApiRequest(guard, request, response)) return;
      void handleApiRequest(apiContext, request, response);
    });
    const adminContext = { world, faults, apiUrl: api.url, adminToken, hostNames: allowedHostNames("127.0.0.1", allowedHosts) };
    admin = await startListener("127.0.0.1", options.adminPort ?? 0, limits, (request, response) => {
      void handleAdminRequest(adminContext, request, response);
    });
  } catch (error) {
    await shutDown();
    throw error;
  }

  const apiListener = api;
  let closing: Promise<void> | undefined;
  const running: Omit<RunningEmulator, "adminToken"> = {
    url: api.url,
    adminUrl: admin.url,
    credentials: { ...world.primary, instanceId: firstOperableInstance(config, world.primary.projectId) },
    world,
    faults,
    connectionCount: () => apiListener.connectionCount(),
    heldBodyBytes: () => apiListener.heldBodyBytes(),
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
  return Object.defineProperty(running, "adminToken", { value: adminToken, enumerable: false }) as RunningEmulator;
}
