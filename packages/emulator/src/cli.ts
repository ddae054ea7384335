import { parseArgs } from "node:util";
import { operations } from "@geminidb-sessions/validation";
import { demoIds } from "./demo-world.js";
import { defined, EmulatorConfigError } from "./input-reader.js";
import { RedisCommandError } from "./redis/redis-connection.js";
import { adminTokenEnvVar, adminTokenHeader } from "./request-guard.js";
import type { EmulatorOptions, RequestLogEntry, RunningEmulator } from "./start-emulator.js";
import type { WorldSnapshot } from "./world.js";

/** The bin's usage text. */
export const cliUsage: string = `Usage: geminidb-sessions-emulator [options]

A local GeminiDB endpoint for the GeminiDB Redis sessions operations.

Options:
  --port <n>            API port (default 0: a free port)
  --host <address>      API address (default 127.0.0.1)
  --admin-port <n>      admin API port on 127.0.0.1 (default 0: a free port)
  --config <file>       world config (.json, .yaml, .yml); the demo world without it
  --redis               real Redis mode: a redis-server per node of every Redis proxy cluster
  --redis-server <path> the redis-server executable (default: redis-server on the PATH)
  --cors                answer CORS preflights of pages on http://127.0.0.1:<any port>,
                        http://localhost:<any port> and http://[::1]:<any port> (off by default)
  --allow-host <name>   also accept this name in the Host header (repeatable), e.g.
                        host.docker.internal; other names are refused (DNS rebinding)
  --log                 print one line per answered request
  --version             print the version
  -h, --help            print this help

Admin calls need the X-Admin-Token header: a random token printed at start, or the value
of ${adminTokenEnvVar} when it is set (then it is not printed).

Exit codes: 0 stopped by Ctrl-C (SIGINT) or SIGTERM; 1 bad arguments or config file;
2 could not start (port in use or not permitted, address not available, redis-server
missing or failing).
`;

/** What the command line asks for. */
export type CliRequest = { kind: "help" } | { kind: "version" } | { kind: "run"; options: EmulatorOptions; log: boolean };

function portOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65_535) throw new EmulatorConfigError(`--${name} must be a port number from 0 to 65535`);
  return port;
}

/**
 * Reads the bin's arguments (and the admin token from `env`); throws
 * {@link EmulatorConfigError} on a bad one.
 */
export function parseCliArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): CliRequest {
  const values = parse(argv);
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const binary = values["redis-server"];
  const options = defined<EmulatorOptions>({
    port: portOption(values.port, "port"),
    adminPort: portOption(values["admin-port"], "admin-port"),
    host: values.host,
    config: values.config,
    redis: binary !== undefined ? { binary } : values.redis ? true : undefined,
    cors: values.cors ? true : undefined,
    allowedHosts: values["allow-host"],
    adminToken: env[adminTokenEnvVar] || undefined,
  });
  return { kind: "run", options, log: values.log ?? false };
}

/** The parsed options; an unknown option or a missing value is an {@link EmulatorConfigError}. */
function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "admin-port": { type: "string" },
        config: { type: "string" },
        redis: { type: "boolean" },
        "redis-server": { type: "string" },
        cors: { type: "boolean" },
        "allow-host": { type: "string", multiple: true },
        log: { type: "boolean" },
        version: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    throw new EmulatorConfigError((error as Error).message);
  }
}

/** What the banner shows besides the running emulator. */
export interface BannerOptions {
  /** The built-in demo world runs: its credentials are public, so its SK is printed. */
  demoWorld: boolean;
  /** The world at start, for the list of instances and nodes. */
  world: WorldSnapshot;
  /** The admin token came from the environment: the banner names the variable, not the value. */
  adminTokenFromEnv: boolean;
}

const demoNames = new Map<string, string>(Object.entries(demoIds.instances).map(([name, id]) => [id, name]));

/** One line per instance: ID, engine and mode, status, a name, and its node IDs. */
function instanceLines(world: WorldSnapshot, demo: boolean): string[] {
  const lines: string[] = [];
  for (const project of world.projects) {
    if (project.instances.length === 0) continue;
    lines.push(`instances of project ${project.id}${project.name === undefined ? "" : ` (${project.name})`}:`);
    for (const instance of project.instances) {
      const name = (demo ? demoNames.get(instance.id) : undefined) ?? instance.name ?? "-";
      const nodes = instance.nodes.map((node) => (node.status === "normal" ? node.id : `${node.id} (${node.status})`));
      lines.push(`  ${instance.id}  ${instance.engine} ${instance.mode}, ${instance.status}  ${name}`);
      lines.push(`    nodes: ${nodes.length > 0 ? nodes.join(" ") : "none"}`);
    }
  }
  return lines;
}

