import { isDeepStrictEqual } from "node:util";
import type { FlavorAdapter } from "./adapters.js";
import type { Outcome } from "./outcome.js";
import { runScenario } from "./run-scenario.js";
import type { Scenario } from "./scenario.js";

/** One flavor's outcome on a scenario. */
export interface FlavorOutcome {
  flavor: string;
  outcome: Outcome;
}

/**
 * Every field on which a flavor's outcome differs from the first (the reference), as
 * `field: reference=<value> other=<value>` lines; empty when all conform.
 */
export function outcomeDifferences(outcomes: readonly FlavorOutcome[]): string[] {
  const [reference, ...others] = outcomes;
  if (reference === undefined) return [];
  const lines: string[] = [];
  for (const other of others) {
    const fields = new Set([...Object.keys(reference.outcome), ...Object.keys(other.outcome)]) as Set<keyof Outcome>;
    for (const field of fields) {
      const expected = reference.outcome[field];
      const actual = other.outcome[field];
      if (!isDeepStrictEqual(expected, actual)) {
        lines.push(`${field}: ${reference.flavor}=${JSON.stringify(expected)} ${other.flavor}=${JSON.stringify(actual)}`);
      }
    }
  }
  return lines;
}

/** A scenario's outcomes on every flavor and how they differ. */
export interface ConformanceReport {
  scenario: string;
  outcomes: FlavorOutcome[];
  /** Empty when every flavor behaved like the first. */
  differences: string[];
}

/** Runs `scenario` on each flavor in turn (each on its own fresh backend) and compares the outcomes. */
export async function runAcross(scenario: Scenario, adapters: readonly FlavorAdapter[]): Promise<ConformanceReport> {
  const outcomes: FlavorOutcome[] = [];
  for (const adapter of adapters) outcomes.push({ flavor: adapter.name, outcome: await runScenario(scenario, adapter) });
  return { scenario: scenario.name, outcomes, differences: outcomeDifferences(outcomes) };
}
