import { type ErrorCode, errorCatalog } from "@geminidb-sessions/validation";
import { defined, EmulatorConfigError, InputReader, shortIdRule } from "./input-reader.js";

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

/** The longest latency a fault may add, so no request waits unboundedly. */
export const maxFaultLatencyMs = 60_000;

const effectTypes = ["latency", "error", "throttle", "reset", "malformed-json", "html"] as const;
const headerSafe = /^[\x20-\x7E]{1,256}$/;

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(errorCatalog, value);
}

function readRetryAfter(reader: InputReader, value: unknown, path: string): string | undefined {
  if (typeof value === "number") {
    return reader.integer(value, path, 0, 999_999_999) === undefined ? undefined : String(value);
  }
  return reader.string(value, path, { test: (v) => headerSafe.test(v), describe: "printable ASCII, at most 256 characters" });
}

function readEffect(reader: InputReader, input: unknown, path: string): FaultEffect | undefined {
  const record = reader.object(input, path);
  if (!record) return undefined;
  const type = reader.oneOf(record.type, `${path}.type`, effectTypes);
  switch (type) {
    case "latency": {
      reader.knownKeys(record, path, ["type", "ms"]);
      const ms = reader.integer(record.ms, `${path}.ms`, 0, maxFaultLatencyMs);
      return ms === undefined ? undefined : { type, ms };
    }
    case "error": {
      reader.knownKeys(record, path, ["type", "code", "status", "form", "message", "retryAfter"]);
      if (!isErrorCode(record.code)) {
        reader.fail(`${path}.code`, "must be an error code of the spec's x-error-catalog");
        return undefined;
      }
      const code = record.code;
      const allowed: readonly number[] = errorCatalog[code].statuses;
      const status = reader.optional(record, "status", path, (v, p) => {
        const value = reader.integer(v, p, 400, 599);
        if (value === undefined || allowed.includes(value)) return value;
        reader.fail(p, `${code} is answered with ${allowed.join(" or ")} only`);
        return undefined;
      });
      return defined<FaultEffect>({
        type,
        code,
        status,
        form: reader.optional(record, "form", path, (v, p) => reader.oneOf(v, p, ["flat", "nested"] as const)),
        message: reader.optional(record, "message", path),
        retryAfter: reader.optional(record, "retryAfter", path, (v, p) => readRetryAfter(reader, v, p)),
      });
    }
    case "throttle": {
      reader.knownKeys(record, path, ["type", "retryAfter"]);
      if (record.retryAfter === undefined) return { type };
      const retryAfter = readRetryAfter(reader, record.retryAfter, `${path}.retryAfter`);
      return retryAfter === undefined ? undefined : { type, retryAfter };
    }
    case "reset":
      reader.knownKeys(record, path, ["type"]);
      return { type };
    case "malformed-json":
    case "html": {
      reader.knownKeys(record, path, ["type", "status"]);
      if (record.status === undefined) return { type };
      const status = reader.integer(record.status, `${path}.status`, 400, 599);
      return status === undefined ? undefined : { type, status };
    }
    default:
      return undefined;
  }
}

/** Reads one fault rule from untyped input (a config file or an admin API body). */
export function readFaultRule(reader: InputReader, input: unknown, path: string): FaultRule | undefined {
  const record = reader.record(input, path, ["id", "instanceId", "nth", "first", "effect"]);
  if (!record) return undefined;
  const id = reader.optional(record, "id", path, (v, p) => reader.string(v, p, shortIdRule));
  const instanceId = reader.optional(record, "instanceId", path);
  if (record.nth !== undefined && record.first !== undefined) reader.fail(path, "give nth or first, not both");
  const count = (v: unknown, p: string) => reader.integer(v, p, 1, Number.MAX_SAFE_INTEGER);
  const nth = reader.optional(record, "nth", path, count);
  const first = reader.optional(record, "first", path, count);
  const effect = readEffect(reader, record.effect, `${path}.effect`);
  return effect ? defined<FaultRule>({ id, instanceId, nth, first, effect }) : undefined;
}

/** Reads fault rules (the item at `index` is at `path(index)`); throws {@link EmulatorConfigError} listing every problem. */
export function checkFaultRules(items: readonly unknown[], path: (index: number) => string): FaultRule[] {
  const reader = new InputReader();
  const rules = items.flatMap((item, index) => readFaultRule(reader, item, path(index)) ?? []);
  reader.throwIfIssues("Invalid fault rule");
  return rules;
}

/** What the fault rules decided for one request. */
export interface FaultDecision {
  /** Total latency to add before answering (capped). */
  latencyMs: number;
  /** The first firing rule's non-latency effect, which replaces the normal answer. */
  effect: Exclude<FaultEffect, { type: "latency" }> | undefined;
}

/** The most rules held at once, so the admin API cannot grow memory without bound. */
export const maxFaultRules = 1_000;

/** Adds, removes and lists fault rules; see {@link FaultRule} for how a rule fires. */
export interface FaultController {
  /** Adds a rule (checked like a config file's) and returns its ID. */
  add(rule: FaultRule): string;
  /** Removes one rule; false when there was none with that ID. */
  remove(id: string): boolean;
  /** Removes every rule. */
  clear(): void;
  /** Every rule with its counters, in the order they were added. */
  list(): ActiveFaultRule[];
}

/** Holds the rules and decides, request by request and deterministically, which fire. */
export class FaultInjector implements FaultController {
  readonly #rules: ActiveFaultRule[] = [];
  #nextId = 1;

  add(rule: FaultRule): string {
    const [checked] = checkFaultRules([rule], () => "fault");
    if (!checked) throw new EmulatorConfigError("Invalid fault rule");
    if (this.#rules.length >= maxFaultRules) throw new EmulatorConfigError(`At most ${maxFaultRules} fault rules can be active`);
    const id = checked.id ?? `fault-${this.#nextId++}`;
    if (this.#rules.some((existing) => existing.id === id)) throw new EmulatorConfigError(`A fault rule with id ${id} exists already`);
    this.#rules.push({ ...checked, id, seen: 0, fired: 0 });
    return id;
  }

  remove(id: string): boolean {
    const index = this.#rules.findIndex((rule) => rule.id === id);
    if (index === -1) return false;
    this.#rules.splice(index, 1);
    return true;
  }

  clear(): void {
    this.#rules.length = 0;
  }

  list(): ActiveFaultRule[] {
    return this.#rules.map((rule) => ({ ...rule, effect: { ...rule.effect } }));
  }

  /** Counts the request against every rule in scope and returns what fires. */
  decide(instanceSegment: string): FaultDecision {
    let latencyMs = 0;
    let effect: FaultDecision["effect"];
    for (const rule of this.#rules) {
      if (rule.instanceId !== undefined && rule.instanceId !== instanceSegment) continue;
      rule.seen += 1;
      const fires = rule.nth !== undefined ? rule.seen === rule.nth : rule.first !== undefined ? rule.seen <= rule.first : true;
      if (!fires) continue;
      if (rule.effect.type === "latency") {
        rule.fired += 1;
        latencyMs += rule.effect.ms;
      } else if (effect === undefined) {
        rule.fired += 1;
        effect = rule.effect;
      }
    }
    return { latencyMs: Math.min(latencyMs, maxFaultLatencyMs), effect };
  }
}
