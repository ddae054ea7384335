// Types of provenance.js for the TypeScript that imports it (scripts/spec-claims.ts, tests).

/** One claim of the spec: a URL backing an object, the reason an object is modelled, or an object missing both. */
export interface ClaimRow {
  /** Where the marked object is (JSON pointer). */
  pointer: string;
  /** What the object is: operation, parameter, schema, error catalog entry, `x-...` value, ... */
  kind: string;
  status: "sourced" | "assumed" | "unmarked";
  /** The URL (sourced), the reason (assumed), or what is missing (unmarked). */
  detail: string;
}

export const SOURCE: "x-source";
export const ASSUMPTION: "x-assumption";
export function sourceProblem(value: unknown): string | undefined;
export function assumptionProblem(value: unknown): string | undefined;
export function pointerOf(path: readonly (string | number)[]): string;
export function claimKind(path: readonly (string | number)[]): string;
export function claimRows(root: Record<string, unknown>): ClaimRow[];
