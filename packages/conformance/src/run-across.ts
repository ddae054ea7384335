import type { FlavorAdapter } from "./adapter.js";
import { type FlavorOutcome, outcomeDifferences } from "./compare.js";
import { runScenario } from "./run-scenario.js";
import type { Scenario } from "./scenario.js";

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
