import type { Scenario } from "../scenario.js";
import { authScenarios } from "./auth.js";
import { bodyScenarios } from "./bodies.js";
import { catalogFaultScenarios } from "./catalog-faults.js";
import { inputScenarios } from "./input.js";
import { resilienceScenarios } from "./resilience.js";
import { serviceErrorScenarios } from "./service-errors.js";
import { sessionsFamilyScenarios } from "./sessions-family.js";
import { successScenarios } from "./success.js";

/** Every scenario of the suite, by group. */
export const scenarioGroups: Record<string, Scenario[]> = {
  success: successScenarios,
  "service errors": serviceErrorScenarios,
  "catalog codes injected at the gateway": catalogFaultScenarios,
  "bodies that are not the spec's JSON": bodyScenarios,
  "retries, timeouts and aborts": resilienceScenarios,
  authentication: authScenarios,
  "input refused before any I/O": inputScenarios,
  "the sessions family, from the operations table": sessionsFamilyScenarios,
};