/**
 * The lines the bin prints once the emulator runs. The secret key is printed only for the
 * built-in demo world (whose credentials are public); a config file's stays unprinted. The
 * admin token is printed unless it came from the environment.
 */
export function startupBanner(emulator: RunningEmulator, options: BannerOptions): string[] {
  const { projectId, token, accessKey, secretKey, instanceId } = emulator.credentials;
  const lines = [
    `GeminiDB sessions emulator listening on ${emulator.url}`,
    `admin API (loopback only): ${emulator.adminUrl}`,
    `admin token:  ${options.adminTokenFromEnv ? `(from ${adminTokenEnvVar})` : emulator.adminToken}  (send it as ${adminTokenHeader})`,
    `project ID:   ${projectId}`,
    `X-Auth-Token: ${token}`,
    `AK: ${accessKey}`,
    `SK: ${options.demoWorld ? secretKey : "(as in your config file)"}`,
    ...instanceLines(options.world, options.demoWorld),
  ];
  if (instanceId !== undefined) {
    const list = operations.listInstanceSessions;
    const path = list.path.replace("{project_id}", projectId).replace("{instance_id}", instanceId);
    lines.push(`try: curl -i -X ${list.method} -H 'X-Auth-Token: ${token}' ${emulator.url}${path}`);
    const redisNodes = emulator.world.nodeAddresses(instanceId).map((node) => `${node.host}:${node.port}`);
    if (redisNodes.length > 0) lines.push(`Redis nodes of ${instanceId}: ${redisNodes.join(" ")}`);
  }
  lines.push("Ctrl-C stops it.");
  return lines;
}

/** The bin's exit code when it could not start for a reason outside its arguments. */
export const cannotStartExitCode = 2;

const noSuchAddress = "this machine has no such address; check --host";
const listenFailures = new Map([
  ["EADDRINUSE", "the port is in use; choose another --port (or --port 0 for a free one)"],
  ["EACCES", "permission denied (ports below 1024 need privileges); choose another --port"],
  ["EADDRNOTAVAIL", noSuchAddress],
  ["ENOTFOUND", noSuchAddress],
]);

/**
 * One clear line for a failure to start, and the exit code: a port in use or not permitted,
 * an address this machine does not have, a redis-server that is missing or fails. Undefined
 * for anything else (a bug), which the bin prints with its stack.
 */
export function describeStartupFailure(error: unknown, options: EmulatorOptions): { message: string; exitCode: number } | undefined {
  if (error instanceof EmulatorConfigError) return { message: `${error.message}\nRun with --help for the options.`, exitCode: 1 };
  const errno = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (errno?.syscall === "listen" || errno?.code === "ENOTFOUND") {
    const address = errno.address ?? options.host ?? "127.0.0.1";
    const where = errno.port ? `${address}:${errno.port}` : address;
    const reason = listenFailures.get(errno.code ?? "") ?? errno.code ?? errno.message;
    return { message: `geminidb-sessions-emulator: cannot listen on ${where}: ${reason}`, exitCode: cannotStartExitCode };
  }
  if (error instanceof RedisCommandError) {
    const cause = error.cause as NodeJS.ErrnoException | undefined;
    const binary = typeof options.redis === "object" && options.redis.binary !== undefined ? options.redis.binary : "redis-server";
    const message =
      cause?.code === "ENOENT"
        ? `geminidb-sessions-emulator: --redis needs ${binary}, which was not found; install it (Debian/Ubuntu: apt-get install redis-server), give its path with --redis-server, or run without --redis`
        : `geminidb-sessions-emulator: a redis-server could not start: ${error.message.split("\n")[0]}`;
    return { message, exitCode: cannotStartExitCode };
  }
  return undefined;
}

/** One request as the bin's `--log` prints it (no header values, so no secrets). */
export function formatLogEntry(entry: RequestLogEntry): string {
  const details = [
    entry.code,
    entry.authFailure && `auth: ${entry.authFailure}`,
    entry.refused && `refused: foreign ${entry.refused === "host" ? "Host" : "Origin"}`,
    entry.fault && `fault: ${entry.fault}`,
    entry.closedSessions !== undefined && `closed ${entry.closedSessions} sessions`,
  ].filter(Boolean);
  return `${entry.requestId} ${entry.method} ${entry.target} -> ${entry.status === 0 ? "reset" : entry.status}${details.length > 0 ? ` (${details.join(", ")})` : ""}`;
}
