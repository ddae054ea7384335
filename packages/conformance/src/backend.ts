import { demoIds, type FaultRule, type RequestLogEntry, startEmulator } from "@geminidb-sessions/emulator";
import { type Responder, startRecordingServer } from "@geminidb-sessions/test-utils";
import { conformanceWorld } from "./world.js";

/** The server one scenario runs against, fresh for every flavor so no state carries over. */
export interface Backend {
  readonly url: string;
  /** Requests the server has seen so far (counted on arrival, so a hung request counts too). */
  requests(): number;
  /** Sessions still open on the demo instance; undefined where the server keeps no sessions. */
  sessionsLeft(): Promise<number | undefined>;
  close(): Promise<void>;
}

const counterRuleId = "conformance-request-counter";

/** Gateway answers given before the fault stage, so the counting rule never sees those requests. */
function answeredBeforeFaults(entry: RequestLogEntry): boolean {
  return entry.fault === undefined && (entry.code === "APIGW.0101" || entry.code === "APIGW.0201");
}

/**
 * The emulator over the conformance world, with `faults` installed. Requests are counted by
 * a first fault rule that adds no latency (its `seen` counter grows on arrival), plus the
 * requests the gateway refused before faults apply (no such route, unparsable target).
 */
export async function startEmulatorBackend(faults: readonly FaultRule[]): Promise<Backend> {
  let refusedEarly = 0;
  const emu = await startEmulator({
    port: 0,
    world: conformanceWorld(),
    log: (entry) => {
      if (answeredBeforeFaults(entry)) refusedEarly++;
    },
  });
  emu.faults.add({ id: counterRuleId, effect: { type: "latency", ms: 0 } });
  for (const rule of faults) emu.faults.add(rule);
  return {
    url: emu.url,
    requests: () => (emu.faults.list().find((rule) => rule.id === counterRuleId)?.seen ?? 0) + refusedEarly,
    sessionsLeft: () => emu.world.totalSessions(demoIds.instances.redisProxy),
    close: () => emu.close(),
  };
}

/** A plain recording server answering with `responder`: for answers the emulator cannot give (an empty body, a redirect). */
export async function startRecordingBackend(responder: Responder): Promise<Backend> {
  const server = await startRecordingServer(responder);
  return {
    url: server.url,
    requests: () => server.requests.length,
    sessionsLeft: async () => undefined,
    close: () => server.close(),
  };
}
