/** A world config, fault rule or option the emulator cannot use; `issues` says what and where. */
export class EmulatorConfigError extends Error {
  readonly code = "EMULATOR_CONFIG";
  constructor(
    message: string,
    /** One line per problem, each starting with the path of the offending value. */
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length > 0 ? `${message}:\n  - ${issues.join("\n  - ")}` : message);
    this.name = "EmulatorConfigError";
  }
}

/** `value` without its undefined fields, so an optional field that was not given stays absent. */
export function defined<T extends object>(value: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** How {@link InputReader.string} checks a string beyond being non-empty. */
export type StringRule = { test: (v: string) => boolean; describe: string };

/** A short ID (node IDs, fault rule IDs). */
export const shortIdRule: StringRule = { test: (v) => /^[\w.-]{1,64}$/.test(v), describe: "letters, digits, _ . - (at most 64)" };

/**
 * Reads untyped input (a parsed config file, an admin API body) field by field, collecting
 * one issue per bad value with its path, so a user sees every problem at once.
 */
export class InputReader {
  readonly issues: string[] = [];

  fail(path: string, problem: string): void {
    this.issues.push(`${path}: ${problem}`);
  }

  /** Throws {@link EmulatorConfigError} listing every issue, if there is one. */
  throwIfIssues(message: string): void {
    if (this.issues.length > 0) throw new EmulatorConfigError(message, this.issues);
  }

  object(value: unknown, path: string): Record<string, unknown> | undefined {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    this.fail(path, "must be an object");
    return undefined;
  }

  /** An object whose keys are all among `keys` (others, usually typos, are reported). */
  record(value: unknown, path: string, keys: readonly string[]): Record<string, unknown> | undefined {
    const record = this.object(value, path);
    if (record) this.knownKeys(record, path, keys);
    return record;
  }

  array(value: unknown, path: string): unknown[] | undefined {
    if (Array.isArray(value)) return value;
    this.fail(path, "must be a list");
    return undefined;
  }

  string(value: unknown, path: string, rule?: StringRule): string | undefined {
    if (typeof value !== "string" || value.length === 0) {
      this.fail(path, "must be a non-empty string");
      return undefined;
    }
    if (rule && !rule.test(value)) {
      this.fail(path, `must be ${rule.describe}`);
      return undefined;
    }
    return value;
  }

  /** `read(record[key], path.key)` (a non-empty string by default) when the field is given; undefined, and no issue, when it is not. */
  optional<T = string>(
    record: Record<string, unknown>,
    key: string,
    path: string,
    read: (value: unknown, path: string) => T | undefined = (v, p) => this.string(v, p) as T | undefined,
  ): T | undefined {
    return record[key] === undefined ? undefined : read(record[key], `${path}.${key}`);
  }

  integer(value: unknown, path: string, min: number, max: number): number | undefined {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.fail(path, `must be an integer from ${min} to ${max}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    this.fail(path, `must be one of ${allowed.join(", ")}`);
    return undefined;
  }

  /** Reports keys the reader does not know, which are usually typos. */
  knownKeys(record: Record<string, unknown>, path: string, keys: readonly string[]): void {
    for (const key of Object.keys(record)) {
      if (!keys.includes(key)) this.fail(`${path}.${key}`, `unknown field (known: ${keys.join(", ")})`);
    }
  }
}
