import { createSessionsClient, ValidationError } from "@geminidb-sessions/client";
import { type ClientSetup, clientSetup, usageErrorFor } from "./client-options.js";
import { closeInstances } from "./close-instances.js";
import { type CloseOptions, parseCommandLine, wantsJson } from "./command-line.js";
import { canAsk, confirm } from "./confirm.js";
import { type ChosenCredentials, chooseCredentials, chooseProjectId } from "./credentials.js";
import { exitCodes } from "./exit-codes.js";
import { helpText } from "./help.js";
import { collectInstanceIds } from "./instance-ids.js";
import type { CliIo } from "./io.js";
import { outcomeOf } from "./outcome.js";
import { type PlannedRequest, planRequests } from "./plan.js";
import { createProgress } from "./progress.js";
import { maskSecrets } from "./redact.js";
import { buildReport, type CloseReport, dryRunResults, formatDryRun, formatFailureDetails, formatSummaryTable } from "./report.js";
import { styleFor } from "./style.js";
import { UsageError } from "./usage-error.js";
import { cliVersion } from "./version.js";

/**
 * Runs `geminidb-sessions` with `argv` (the arguments after the program name) and
 * resolves with the exit code; never throws, never exits the process. The bin is
 * `process.exitCode = await runCli(process.argv.slice(2), { stdin, stdout, stderr, env })`.
 *
 * @example
 * const code = await runCli(["close", "--endpoint", url, "--instance-id", id, "--yes", "--json"], {
 *   stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: { GEMINIDB_TOKEN: token },
 * });
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = wantsJson(argv);
  const secrets: string[] = [];
  try {
    const command = parseCommandLine(argv);
    if (command.kind === "help") {
      io.stdout.write(helpText);
      return exitCodes.success;
    }
    if (command.kind === "version") {
      io.stdout.write(`${cliVersion}\n`);
      return exitCodes.success;
    }
    return await runClose(command.options, io, secrets);
  } catch (error) {
    if (error instanceof UsageError) {
      const printed = new UsageError(
        maskSecrets(error.message, secrets),
        error.details.map((line) => maskSecrets(line, secrets)),
      );
      printUsageError(printed, io);
      if (json)
        writeJson(
          io,
          buildReport({
            outcome: "usage",
            exitCode: exitCodes.usage,
            dryRun: argv.includes("--dry-run"),
            results: [],
            error: errorOf(printed),
          }),
        );
      return exitCodes.usage;
    }
    // A bug, not a user error: one line, no stack trace, secrets masked.
    const message = maskSecrets(error instanceof Error ? error.message : String(error), secrets);
    io.stderr.write(`geminidb-sessions: internal error: ${message}\n`);
    return exitCodes.failure;
  }
}

/** Everything known before the first request: checked options, credentials, and the planned requests. */
interface PreparedRun {
  credentials: ChosenCredentials;
  setup: ClientSetup;
  endpoint: string;
  planned: PlannedRequest[];
  /** The `--json` fields every report of this run shares. */
  where: { dryRun: boolean; endpoint: string; projectId: string };
}

async function runClose(options: CloseOptions, io: CliIo, secrets: string[]): Promise<number> {
  const run = await prepare(options, io, secrets);
  if (options.dryRun) return printDryRun(run, options, io);
  if (!options.yes && !(await confirmed(run, io))) {
    const error = { message: "not confirmed: nothing was sent", details: [] };
    io.stderr.write(`${error.message}\n`);
    if (options.json) writeJson(io, buildReport({ ...run.where, outcome: "declined", exitCode: exitCodes.failure, results: [], error }));
    return exitCodes.failure;
  }
  return closeAll(run, options, io, secrets);
}

