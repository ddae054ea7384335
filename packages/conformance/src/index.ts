export type { CallInput, CallResult, FlavorAdapter, SessionsCaller } from "./adapter.js";
export { clientFlavor, flavors, typescriptFetchFlavor } from "./adapters.js";
export { type Backend, startEmulatorBackend, startRecordingBackend } from "./backend.js";
export type { Outcome } from "./outcome.js";
export { type ConformanceReport, type FlavorOutcome, outcomeDifferences, runAcross } from "./run-across.js";
export { defaultInput, runScenario } from "./run-scenario.js";
export type { Scenario, ScenarioRun } from "./scenario.js";
export { scenarioGroups } from "./scenarios/index.js";
export { conformanceIds, conformanceWorld } from "./world.js";
