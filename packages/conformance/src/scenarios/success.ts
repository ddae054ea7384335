import type { Scenario } from "../scenario.js";

/** The call succeeds: every session of the instance is closed, and the request ID comes back. */
export const successScenarios: Scenario[] = [
  {
    name: "closes every session of the instance and returns the request ID",
    expected: { phase: "call", result: "resolved", requestIdPresent: true, requests: 1, waits: [], sessionsLeft: 0 },
  },
  {
    name: "succeeds when the answer takes a while, within the timeout",
    faults: [{ effect: { type: "latency", ms: 20 } }],
    expected: { result: "resolved", requests: 1, sessionsLeft: 0 },
  },
];
