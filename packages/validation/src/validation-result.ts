/** One problem with a value, in words a person can act on. */
export interface ValidationIssue {
  /** Where the problem is: the value's name (e.g. `instance_id`), a dotted path inside an object (e.g. `error.code`), or `""` for a whole body. */
  path: string;
  /** The problem and what is expected, prefixed with `path`, e.g. `instance_id: '/' is not allowed in an instance ID (got "a/b")`. Never quotes a credential. */
  message: string;
  /** The JSON Schema keyword that failed (`type`, `required`, `pattern`, `minLength`, `maxLength`, `additionalProperties`, `anyOf`, ...), or `readable` when reading the value threw. */
  rule: string;
}

/** What every validator returns: the value, typed, or every problem found. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };
