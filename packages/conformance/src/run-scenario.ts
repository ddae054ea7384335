import type { CoreOptions, Sleep } from "@geminidb-sessions/core";
import { demoIds } from "@geminidb-sessions/emulator";
import { type OperationId, operations, type PaginatedOperationId, schemas } from "@geminidb-sessions/validation";
import type { CallInput, FlavorAdapter, SessionsCaller } from "./adapters.js";
import { type Backend, startEmulatorBackend, startRecordingBackend } from "./backend.js";
import { type CallOutcome, type Outcome, rejectedOutcome, resolvedOutcome } from "./outcome.js";
import type { Scenario, ScenarioRun } from "./scenario.js";

/** How long `in-flight` waits for the request to reach the server before giving up on the scenario. */
const arrivalLimitMs = 10_000;

function newRun(): ScenarioRun {
  const notes: Record<string, number> = {};
  return { notes, count: (note) => (notes[note] = (notes[note] ?? 0) + 1) };
}

async function untilArrived(backend: Backend): Promise<void> {
  const giveUpAt = Date.now() + arrivalLimitMs;
  while (backend.requests() === 0) {
    if (Date.now() > giveUpAt) throw new Error(`no request reached the server within ${arrivalLimitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The demo value of each input name a path parameter can have. */
const demoValues: Record<string, string> = {
  instanceId: demoIds.instances.redisProxy,
  nodeId: demoIds.nodes.redisProxy[0],
};

/**
 * What a scenario calls `operationId` with unless it says otherwise, from the operations
 * table: every required parameter from the demo world (`instanceId`, `nodeId`), and the
 * spec's last example of the body (for `closeNodeSessions`: `{ is_all: true }`).
 */
export function defaultInput(operationId: OperationId): CallInput {
  const operation = operations[operationId];
  const input: CallInput = {};
  for (const parameter of operation.parameters) {
    const value = demoValues[parameter.key];
    if (parameter.required && parameter.key !== "projectId") {
      if (value === undefined) throw new Error(`no demo value for ${operationId}'s ${parameter.key}`);
      input[parameter.key] = value;
    }
  }
  const body = operation.body as { schema: string } | null;
  if (body !== null) {
    const examples = (schemas as unknown as Record<string, { examples?: readonly unknown[] }>)[body.schema]?.examples ?? [];
    input.body = examples[examples.length - 1];
  }
  return input;
}

function itemsOn(operationId: PaginatedOperationId, data: unknown): number {
  const items = (data as Record<string, unknown>)[operations[operationId].pagination.items];
  return Array.isArray(items) ? items.length : -1;
}

/** Makes the call (or walks the pages) and settles it into the call's part of the outcome, whatever happens. */
async function settle(caller: SessionsCaller, scenario: Scenario, input: CallInput, onStarted: () => Promise<void>): Promise<CallOutcome> {
  const operationId = scenario.operationId ?? "closeInstanceSessions";
  const call = (async (): Promise<CallOutcome> => {
    if (!scenario.paginate) return resolvedOutcome(await caller.call(operationId, input));
    const pages: number[] = [];
    for await (const page of caller.pages(operationId as PaginatedOperationId, input))
      pages.push(itemsOn(operationId as PaginatedOperationId, page.data));
    return { phase: "call", result: "resolved", requestIdPresent: false, pages };
  })().catch((error: unknown) => rejectedOutcome(error, "call"));
  await onStarted();
  return call;
}

/**
 * Runs one scenario against one flavor on a fresh backend and returns what was observed.
 * Waits before retries are recorded, not slept (an abort during one is honored), and jitter
 * is fixed, so the outcome is deterministic.
 */
export async function runScenario(scenario: Scenario, adapter: FlavorAdapter): Promise<Outcome> {
  const backend = scenario.responder ? await startRecordingBackend(scenario.responder) : await startEmulatorBackend(scenario.faults ?? []);
  try {
    const run = newRun();
    const controller = new AbortController();
    const waits: number[] = [];
    // Resolves at once; after an abort it is the client's job to notice the aborted signal.
    const sleep: Sleep = async (ms) => {
      waits.push(ms);
      if (scenario.abort === "waiting-to-retry") controller.abort(new Error("the scenario aborted the wait"));
    };
    const options: CoreOptions = {
      projectId: demoIds.projectId,
      endpoint: backend.url,
      credentials: { token: demoIds.token },
      timeoutMs: 10_000,
      ...scenario.options?.(run),
      runtime: { sleep, random: () => 0.5 },
    };
    const given = typeof scenario.input === "function" ? scenario.input(run) : scenario.input;
    const input: CallInput = { ...(given ?? defaultInput(scenario.operationId ?? "closeInstanceSessions")), signal: controller.signal };
    if (scenario.abort === "before-call") controller.abort(new Error("the scenario aborted before the call"));

    let caller: SessionsCaller | undefined;
    let call: CallOutcome | undefined;
    try {
      caller = adapter.create(options);
    } catch (error) {
      call = rejectedOutcome(error, "create");
    }
    if (caller !== undefined) {
      call = await settle(caller, scenario, input, async () => {
        if (scenario.abort !== "in-flight") return;
        await untilArrived(backend);
        controller.abort(new Error("the scenario aborted the request in flight"));
      });
    }
    if (call === undefined) throw new Error("the flavor neither created a client nor threw");
    const sessionsLeft = await backend.sessionsLeft();
    return {
      ...call,
      requests: backend.requests(),
      waits,
      ...(sessionsLeft === undefined ? {} : { sessionsLeft }),
      notes: run.notes,
    };
  } finally {
    await backend.close();
  }
}
