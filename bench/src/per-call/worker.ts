// One flavor's load generator, in a process of its own (so its CPU time is its own). It
// builds the flavor's client once, then answers each "run" message with the calls it
// completed in the given time, at the given concurrency, and the CPU it spent doing so.
import { type Call, createCall } from "./alternatives.js";
import type { FromWorker, RunMessage, ToWorker } from "./protocol.js";

let call: Call | undefined;

const send = (message: FromWorker) => process.send?.(message);

/** Keeps `concurrency` calls in flight until the time or the call budget runs out. */
async function drive(concurrency: number, ms: number, maxCalls: number) {
  const deadline = performance.now() + ms;
  let started = 0;
  let errors = 0;
  let firstError: string | undefined;
  const lane = async () => {
    while (started < maxCalls && performance.now() < deadline) {
      started++;
      try {
        await (call as Call)();
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { calls: started, errors, firstError };
}

async function runOnce(message: RunMessage): Promise<void> {
  await drive(message.concurrency, message.warmupMs, message.maxCalls);
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const { calls, errors, firstError } = await drive(message.concurrency, message.durationMs, message.maxCalls);
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  send({ type: "result", calls, errors, seconds, cpuMicros: used.user + used.system, ...(firstError ? { firstError } : {}) });
}

process.on("message", (message: ToWorker) => {
  if (message.type === "setup") {
    try {
      call = createCall(message.alternative, message.auth, message.target, message.operation ?? "close");
      send({ type: "ready" });
    } catch (error) {
      send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  } else if (message.type === "run") {
    runOnce(message).catch((error: unknown) => send({ type: "failed", message: String(error) }));
  }
});
process.on("disconnect", () => process.exit(0));
setTimeout(() => process.exit(0), 30 * 60_000).unref();
