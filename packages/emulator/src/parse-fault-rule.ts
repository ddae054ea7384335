import { type ErrorCode, errorCatalog } from "@geminidb-sessions/validation";
import type { FaultEffect, FaultRule } from "./fault-rule.js";
import type { InputReader } from "./input-reader.js";

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

function readStatus(reader: InputReader, value: unknown, path: string): number | undefined {
  return reader.integer(value, path, 400, 599);
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
      const effect: FaultEffect = { type, code: record.code };
      if (record.status !== undefined) {
        const status = readStatus(reader, record.status, `${path}.status`);
        const allowed: readonly number[] = errorCatalog[record.code].statuses;
        if (status !== undefined && !allowed.includes(status)) {
          reader.fail(`${path}.status`, `${record.code} is answered with ${allowed.join(" or ")} only`);
        } else if (status !== undefined) {
          effect.status = status;
        }
      }
      if (record.form !== undefined) {
        const form = reader.oneOf(record.form, `${path}.form`, ["flat", "nested"] as const);
        if (form) effect.form = form;
      }
      if (record.message !== undefined) {
        const message = reader.string(record.message, `${path}.message`);
        if (message !== undefined) effect.message = message;
      }
      if (record.retryAfter !== undefined) {
        const retryAfter = readRetryAfter(reader, record.retryAfter, `${path}.retryAfter`);
        if (retryAfter !== undefined) effect.retryAfter = retryAfter;
      }
      return effect;
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
      const status = readStatus(reader, record.status, `${path}.status`);
      return status === undefined ? undefined : { type, status };
    }
    default:
      return undefined;
  }
}

/** Reads one fault rule from untyped input (a config file or an admin API body). */
export function readFaultRule(reader: InputReader, input: unknown, path: string): FaultRule | undefined {
  const record = reader.object(input, path);
  if (!record) return undefined;
  reader.knownKeys(record, path, ["id", "instanceId", "nth", "first", "effect"]);
  const rule: Partial<FaultRule> = {};
  if (record.id !== undefined) {
    const id = reader.string(record.id, `${path}.id`, {
      test: (v) => /^[\w.-]{1,64}$/.test(v),
      describe: "letters, digits, _ . - (at most 64)",
    });
    if (id !== undefined) rule.id = id;
  }
  if (record.instanceId !== undefined) {
    const instanceId = reader.string(record.instanceId, `${path}.instanceId`);
    if (instanceId !== undefined) rule.instanceId = instanceId;
  }
  if (record.nth !== undefined && record.first !== undefined) reader.fail(path, "give nth or first, not both");
  if (record.nth !== undefined) {
    const nth = reader.integer(record.nth, `${path}.nth`, 1, Number.MAX_SAFE_INTEGER);
    if (nth !== undefined) rule.nth = nth;
  }
  if (record.first !== undefined) {
    const first = reader.integer(record.first, `${path}.first`, 1, Number.MAX_SAFE_INTEGER);
    if (first !== undefined) rule.first = first;
  }
  const effect = readEffect(reader, record.effect, `${path}.effect`);
  if (!effect) return undefined;
  return { ...rule, effect };
}
