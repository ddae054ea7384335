import { AbortError, ApiError, ConnectionError, type ErrorCode, TimeoutError, type ValidationError } from "@geminidb-sessions/client";
import type { Style } from "./terminal.js";
import { clean, maskSecrets } from "./text.js";

/**
 * The exit codes of `geminidb-sessions`, the same for every command, so a script can
 * branch on `$?` without parsing output.
 *
 * @example
 * geminidb-sessions close-instance-sessions --yes ... ; [ $? -eq 6 ] && echo "try again later"
 */
export const exitCodes = {
  /** Every call succeeded (or the dry run printed its requests). */
  success: 0,
  /** Every call failed, for reasons that differ or are none of the ones below; or the confirmation was declined. */
  failure: 1,
  /** The command line, input or environment is wrong; nothing was sent. */
  usage: 2,
  /** Every call failed because the credentials were refused or lack permission. */
  auth: 3,
  /** Every call failed because the instance or node does not exist. */
  notFound: 4,
  /** At least one call succeeded and at least one failed. */
  partial: 5,
  /** Every call failed with a retryable error, even after the retries: running again later may succeed. */
  retryable: 6,
  /** Interrupted (Ctrl-C / SIGINT): requests in flight were abandoned. */
  interrupted: 130,
} as const;

/** One of {@link exitCodes}' values. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** The run's outcome, named in `--json` next to its exit code. */
export type Outcome = "success" | "partial" | "auth" | "not-found" | "retryable" | "failure" | "interrupted";

/**
 * A problem with the command line, the input or the environment, found before anything
 * is sent. The CLI prints its message and exits with code 2.
 */
export class UsageError extends Error {
  override name = "UsageError";
  /** Further lines printed under the message (for example every malformed ID, or the valid values). */
  readonly details: readonly string[];

  constructor(message: string, details: readonly string[] = []) {
    super(message);
    this.details = details;
  }
}

/** A client `ValidationError` restated as a usage error naming `source`, the flag or variable the user set, when known. */
export function restated(error: ValidationError, source: string | undefined, suffix = ""): UsageError {
  if (source === undefined) return new UsageError(error.message);
  const rest = error.message.startsWith(`${error.field}:`) ? error.message.slice(error.field.length + 1).trim() : error.message;
  return new UsageError(`${source}: ${rest}${suffix}`);
}

/** Why a call failed, as far as the exit code is concerned. */
export type FailureKind = "auth" | "not-found" | "retryable" | "other";

/**
 * What happened to one target (an instance or a node) of a command. Fields without a
 * value are left out (also from `--json`). Server-supplied values are kept exactly as
 * received here; they are cleaned only where a person sees them.
 */
export interface TargetResult {
  /** The instance the call was about (close-instance-sessions, list-instance-sessions). */
  instanceId?: string;
  /** The node the call was about (the node commands). */
  nodeId?: string;
  /**
   * `closed` / `ok`: the service accepted the close / answered the read; `failed`: it did
   * not; `aborted`: interrupted before an answer; `dry-run`: nothing was sent.
   */
  status: "closed" | "ok" | "failed" | "aborted" | "dry-run";
  /** With `--dry-run`: the request that would be sent, secrets masked; header names lower case, sorted, `host` (signed) included. */
  request?: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  /** The HTTP status of the last answer, when there was one. */
  httpStatus?: number;
  /** The service's error code (`DBS.200002`, `APIGW.0301`, …), or the CLI's own for errors without an answer (`CONNECTION`, `TIMEOUT`). */
  code?: string;
  /** `X-Request-Id` of the answer (the first page's, for a listing of several pages): quote it to support. */
  requestId?: string;
  /** The error message. */
  message?: string;
  /** What the error means (the spec's catalog for service codes). */
  meaning?: string;
  /** What to do about it (the spec's catalog for service codes). */
  remedy?: string;
  /** Whether running again later may succeed. */
  retryable?: boolean;
  /** The class of failure that picks the exit code. */
  kind?: FailureKind;
}

