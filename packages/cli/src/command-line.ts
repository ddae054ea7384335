import { parseArgs } from "node:util";
import { UsageError } from "./usage-error.js";

/** The options of `geminidb-sessions close`, as given on the command line. */
export interface CloseOptions {
  instanceIds: string[];
  /** Files to read IDs from; `-` is stdin. */
  fromFiles: string[];
  projectId?: string;
  region?: string;
  endpoint?: string;
  /** A token given on the command line (discouraged; warned about). */
  token?: string;
  concurrency: number;
  timeoutMs?: number;
  maxRetries?: number;
  json: boolean;
  dryRun: boolean;
  yes: boolean;
}

/** What the command line asks for. */
export type CommandLine = { kind: "help" } | { kind: "version" } | { kind: "close"; options: CloseOptions };

/** Instances closed at once unless `--concurrency` says otherwise. */
export const defaultConcurrency = 4;
/** The most instances closed at once: more would only hammer the service. */
export const maxConcurrency = 32;

const optionSpec = {
  "instance-id": { type: "string", multiple: true },
  "from-file": { type: "string", multiple: true },
  "project-id": { type: "string" },
  region: { type: "string" },
  endpoint: { type: "string" },
  token: { type: "string" },
  concurrency: { type: "string" },
  "timeout-ms": { type: "string" },
  "max-retries": { type: "string" },
  json: { type: "boolean" },
  "dry-run": { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

/** A whole number; the range is checked here when given, else by the client (which knows its own limits). */
function wholeNumber(value: string | undefined, flag: string, range?: { min: number; max: number }): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d{1,10}$/.test(value)) throw new UsageError(`--${flag} must be a whole number, not '${value}'`);
  if (range !== undefined && (number < range.min || number > range.max)) {
    throw new UsageError(`--${flag} must be from ${range.min} to ${range.max}, not ${value}`);
  }
  return number;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: optionSpec, strict: true, allowPositionals: true });
  } catch (error) {
    // node:util's messages name the option ("Unknown option '--foo'"); keep them, drop the error code.
    throw new UsageError((error as Error).message);
  }
}

/**
 * Reads the command line: `close` and its options, `--help` or `--version`.
 * Throws {@link UsageError} for anything it cannot use. Values are checked for
 * form only here; IDs, region and endpoint are checked by the client.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const { values, positionals } = parse(argv);
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const [command, ...extra] = positionals;
  if (command === undefined) throw new UsageError("no command given: the command is 'close'");
  if (command === "help") return { kind: "help" };
  if (command !== "close") throw new UsageError(`unknown command '${command}': the command is 'close'`);
  if (extra.length > 0) {
    throw new UsageError(`unexpected argument '${extra[0]}': give instance IDs with --instance-id, --from-file or on stdin`);
  }
  if (values.region !== undefined && values.endpoint !== undefined) {
    throw new UsageError("give --region or --endpoint, not both");
  }
  if (values.region === undefined && values.endpoint === undefined) {
    throw new UsageError("say where to send requests: --region (e.g. cn-north-4) or --endpoint (e.g. http://127.0.0.1:8080)");
  }
  const fromFiles = values["from-file"] ?? [];
  if (fromFiles.filter((file) => file === "-").length > 1) throw new UsageError("--from-file - (stdin) can be given only once");

  const options: CloseOptions = {
    instanceIds: values["instance-id"] ?? [],
    fromFiles,
    concurrency: wholeNumber(values.concurrency, "concurrency", { min: 1, max: maxConcurrency }) ?? defaultConcurrency,
    json: values.json ?? false,
    dryRun: values["dry-run"] ?? false,
    yes: values.yes ?? false,
  };
  if (values["project-id"] !== undefined) options.projectId = values["project-id"];
  if (values.region !== undefined) options.region = values.region;
  if (values.endpoint !== undefined) options.endpoint = values.endpoint;
  if (values.token !== undefined) options.token = values.token;
  const timeoutMs = wholeNumber(values["timeout-ms"], "timeout-ms");
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  const maxRetries = wholeNumber(values["max-retries"], "max-retries");
  if (maxRetries !== undefined) options.maxRetries = maxRetries;
  return { kind: "close", options };
}

/** Whether `--json` is on the command line, even when the rest of it cannot be parsed. */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.includes("--json");
}
