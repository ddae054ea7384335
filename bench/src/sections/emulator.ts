import { spawnSync } from "node:child_process";
import { type EmulatorProcess, startEmulatorProcess } from "../../../scripts/demo/emulator-process.js";
import type { Child } from "../lib/child.js";
import { emulatorBin } from "../lib/paths.js";
import { type Row, row, type Section } from "../lib/report.js";
import { type Alternative, interleave } from "../lib/stats.js";
import type { Auth, FromWorker, Target, ToWorker } from "../per-call/protocol.js";
import { world as demo, fetchJson, loadGenerator, openSessions, type PerCallSettings, runMessage } from "./per-call.js";

const SESSIONS = 10_000;
const CONCURRENCY = 50;
function redisInstalled(): string | undefined {
  const found = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim().split(" ").slice(0, 3).join(" ") : undefined;
}

/** Requests per second the emulator answers, driven by the raw node:http load generator (the per-call floor). */
async function requestsPerSecond(emulator: EmulatorProcess, settings: PerCallSettings): Promise<Record<Auth, number[]>> {
  const target: Target = { url: emulator.url, ...demo };
  const workers: Array<Child<ToWorker, FromWorker>> = [];
  try {
    const alternatives: Array<Alternative<Auth>> = [];
    for (const auth of ["token", "aksk"] as const) {
      const worker = loadGenerator();
      workers.push(worker);
      const ready = await worker.next({ type: "setup", alternative: "raw-http", auth, target }, 60_000);
      if (ready.type !== "ready") throw new Error(`load generator: ${ready.type === "failed" ? ready.message : ready.type}`);
      const sample = async () => {
        const result = await worker.next(runMessage(CONCURRENCY, settings), 120_000);
        if (result.type !== "result") throw new Error(`load generator: ${result.type === "failed" ? result.message : result.type}`);
        if (result.errors > 0)
          throw new Error(`the emulator refused ${result.errors} of ${result.calls} ${auth} calls: ${result.firstError}`);
        return result.calls / result.seconds;
      };
      alternatives.push({ key: auth, sample });
    }
    return await interleave(alternatives, settings.rounds);
  } finally {
    for (const worker of workers) worker.stop();
  }
}

/** Opens 10,000 sessions over the instance's 3 nodes (admin API), then times the one API call that closes them all. */
async function closeTimes(emulator: EmulatorProcess, rounds: number): Promise<{ open: number[]; close: number[] }> {
  const api = `${emulator.url}/v3/${demo.projectId}/instances/${demo.instanceId}/sessions`;
  const headers = { "X-Auth-Token": demo.token };
  await fetchJson(api, { method: "DELETE", headers }); // the demo's initial sessions, and a warm connection
  const open: number[] = [];
  const close: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    const opened = (await openSessions(emulator, { instanceId: demo.instanceId, count: SESSIONS })) as { sessions: Record<string, number> };
    open.push(performance.now() - t0);
    const counts = Object.values(opened.sessions);
    const total = counts.reduce((a, b) => a + b, 0);
    if (total !== SESSIONS || counts.length !== 3)
      throw new Error(`expected ${SESSIONS} sessions on 3 nodes, the emulator reports ${JSON.stringify(opened.sessions)}`);
    const t1 = performance.now();
    await fetchJson(api, { method: "DELETE", headers });
    close.push(performance.now() - t1);
  }
  return { open, close };
}

export async function emulatorSection(settings: PerCallSettings): Promise<Section> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const sessions = SESSIONS.toLocaleString("en-US");
  const memory = await startEmulatorProcess(emulatorBin, { redis: false });
  try {
    const rps = await requestsPerSecond(memory, settings);
    rows.push(row(`requests/s, token, ${CONCURRENCY} concurrent (in-memory world)`, "req/s", rps.token, 0));
    rows.push(row(`requests/s, AK/SK (verified), ${CONCURRENCY} concurrent`, "req/s", rps.aksk, 0));
    const { close } = await closeTimes(memory, settings.rounds);
    rows.push(row(`close ${sessions} sessions on 3 nodes, in memory (one API call)`, "ms", close, 2));
  } finally {
    await memory.stop();
  }
  const redis = redisInstalled();
  if (redis) {
    const real = await startEmulatorProcess(emulatorBin, { redis: true });
    try {
      const { open, close } = await closeTimes(real, settings.rounds);
      rows.push(row(`close ${sessions} sessions on 3 real redis-servers (one API call: CLIENT KILL on each)`, "ms", close, 1));
      rows.push(row("… opening them first (admin API, real connections; not the operation)", "ms", open, 0));
    } finally {
      await real.stop();
    }
  } else {
    notes.push("Real Redis: not measured (redis-server not installed; `apt-get install redis-server`).");
  }
  return {
    title: "6. Emulator",
    method: [
      `The emulator's bin (\`geminidb-sessions-emulator --port 0\`, demo world) in a process of its own. Requests/s: the per-call benchmark's raw \`node:http\` load generator (the cheapest client, in another process) keeps ${CONCURRENCY} calls in flight for ${settings.durationMs} ms after ${settings.warmupMs} ms of warm-up; the emulator checks every token or AK/SK signature, as the real gateway does. ${settings.rounds} rounds, token and AK/SK interleaved.`,
      `Closing: the admin API opens ${sessions} sessions spread over the Redis proxy instance's 3 nodes, then one \`DELETE\` closes them, timed from send to answer (HTTP round trip included); ${settings.rounds} rounds. With \`--redis\` (${redis ?? "redis-server not installed"}) each node is a real \`redis-server\` and every session a real connection the emulator holds, closed with \`CLIENT KILL\`.`,
      "The emulator's own benchmark (packages/emulator/bench/RESULTS.md) measures in one process; these figures are from separate processes, like a test suite and the emulator it calls.",
    ],
    rows,
    notes,
  };
}