/** Codes that mean the credential was refused or may not do this; typed so each must stay in the spec's catalog. */
const authCodes: readonly ErrorCode[] = ["APIGW.0301", "APIGW.0302", "APIGW.0303", "DBS.200010"];
/** Codes for "no such instance" and "no such node". */
const notFoundCodes: readonly ErrorCode[] = ["DBS.200002", "DBS.200013"];

function kindOf(error: ApiError): FailureKind {
  if (error.status === 401 || authCodes.includes(error.code as ErrorCode)) return "auth";
  if (error.status === 404 || notFoundCodes.includes(error.code as ErrorCode)) return "not-found";
  return error.retryable ? "retryable" : "other";
}

/** Drops the fields whose value is undefined, so `exactOptionalPropertyTypes` and `--json` both see them absent. */
export function compact<T extends object>(value: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** The target's name for messages: its instance or node ID. */
export function targetOf(result: Pick<TargetResult, "instanceId" | "nodeId">): string {
  return result.instanceId ?? result.nodeId ?? "-";
}

/**
 * The result of a call that threw: the typed error's code, request ID and the catalog's
 * meaning and remedy, secrets masked. `target` is `{ instanceId }` or `{ nodeId }`.
 */
export function failedResult(target: { instanceId?: string; nodeId?: string }, error: unknown, secrets: readonly string[]): TargetResult {
  const message = maskSecrets(error instanceof Error ? error.message : String(error), secrets);
  // No answer came: running again later may help.
  const unanswered = (code: string, meaning: string, remedy: string) =>
    compact<TargetResult>({ ...target, status: "failed", code, message, meaning, remedy, retryable: true, kind: "retryable" });
  if (error instanceof ApiError) {
    return compact<TargetResult>({
      ...target,
      status: "failed",
      httpStatus: error.status,
      code: error.code ?? `HTTP_${error.status}`,
      requestId: error.requestId,
      message,
      meaning: error.meaning,
      remedy: error.remedy,
      retryable: error.retryable,
      kind: kindOf(error),
    });
  }
  if (error instanceof AbortError) return { ...target, status: "aborted", message: "interrupted before the service answered" };
  if (error instanceof TimeoutError) {
    const remedy =
      "Check the endpoint and the network; raise --timeout-ms or --max-retries. The call is idempotent, so running it again is safe.";
    return unanswered("TIMEOUT", `No answer within ${error.timeoutMs} ms, on each of ${error.attempts} attempts.`, remedy);
  }
  if (error instanceof ConnectionError) {
    const remedy = "Check --endpoint or --region, DNS, proxies (HTTPS_PROXY, NO_PROXY) and firewalls; then run again.";
    return unanswered("CONNECTION", `The endpoint could not be reached (${error.attempts} attempts).`, remedy);
  }
  const code = error instanceof Error && error.name !== "Error" ? error.name : "INTERNAL";
  return compact<TargetResult>({ ...target, status: "failed", code, message, retryable: false, kind: "other" });
}

/**
 * The outcome of a run from its per-target results:
 * - interrupted when any target was aborted;
 * - success when none failed;
 * - partial when some succeeded and some failed;
 * - when all failed: auth, not-found or retryable if every failure is of that kind,
 *   failure otherwise (other errors, or a mix of kinds).
 */
export function outcomeOf(results: readonly TargetResult[]): { outcome: Outcome; exitCode: ExitCode } {
  const pick = (outcome: Outcome) => ({ outcome, exitCode: exitCodes[outcome === "not-found" ? "notFound" : outcome] });
  if (results.some((result) => result.status === "aborted")) return pick("interrupted");
  const failed = results.filter((result) => result.status === "failed");
  if (failed.length === 0) return pick("success");
  if (failed.length < results.length) return pick("partial");
  const kinds = new Set(failed.map((result) => result.kind));
  const [only] = kinds;
  if (kinds.size === 1 && only !== undefined && only !== "other") return pick(only);
  return pick("failure");
}

/**
 * What `--json` prints: one object per run, on stdout, for every command. `results` has
 * one entry per instance or node; the list commands add the service's answer to each
 * (`data`, exactly as received), the selective close the sessions it chose.
 *
 * @example
 * geminidb-sessions close-instance-sessions --json ... | jq -r '.results[] | select(.status == "failed") | .instanceId'
 */
export interface CliReport<R extends TargetResult = TargetResult> {
  /** The command's name, e.g. `close-instance-sessions`; null when none could be read. */
  command: string | null;
  /** `usage` and `declined` are runs that sent nothing. */
  outcome: Outcome | "usage" | "declined";
  exitCode: number;
  dryRun: boolean;
  /** The origin requests went (or would go) to, once known. */
  endpoint?: string;
  projectId?: string;
  /** How many targets ended in each status. */
  counts: { total: number; failed: number; aborted: number } & Partial<Record<"closed" | "ok", number>>;
  /** One entry per target, in the order given. */
  results: R[];
  /** Why nothing was sent, for `usage` and `declined`. */
  error?: { message: string; details: string[] };
}

/** A report with its fields in the documented order (readers scan `outcome` first, `results` last). */
export function buildReport<R extends TargetResult>(
  fields: Omit<CliReport<R>, "counts" | "endpoint" | "projectId"> & {
    endpoint?: string | undefined;
    projectId?: string | undefined;
    success?: "closed" | "ok";
  },
): CliReport<R> {
  const { success = "closed", results } = fields;
  const count = (status: TargetResult["status"]) => results.filter((result) => result.status === status).length;
  return compact<CliReport<R>>({
    command: fields.command,
    outcome: fields.outcome,
    exitCode: fields.exitCode,
    dryRun: fields.dryRun,
    endpoint: fields.endpoint,
    projectId: fields.projectId,
    // Counts per status, naming the command's success status (`closed` or `ok`).
    counts: { total: results.length, [success]: count(success), failed: count("failed"), aborted: count("aborted") },
    results,
    error: fields.error,
  });
}

/** The line printed on stderr when a target has a result; server values cleaned. */
export function resultLine(result: TargetResult, style: Style, verb: string): string {
  const target = clean(targetOf(result));
  const request = clean(result.requestId ?? "-");
  if (result.status === "closed" || result.status === "ok") return `${style.green(verb.padEnd(7))} ${target}  request ${request}`;
  if (result.status === "aborted") return `${style.yellow("aborted")} ${target}  ${result.message ?? ""}`;
  const http = result.httpStatus === undefined ? "" : ` (HTTP ${result.httpStatus})`;
  return `${style.red("failed ")} ${target}  ${clean(result.code ?? "error")}${http}  request ${request}`;
}

/**
 * What went wrong with each failed target: code, message, and the catalog's meaning and
 * remedy. No stack traces; every server-supplied string cleaned.
 */
export function formatFailureDetails(results: readonly TargetResult[], style: Style): string {
  return results
    .filter((result) => result.status === "failed")
    .map((result) => {
      const http = result.httpStatus === undefined ? "" : ` (HTTP ${result.httpStatus})`;
      const code = clean(result.code ?? "error");
      const message = clean(result.message ?? "");
      // The client's messages already start with the code and name the request; say each thing once.
      const headline = message.startsWith(code) ? message : `${code}${http}: ${message}`;
      const lines = [`${style.red("error")} ${clean(targetOf(result))}: ${headline}`];
      if (result.meaning !== undefined) lines.push(`  meaning: ${clean(result.meaning)}`);
      if (result.remedy !== undefined) lines.push(`  remedy:  ${clean(result.remedy)}`);
      const requestId = result.requestId === undefined ? undefined : clean(result.requestId);
      if (requestId !== undefined && !message.includes(requestId)) lines.push(`  request: ${requestId}`);
      return `${lines.join("\n")}\n`;
    })
    .join("");
}
