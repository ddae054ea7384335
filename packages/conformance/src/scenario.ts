import type { CoreOptions } from "@geminidb-sessions/core";
import type { FaultRule } from "@geminidb-sessions/emulator";
import type { Responder } from "@geminidb-sessions/test-utils";
import type { OperationId } from "@geminidb-sessions/validation";
import type { CallInput } from "./adapters.js";
import type { Outcome } from "./outcome.js";

/** State of one run of a scenario, shared with the scenario's callbacks. */
export interface ScenarioRun {
  /** Counters the scenario keeps (e.g. token provider calls); they are part of the outcome. */
  readonly notes: Record<string, number>;
  /** Adds one to a counter and returns its new value. */
  count(note: string): number;
}

/**
 * One behavior, written once and run against every flavor. By default it runs against the
 * emulator (conformance world) with `faults`; with `responder` it runs against a plain
 * recording server instead. The runner supplies `endpoint`, the demo `projectId` and token,
 * an instant recorded `sleep` and a fixed jitter; `options` overrides any of them.
 */
export interface Scenario {
  name: string;
  faults?: FaultRule[];
  responder?: Responder;
  options?: (run: ScenarioRun) => Partial<CoreOptions>;
  /** The operation called; `closeInstanceSessions` by default. */
  operationId?: OperationId;
  /** Iterate every page (`pages[operationId]`) instead of making one call; the operation must be paginated. */
  paginate?: boolean;
  /** The call's input; the operation's {@link defaultInput} (demo IDs, the spec's example body) by default. */
  input?: CallInput | ((run: ScenarioRun) => CallInput);
  /** When the call's signal aborts, if ever. `in-flight` needs a fault that holds the request. */
  abort?: "before-call" | "in-flight" | "waiting-to-retry";
  /** What every flavor must show (a subset of the outcome), so the scenario tests what its name says. */
  expected: Partial<Outcome>;
}
