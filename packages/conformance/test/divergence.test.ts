import { FetchError } from "@geminidb-sessions/typescript-fetch";
import { describe, expect, it } from "vitest";
import {
  clientFlavor,
  type FlavorAdapter,
  type Outcome,
  outcomeDifferences,
  runAcross,
  type Scenario,
  scenarioGroups,
  typescriptFetchFlavor,
} from "../src/index.js";

function scenarioNamed(name: string): Scenario {
  const scenario = Object.values(scenarioGroups)
    .flat()
    .find((s) => s.name === name);
  if (scenario === undefined) throw new Error(`no scenario named ${name}`);
  return scenario;
}

/** The typescript-fetch adapter with retries silently turned off: a flavor that has drifted. */
const retriesDisabled: FlavorAdapter = {
  name: "typescript-fetch without retries",
  create: (options) => typescriptFetchFlavor.create({ ...options, maxRetries: 0 }),
};

/** The typescript-fetch flavor leaking the generator's own error wrappers. */
const wrappersLeaked: FlavorAdapter = {
  name: "typescript-fetch leaking FetchError",
  create(options) {
    const caller = typescriptFetchFlavor.create(options);
    return {
      ...caller,
      async call(operationId, input) {
        try {
          return await caller.call(operationId, input);
        } catch (error) {
          throw new FetchError(error as Error, "The request failed");
        }
      },
    };
  },
};

/** A flavor whose page iterator stops after the first page. */
const firstPageOnly: FlavorAdapter = {
  name: "typescript-fetch stopping after one page",
  create(options) {
    const caller = typescriptFetchFlavor.create(options);
    return {
      ...caller,
      async *pages(operationId, input) {
        for await (const page of caller.pages(operationId, input)) {
          yield page;
          return;
        }
      },
    };
  },
};

/** A flavor that forgets the per-call project when it signs (X-Project-Id stays the configured one). */
const perCallProjectIgnored: FlavorAdapter = {
  name: "typescript-fetch ignoring the per-call project",
  create: (options) => {
    const caller = typescriptFetchFlavor.create(options);
    return { ...caller, call: (operationId, input) => caller.call(operationId, { ...input, projectId: options.projectId }) };
  },
};

describe("the suite catches a divergent flavor", () => {
  it("retries silently disabled: 502 then 200 fails the comparison on result and request count", async () => {
    const report = await runAcross(scenarioNamed("502 then 200: retried once with backoff, then succeeds"), [
      clientFlavor,
      retriesDisabled,
    ]);
    expect(report.differences).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^result: client="resolved" typescript-fetch without retries="rejected"$/),
        expect.stringMatching(/^requests: client=2 typescript-fetch without retries=1$/),
      ]),
    );
  });

  it("the generator's error wrapper leaking out fails the comparison on the error class", async () => {
    const report = await runAcross(scenarioNamed("an instance that does not exist: 404 DBS.200002"), [clientFlavor, wrappersLeaked]);
    expect(report.differences).toContain('errorClass: client="NotFoundError" typescript-fetch leaking FetchError="FetchError"');
  });

  it("a page iterator that stops early fails the comparison on the pages", async () => {
    const report = await runAcross(scenarioNamed("pages.listNodeSessions walks 5 sessions 2 at a time: 2, 2, 1"), [
      clientFlavor,
      firstPageOnly,
    ]);
    expect(report.differences).toContain("pages: client=[2,2,1] typescript-fetch stopping after one page=[2]");
  });

  it("a per-call project left out of the call fails the comparison", async () => {
    const report = await runAcross(scenarioNamed("AK/SK: a per-call projectId is the one signed in X-Project-Id"), [
      clientFlavor,
      perCallProjectIgnored,
    ]);
    expect(report.differences.length).toBeGreaterThan(0);
    expect(report.differences.some((line) => line.startsWith("result: "))).toBe(true);
  });
});

describe("outcomeDifferences", () => {
  const base: Outcome = { phase: "call", result: "resolved", requestIdPresent: true, requests: 1, waits: [], notes: {} };

  it("is empty for equal outcomes, however their keys are ordered", () => {
    const reordered: Outcome = { notes: {}, waits: [], requests: 1, requestIdPresent: true, result: "resolved", phase: "call" };
    expect(
      outcomeDifferences([
        { flavor: "a", outcome: base },
        { flavor: "b", outcome: reordered },
      ]),
    ).toEqual([]);
  });

  it("names every differing field, including one only a flavor has and nested values", () => {
    const other: Outcome = { ...base, waits: [250], notes: { tokenCalls: 2 }, code: "X" };
    expect(
      outcomeDifferences([
        { flavor: "a", outcome: base },
        { flavor: "b", outcome: other },
      ]),
    ).toEqual(["waits: a=[] b=[250]", 'notes: a={} b={"tokenCalls":2}', 'code: a=undefined b="X"']);
  });

  it("compares every flavor with the first", () => {
    const differences = outcomeDifferences([
      { flavor: "a", outcome: base },
      { flavor: "b", outcome: base },
      { flavor: "c", outcome: { ...base, requests: 3 } },
    ]);
    expect(differences).toEqual(["requests: a=1 c=3"]);
  });
});