/** Checks everything and plans every request; throws {@link UsageError} for anything the user must fix. */
async function prepare(options: CloseOptions, io: CliIo, secrets: string[]): Promise<PreparedRun> {
  const credentials = chooseCredentials(options.token, io.env);
  secrets.push(...credentials.secrets);
  if (credentials.warning !== undefined) io.stderr.write(`${credentials.warning}\n`);
  const setup = clientSetup(options, credentials, chooseProjectId(options.projectId, io.env));
  const { entries, duplicates } = await collectInstanceIds(options, io.stdin);
  for (const id of duplicates) io.stderr.write(`note: ${id} is listed more than once; it is closed once\n`);
  let endpoint: string;
  try {
    endpoint = createSessionsClient(setup.options).endpoint;
  } catch (error) {
    if (error instanceof ValidationError) throw usageErrorFor(error, setup.sources);
    throw error;
  }
  const planned = await planRequests(setup.options, entries, secrets);
  return { credentials, setup, endpoint, planned, where: { dryRun: options.dryRun, endpoint, projectId: setup.projectId } };
}

function printDryRun(run: PreparedRun, options: CloseOptions, io: CliIo): number {
  const results = dryRunResults(run.planned);
  io.stderr.write(`dry run: nothing was sent; ${run.planned.length} request(s) would be sent with the ${describe(run.credentials)}\n`);
  if (options.json) writeJson(io, buildReport({ ...run.where, outcome: "success", exitCode: exitCodes.success, results }));
  else io.stdout.write(formatDryRun(run.planned));
  return exitCodes.success;
}

/** Asks on the terminal; without one, refuses with a usage error (pass --yes). */
async function confirmed(run: PreparedRun, io: CliIo): Promise<boolean> {
  if (!canAsk(io.stdin, io.stderr)) {
    throw new UsageError("refusing to close sessions without confirmation: stdin or stderr is not a terminal; pass --yes to confirm");
  }
  const ids = run.planned.map((request) => request.instanceId);
  const shown = ids.slice(0, 10).map((id) => `  ${id}\n`);
  if (ids.length > shown.length) shown.push(`  ... and ${ids.length - shown.length} more\n`);
  const question =
    `About to close ALL sessions on every node of ${ids.length} instance(s) in project ${run.setup.projectId} at ${run.endpoint}:\n` +
    `${shown.join("")}Every client connected to them will be disconnected. Continue? [y/N] `;
  return confirm(io.stdin, io.stderr, question);
}

async function closeAll(run: PreparedRun, options: CloseOptions, io: CliIo, secrets: readonly string[]): Promise<number> {
  const instanceIds = run.planned.map((request) => request.instanceId);
  const stderrStyle = styleFor(io.stderr, io.env);
  io.stderr.write(
    `closing all sessions of ${instanceIds.length} instance(s) in project ${run.setup.projectId} at ${run.endpoint}, ` +
      `${Math.min(options.concurrency, instanceIds.length)} at a time, with the ${describe(run.credentials)}\n`,
  );
  const progress = createProgress(io.stderr, stderrStyle, instanceIds.length);
  const results = await closeInstances({
    clientOptions: run.setup.options,
    instanceIds,
    concurrency: options.concurrency,
    secrets,
    listener: progress,
    signal: io.signal,
  });
  progress.done();

  const { outcome, exitCode } = outcomeOf(results);
  if (options.json) writeJson(io, buildReport({ ...run.where, outcome, exitCode, results }));
  else io.stdout.write(formatSummaryTable(results, styleFor(io.stdout, io.env)));
  io.stderr.write(formatFailureDetails(results, stderrStyle));
  if (outcome === "interrupted") io.stderr.write("interrupted: instances marked aborted may or may not have been cleared\n");
  return exitCode;
}

function describe(credentials: ChosenCredentials): string {
  return `${credentials.kind} from ${credentials.source}`;
}

function errorOf(error: UsageError): { message: string; details: string[] } {
  return { message: error.message, details: [...error.details] };
}

function printUsageError(error: UsageError, io: CliIo): void {
  const details = error.details.map((line) => `  ${line}\n`).join("");
  io.stderr.write(`geminidb-sessions: ${error.message}\n${details}Run 'geminidb-sessions --help' for usage.\n`);
}

function writeJson(io: CliIo, report: CloseReport): void {
  io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
