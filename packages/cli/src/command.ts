import { ValidationError } from "@geminidb-sessions/client";
import { closeOptions, commonOptions, flagValue, type OptionDef, type ParsedArgs } from "./command-line.js";
import {
  buildReport,
  type CliReport,
  exitCodes,
  failedResult,
  formatFailureDetails,
  outcomeOf,
  restated,
  type TargetResult,
  UsageError,
} from "./results.js";
import { type CallSetup, tokenEnvVar, vendorEnvVars } from "./setup.js";
import { type CliIo, canAsk, confirm, styleFor } from "./terminal.js";

/** What a command gets: its parsed arguments, the process's streams, and the secrets to mask (filled as they are chosen). */
export interface CommandContext {
  args: ParsedArgs;
  io: CliIo;
  secrets: string[];
}

/** One command of `geminidb-sessions`: each lives in its own file under `commands/`. */
export interface Command {
  /** The kebab-case name; for an operation's own command, its operationId in kebab case. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage lines after `geminidb-sessions <name> `. */
  usage: readonly string[];
  description: string;
  /** The command's own options (the common ones, and the close ones when `closes`, are added). */
  options: readonly OptionDef[];
  /** Whether it closes sessions: adds `--dry-run` and `--yes`, and confirmation. */
  closes: boolean;
  examples: string;
  run(context: CommandContext): Promise<number>;
}

/** A kebab-case command name from an operationId (`listNodeSessions` → `list-node-sessions`). */
export const kebab = (operationId: string): string => operationId.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** Every option a command accepts, in help order. */
export function optionsOf(command: Command): OptionDef[] {
  return [...command.options, ...(command.closes ? closeOptions : []), ...commonOptions];
}

/** The environment and exit-code sections every command's help ends with. */
export const helpFooter: string = `Environment:
  ${tokenEnvVar}                      an IAM token (X-Auth-Token); used before AK/SK
  ${vendorEnvVars.accessKey}, ${vendorEnvVars.secretKey}  an access key pair: requests are signed (SDK-HMAC-SHA256)
  ${vendorEnvVars.securityToken}      the security token of a temporary access key pair
  ${vendorEnvVars.projectId}          the default for --project-id
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY   send requests through a proxy (either case), except to NO_PROXY hosts
  NO_COLOR                            set (non-empty): no colors

Output: results (tables, --json, --dry-run) on stdout; progress, warnings, --verbose lines,
the confirmation prompt and error details (the error catalog's meaning and remedy) on stderr.
Text from the service is stripped of control characters before it is shown; --json keeps it exact.

Exit codes:
  ${exitCodes.success}    every call succeeded (or the dry run printed its requests)
  ${exitCodes.failure}    every call failed, for another reason or a mix of reasons; or the
       confirmation was declined (nothing sent)
  ${exitCodes.usage}    usage error: bad option, missing or malformed ID, no credentials,
       no --yes without a terminal; nothing was sent
  ${exitCodes.auth}    every call failed with an auth error (401, APIGW.0301/0302/0303, DBS.200010)
  ${exitCodes.notFound}    every call failed because the instance or node does not exist (404, DBS.200002, DBS.200013)
  ${exitCodes.partial}    some calls succeeded, some failed
  ${exitCodes.retryable}    every call failed with a retryable error (busy, throttled, 5xx,
       timeout, unreachable), even after the retries: try again later
  ${exitCodes.interrupted}  interrupted (Ctrl-C)`;

// Characters JSON.stringify leaves raw that a terminal would act on (C1 controls, bidi overrides).
const rawInJson = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Prints the `--json` report on stdout. Values stay exact: the few characters
 * `JSON.stringify` leaves raw that a terminal would act on are written as `\uXXXX`
 * escapes, which parse back to the same string.
 */
export function writeJson(io: CliIo, report: CliReport): void {
  const text = JSON.stringify(report, null, 2).replace(rawInJson, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  io.stdout.write(`${text}\n`);
}

/** The flag behind each input field the client checks, for messages. */
const flagOfField: Record<string, string> = {
  instanceId: "--instance-id",
  nodeId: "--node-id",
  addrPrefix: "--addr-prefix",
  offset: "--offset",
  limit: "--limit",
  body: "--session-id",
  "body.session_ids": "--session-id",
};

/** A client input check's `ValidationError`, restated as a usage error naming the flag. */
export function usageFromValidation(error: ValidationError): UsageError {
  const field = error.field.replace(/\[\d+\]$|\.\d+$/, "");
  return restated(error, flagOfField[field] ?? flagOfField[field.split(".")[0] ?? ""], "; nothing was sent");
}

/** Runs `work`, turning the client's input-check failure into a usage error. */
export async function checkedInput<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ValidationError) throw usageFromValidation(error);
    throw error;
  }
}

/**
 * One call's result for `target`: what `work` resolves, or the failed result when it throws.
 * A usage error (input the client refused: nothing was sent) is thrown, unless `usageFails`.
 */
export async function attempt<R extends TargetResult>(
  target: { instanceId?: string; nodeId?: string },
  secrets: readonly string[],
  work: () => Promise<R>,
  usageFails = false,
): Promise<R | TargetResult> {
  try {
    return await checkedInput(work);
  } catch (error) {
    if (error instanceof UsageError && !usageFails) throw error;
    return failedResult(target, error, secrets);
  }
}

/**
 * Asks before a close: on a terminal unless `--yes`; without a terminal, refuses with a
 * usage error (pass --yes). Resolves the exit code to end with when not confirmed.
 */
export async function confirmClose(
  command: Command,
  context: CommandContext,
  setup: CallSetup,
  question: string,
): Promise<number | undefined> {
  const { args, io } = context;
  if (flagValue(args, "yes")) return undefined;
  if (!canAsk(io.stdin, io.stderr)) {
    throw new UsageError("refusing to close sessions without confirmation: stdin or stderr is not a terminal; pass --yes to confirm");
  }
  if (await confirm(io.stdin, io.stderr, `${question} Continue? [y/N] `)) return undefined;
  const error = { message: "not confirmed: nothing was sent", details: [] };
  io.stderr.write(`${error.message}\n`);
  if (flagValue(args, "json")) {
    const base = { command: command.name, dryRun: false, endpoint: setup.endpoint, projectId: setup.projectId };
    writeJson(io, buildReport({ ...base, outcome: "declined", exitCode: exitCodes.failure, results: [], error }));
  }
  return exitCodes.failure;
}

/**
 * Ends a run over `results`: the `--json` report on stdout, or else `text` (the results for
 * people, when there are any to print); then what went wrong with each failed target on
 * stderr. Returns the exit code.
 */
export function finish(command: Command, context: CommandContext, setup: CallSetup, results: TargetResult[], text?: () => string): number {
  const { args, io } = context;
  const { outcome, exitCode } = outcomeOf(results);
  if (flagValue(args, "json")) {
    const base = { command: command.name, dryRun: flagValue(args, "dry-run"), endpoint: setup.endpoint, projectId: setup.projectId };
    writeJson(io, buildReport({ ...base, outcome, exitCode, success: command.closes ? "closed" : "ok", results }));
  } else if (text) io.stdout.write(text());
  io.stderr.write(formatFailureDetails(results, styleFor(io.stderr, io.env)));
  return exitCode;
}
