/** The shapes shared by the generated validators (src/generated/validators.gen.js) and the code that explains their failures. */

/** One failed check, as Ajv's compiled code reports it (without messages: the package writes its own). */
export interface AjvError {
  /** JSON Pointer to the failing value inside the validated one, e.g. `/error/code`. */
  instancePath: string;
  /** Where the failing keyword is in the schema, e.g. `#/properties/instance_id/pattern`. */
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** A validator Ajv compiled ahead of time: true when `data` is valid; otherwise `errors` says why. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

/** What the generator worked out about one place in a schema, to explain failures there. */
export interface LocationHints {
  /** The schema's title as a noun phrase, e.g. `an instance ID`. */
  noun?: string;
  /** True when values here are credentials: messages never quote them, nor any character of them. */
  secret?: true;
  /** The schema's pattern in words, e.g. `32 lowercase hexadecimal characters`. */
  shape?: string;
  /** Every code point the pattern can match, as inclusive ranges flattened: `[from, to, from, to, ...]`. */
  allowed?: number[];
  /** The length, in characters, of every string the pattern matches. */
  fixedLength?: number;
  /** The schema's length limits, in characters (the compiled code may leave out checks the pattern already makes). */
  minLength?: number;
  maxLength?: number;
  /** The only property names an object here may have (`additionalProperties: false`). */
  properties?: string[];
}

/** Hints by schema location (an error's `schemaPath` without its last segment). */
export type SchemaHints = Readonly<Record<string, LocationHints>>;
