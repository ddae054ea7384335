import type { ErrorCode } from "@geminidb-sessions/validation";

/**
 * What a fault does to a request it fires on.
 *
 * - `latency`: waits `ms` milliseconds (at most 60 s), then answers normally; latencies of
 *   several firing rules add up.
 * - `error`: answers `code` from the catalog, at `status` (one of the code's catalog statuses;
 *   the first by default), in the `flat` (default) or `nested` body form, with `Retry-After`
 *   when `retryAfter` is given.
 * - `throttle`: answers 429 `APIGW.0308` with `Retry-After` (default `"1"`).
 * - `reset`: destroys the connection without answering.
 * - `malformed-json`: answers `status` (default 500) with `Content-Type: application/json`
 *   and a body that is not JSON.
 * - `html`: answers `status` (default 502) with an HTML page, as a proxy in front might.
 */
export type FaultEffect =
  | { type: "latency"; ms: number }
  | {
      type: "error";
      code: ErrorCode;
      status?: number;
      form?: "flat" | "nested";
      message?: string;
      retryAfter?: string | number;
    }
  | { type: "throttle"; retryAfter?: string | number }
  | { type: "reset" }
  | { type: "malformed-json"; status?: number }
  | { type: "html"; status?: number };

/**
 * A deterministic fault rule. A rule sees every request for the operation that passes its
 * scope (all of them, or those naming `instanceId`), counts it, and fires on:
 * the `nth` one only; or the `first` N ones; or every one when neither is given.
 * Faults apply at the gateway, before authentication.
 *
 * @example
 * ```ts
 * { first: 2, effect: { type: "throttle", retryAfter: 1 } } // the first two calls get 429
 * { nth: 3, effect: { type: "reset" } }                      // the third call's connection is reset
 * { instanceId: "c865f921f3dd45198f209a607533a779in12", effect: { type: "latency", ms: 200 } }
 * ```
 */
export interface FaultRule {
  /** Assigned by the emulator when absent; used to remove the rule. */
  id?: string;
  /** Only requests whose path names this instance (raw path segment). */
  instanceId?: string;
  /** Fire on the nth request the rule sees (1-based), and on no other. */
  nth?: number;
  /** Fire on the first N requests the rule sees. */
  first?: number;
  effect: FaultEffect;
}

/** A rule as the emulator holds it, with its counters. */
export interface ActiveFaultRule extends FaultRule {
  id: string;
  /** Requests the rule has seen (in scope). */
  seen: number;
  /** Requests it fired on. */
  fired: number;
}
