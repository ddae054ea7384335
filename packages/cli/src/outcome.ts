import { type ExitCode, exitCodes } from "./exit-codes.js";
import type { InstanceResult } from "./instance-result.js";

/** The run's outcome, named in `--json` next to its exit code. */
export type Outcome = "success" | "partial" | "auth" | "not-found" | "retryable" | "failure" | "interrupted";

const exitCodeOf: Record<Outcome, ExitCode> = {
  success: exitCodes.success,
  partial: exitCodes.partial,
  auth: exitCodes.auth,
  "not-found": exitCodes.notFound,
  retryable: exitCodes.retryable,
  failure: exitCodes.failure,
  interrupted: exitCodes.interrupted,
};

/**
 * The outcome of a run from its per-instance results:
 * - interrupted when any instance was aborted;
 * - success when every instance was closed;
 * - partial when some were closed and some failed;
 * - when none was closed: auth, not-found or retryable if every failure is of that
 *   kind, failure otherwise (other errors, or a mix of kinds).
 */
export function outcomeOf(results: readonly InstanceResult[]): { outcome: Outcome; exitCode: ExitCode } {
  const pick = (outcome: Outcome) => ({ outcome, exitCode: exitCodeOf[outcome] });
  if (results.some((result) => result.status === "aborted")) return pick("interrupted");
  const failed = results.filter((result) => result.status === "failed");
  if (failed.length === 0) return pick("success");
  if (failed.length < results.length) return pick("partial");
  const kinds = new Set(failed.map((result) => result.kind));
  const [only] = kinds;
  if (kinds.size === 1 && only !== undefined && only !== "other") return pick(only);
  return pick("failure");
}
