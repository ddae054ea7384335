export * from "./adapters.js";
export * from "./backend.js";
export type { Outcome } from "./outcome.js";
export * from "./run-across.js";
export * from "./run-scenario.js";
export type * from "./scenario.js";
export { scenarioGroups } from "./scenarios/index.js";
export * from "./world.js";
