/**
 * What one call did, as far as a user of either flavor can observe it. Two flavors
 * conform on a scenario when their outcomes are equal, field for field. Request IDs are
 * random per request, so only their presence is compared.
 */
export interface Outcome {
  /** Where it settled: the factory threw (`create`) or the call settled (`call`). */
  phase: "create" | "call";
  result: "resolved" | "rejected";
  /** The thrown error's class, e.g. `NotFoundError`. */
  errorClass?: string;
  status?: number;
  code?: string;
  retryable?: boolean;
  /** `ValidationError#field`. */
  field?: string;
  /** `TimeoutError#attempts` / `ConnectionError#attempts`. */
  attempts?: number;
  retryAfterMs?: number;
  /** Whether the result or the error carried a request ID. */
  requestIdPresent: boolean;
  /** The success body's shape: its JSON with every array replaced by its length (session ages differ by the clock). */
  data?: string;
  /** Items on each page, for a paginated scenario. */
  pages?: number[];
  /** Requests the server saw. */
  requests: number;
  /** Every wait before a retry the client asked for, in ms, in order. */
  waits: number[];
  /** Sessions still open on the demo instance afterwards (emulator only). */
  sessionsLeft?: number;
  /** Counters a scenario keeps, e.g. how often a token provider was asked. */
  notes: Record<string, number>;
}

/** The part of an outcome the call itself decides; the runner adds what the server and the clock saw. */
export type CallOutcome = Pick<
  Outcome,
  | "phase"
  | "result"
  | "errorClass"
  | "status"
  | "code"
  | "retryable"
  | "field"
  | "attempts"
  | "retryAfterMs"
  | "requestIdPresent"
  | "data"
  | "pages"
>;

/** The typed fields core's errors carry, with the type each must have to be shown. */
const errorFields = {
  status: "number",
  code: "string",
  retryable: "boolean",
  field: "string",
  attempts: "number",
  retryAfterMs: "number",
} satisfies Partial<Record<keyof CallOutcome, "number" | "string" | "boolean">>;

/** What a rejection shows: its class and the typed fields core's errors carry (absent ones left out). */
export function rejectedOutcome(error: unknown, phase: Outcome["phase"]): CallOutcome {
  if (typeof error !== "object" || error === null) return { phase, result: "rejected", errorClass: typeof error, requestIdPresent: false };
  const fields = error as Record<string, unknown>;
  const outcome: CallOutcome = { phase, result: "rejected", errorClass: error.constructor.name, requestIdPresent: false };
  for (const [name, type] of Object.entries(errorFields)) {
    if (typeof fields[name] === type) Object.assign(outcome, { [name]: fields[name] });
  }
  outcome.requestIdPresent = typeof fields.requestId === "string";
  return outcome;
}

/** A body's shape: its JSON with keys sorted and arrays replaced by their lengths. */
export function dataShape(data: unknown): string {
  return JSON.stringify(data ?? null, (_key, value: unknown) => {
    if (Array.isArray(value)) return `[${value.length}]`;
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
  });
}

/** What a successful call shows. */
export function resolvedOutcome(result: { requestId: string | undefined; data: unknown }): CallOutcome {
  return { phase: "call", result: "resolved", requestIdPresent: typeof result.requestId === "string", data: dataShape(result.data) };
}
