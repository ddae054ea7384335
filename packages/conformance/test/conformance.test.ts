import { describe, expect, it } from "vitest";
import { flavors, runAcross, scenarioGroups } from "../src/index.js";

describe.each(Object.entries(scenarioGroups))("both flavors conform: %s", (_group, scenarios) => {
  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))("%s", async (_name, scenario) => {
    const report = await runAcross(scenario, flavors);
    expect(report.outcomes.map((o) => o.flavor)).toEqual(["client", "typescript-fetch"]);
    expect(report.differences, "the flavors behave differently").toEqual([]);
    for (const { flavor, outcome } of report.outcomes) expect(outcome, flavor).toMatchObject(scenario.expected);
  });
});
