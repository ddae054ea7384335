import { type ErrorCode, errorCatalog } from "@geminidb-sessions/validation";
import type { FaultEffect, FaultRule } from "./fault-rule.js";
import { defined, type InputReader } from "./input-reader.js";

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
      const code = record.code;
      const allowed: readonly number[] = errorCatalog[code].statuses;
      const status = reader.optional(record, "status", path, (v, p) => {
        const value = readStatus(reader, v, p);
        if (value === undefined || allowed.includes(value)) return value;
        reader.fail(p, `${code} is answered with ${allowed.join(" or ")} only`);
        return undefined;
      });
      return defined<FaultEffect>({
        type,
        code,
        status,
        form: reader.optional(record, "form", path, (v, p) => reader.oneOf(v, p, ["flat", "nested"] as const)),
        message: reader.optional(record, "message", path, (v, p) => reader.string(v, p)),
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
  const id = reader.optional(record, "id", path, (v, p) =>
    reader.string(v, p, { test: (t) => /^[\w.-]{1,64}$/.test(t), describe: "letters, digits, _ . - (at most 64)" }),
  );
  const instanceId = reader.optional(record, "instanceId", path, (v, p) => reader.string(v, p));
  if (record.nth !== undefined && record.first !== undefined) reader.fail(path, "give nth or first, not both");
  const count = (v: unknown, p: string) => reader.integer(v, p, 1, Number.MAX_SAFE_INTEGER);
  const nth = reader.optional(record, "nth", path, count);
  const first = reader.optional(record, "first", path, count);
  const effect = readEffect(reader, record.effect, `${path}.effect`);
  return effect ? defined<FaultRule>({ id, instanceId, nth, first, effect }) : undefined;
}
