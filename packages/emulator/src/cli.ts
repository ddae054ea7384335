import { parseArgs } from "node:util";
import { operations } from "@geminidb-sessions/validation";
import { EmulatorConfigError } from "./config-error.js";
import type { RequestLogEntry } from "./request-log.js";
import type { EmulatorOptions, RunningEmulator } from "./start-emulator.js";

/** The bin's usage text. */
export const cliUsage = `Usage: geminidb-sessions-emulator [options]

A local GeminiDB endpoint for the GeminiDB Redis sessions operations.

Options:
  --port <n>            API port (default 0: a free port)
  --host <address>      API address (default 127.0.0.1)
  --admin-port <n>      admin API port on 127.0.0.1 (default 0: a free port)
  --config <file>       world config (.json, .yaml, .yml); the demo world without it
  --redis               real Redis mode: a redis-server per node of every Redis proxy cluster
  --redis-server <path> the redis-server executable (default: redis-server on the PATH)
  --log                 print one line per answered request
  -h, --help            print this help
`;

/** What the command line asks for. */
export type CliRequest = { kind: "help" } | { kind: "run"; options: EmulatorOptions; log: boolean };

function portOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65_535) throw new EmulatorConfigError(`--${name} must be a port number from 0 to 65535`);
  return port;
}

/** Reads the bin's arguments; throws {@link EmulatorConfigError} on a bad one. */
export function parseCliArgs(argv: readonly string[]): CliRequest {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new EmulatorConfigError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return { kind: "help" };
  const options: EmulatorOptions = {};
  const port = portOption(values.port, "port");
  if (port !== undefined) options.port = port;
  const adminPort = portOption(values["admin-port"], "admin-port");
  if (adminPort !== undefined) options.adminPort = adminPort;
  if (values.host !== undefined) options.host = values.host;
  if (values.config !== undefined) options.config = values.config;
  if (values.redis || values["redis-server"] !== undefined) {
    options.redis = values["redis-server"] === undefined ? true : { binary: values["redis-server"] };
  }
  return { kind: "run", options, log: values.log ?? false };
}

function parse(argv: readonly string[]) {
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
      log: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/**
 * The lines the bin prints once the emulator runs. The secret key is printed only for the
 * built-in demo world (whose credentials are public); a config file's stays unprinted.
 */
export function startupBanner(emulator: RunningEmulator, options: { demoWorld: boolean }): string[] {
  const { projectId, token, accessKey, secretKey, instanceId } = emulator.credentials;
  const lines = [
    `GeminiDB sessions emulator listening on ${emulator.url}`,
    `admin API (loopback only): ${emulator.adminUrl}`,
    `project ID:   ${projectId}`,
    `X-Auth-Token: ${token}`,
    `AK: ${accessKey}`,
    `SK: ${options.demoWorld ? secretKey : "(as in your config file)"}`,
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

/** One request as the bin's `--log` prints it (no header values, so no secrets). */
export function formatLogEntry(entry: RequestLogEntry): string {
  const details = [
    entry.code,
    entry.authFailure && `auth: ${entry.authFailure}`,
    entry.fault && `fault: ${entry.fault}`,
    entry.closedSessions !== undefined && `closed ${entry.closedSessions} sessions`,
  ].filter(Boolean);
  return `${entry.requestId} ${entry.method} ${entry.target} -> ${entry.status === 0 ? "reset" : entry.status}${details.length > 0 ? ` (${details.join(", ")})` : ""}`;
}
