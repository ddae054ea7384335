import { AbortError, ApiError, ConnectionError, type ErrorCode, TimeoutError } from "@geminidb-sessions/client";
import { maskSecrets } from "./redact.js";

/** Why an instance failed, as far as the exit code is concerned. */
export type FailureKind = "auth" | "not-found" | "retryable" | "other";

/** What happened to one instance. Fields without a value are left out (also from `--json`). */
export interface InstanceResult {
  instanceId: string;
  /**
   * `closed`: the service accepted the call; `failed`: it did not; `aborted`: interrupted
   * before an answer; `dry-run`: nothing was sent, `request` shows what would have been.
   */
  status: "closed" | "failed" | "aborted" | "dry-run";
  /** With `--dry-run`: the request that would be sent, secrets masked. */
  request?: { method: string; url: string; headers: Record<string, string> };
  /** The HTTP status of the last answer, when there was one. */
  httpStatus?: number;
  /** The service's error code (`DBS.200002`, `APIGW.0301`, …), or the CLI's own for errors without an answer (`CONNECTION`, `TIMEOUT`). */
  code?: string;
  /** `X-Request-Id` of the answer: quote it to support. */
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
/** The code for "no such instance". */
const notFoundCode: ErrorCode = "DBS.200002";

function kindOf(error: ApiError): FailureKind {
  if (error.status === 401 || authCodes.includes(error.code as ErrorCode)) return "auth";
  if (error.code === notFoundCode) return "not-found";
  return error.retryable ? "retryable" : "other";
}

/** Drops the fields whose value is undefined, so `exactOptionalPropertyTypes` and `--json` both see them absent. */
function compact(result: { [K in keyof InstanceResult]: InstanceResult[K] | undefined }): InstanceResult {
  return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined)) as unknown as InstanceResult;
}

/** The result of a call that resolved. */
export function closedResult(instanceId: string, requestId: string | undefined): InstanceResult {
  return compact({ instanceId, status: "closed", httpStatus: 200, requestId });
}

/** The result of a call that threw: the typed error's code, request ID and the catalog's meaning and remedy. */
export function failedResult(instanceId: string, error: unknown, secrets: readonly string[]): InstanceResult {
  const message = maskSecrets(error instanceof Error ? error.message : String(error), secrets);
  if (error instanceof ApiError) {
    return compact({
      instanceId,
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
  if (error instanceof AbortError) return { instanceId, status: "aborted", message: "interrupted before the service answered" };
  if (error instanceof TimeoutError) {
    return compact({
      instanceId,
      status: "failed",
      code: "TIMEOUT",
      message,
      meaning: `No answer within ${error.timeoutMs} ms, on each of ${error.attempts} attempts.`,
      remedy:
        "Check the endpoint and the network; raise --timeout-ms or --max-retries. The call is idempotent, so running it again is safe.",
      retryable: true,
      kind: "retryable",
    });
  }
  if (error instanceof ConnectionError) {
    return compact({
      instanceId,
      status: "failed",
      code: "CONNECTION",
      message,
      meaning: `The endpoint could not be reached (${error.attempts} attempts).`,
      remedy: "Check --endpoint or --region, DNS, proxies and firewalls; then run again.",
      retryable: true,
      kind: "retryable",
    });
  }
  return compact({ instanceId, status: "failed", code: "INTERNAL", message, retryable: false, kind: "other" });
}
