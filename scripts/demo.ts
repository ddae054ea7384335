/**
 * `pnpm demo`, and the last step of `pnpm main`: an operator's workflow with the
 * geminidb-sessions CLI, end to end on this machine, through the real API.
 *
 * 1. Start the emulator (its built bin) with its demo world: a Redis proxy-cluster
 *    instance of 3 nodes with live sessions. Each node is a real redis-server when
 *    `redis-server` is installed (every session a real TCP connection), in memory otherwise.
 * 2. Look: list the instance's sessions per node, and each node's statistics.
 * 3. Two applications connect to the first node; every older session is idle by then.
 * 4. Close selectively: which sessions of that node are idle (dry run), then close exactly
 *    those, and count again.
 * 5. Close every session of the instance, and count again.
 * 6. Stop the emulator (and its redis-servers), also when something failed.
 *
 * Every count shown comes from the API (list-instance-sessions), never from the emulator's
 * admin endpoint, which is used only to connect the two new clients. Exits 0 when the
 * counts are as expected at each step (the idle close left exactly the new sessions; the
 * last close left none), 1 otherwise.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type EmulatorProcess, startEmulatorProcess } from "./demo/emulator-process.js";
import { cliBin, connectClients, formatCounts, nodeCounts, runCli } from "./demo/sessions.js";
import { repoRoot, runMain } from "./lib/repo.js";

const emulatorBin = join(repoRoot, "packages/emulator/dist/bin.js");
const say = (text: string) => process.stdout.write(`${text}\n`);
/** Sessions idle for longer than this many seconds are the ones the selective close picks. */
const idleSeconds = 15;
/** New sessions the demo connects to the first node: active, so the selective close keeps them. */
const newClients = 2;

async function demo(emulator: EmulatorProcess, startedAt: number): Promise<boolean> {
  const env = { ...process.env, GEMINIDB_TOKEN: emulator.token, HUAWEICLOUD_SDK_PROJECT_ID: emulator.projectId, NO_COLOR: "1" };
  const where = ["--endpoint", emulator.url];
  const instance = ["--instance-id", emulator.instanceId];
  const step = (text: string) => say(`\n== ${text}`);
  const codes: number[] = [];
  const cli = async (args: string[]) => {
    const run = await runCli(args, env, say);
    codes.push(run.code);
    return run;
  };

  say(`\nPaste the commands below at the repository root to run them yourself. They need:`);
  say(`  alias geminidb-sessions='node packages/cli/dist/bin.js'`);
  say(`  export GEMINIDB_TOKEN=${emulator.token}   # the emulator's demo token: public, printed by the emulator`);
  say(`  export HUAWEICLOUD_SDK_PROJECT_ID=${emulator.projectId}`);
  say(`and an emulator: this demo's stops at the end; start one with`);
  say(`  node packages/emulator/dist/bin.js --port 8080`);
  say(`and use --endpoint http://127.0.0.1:8080 instead of ${emulator.url}.`);

  step("1. How many sessions does the instance have, on which node? (GET .../instances/{id}/sessions)");
  const start = nodeCounts((await cli(["list-instance-sessions", ...where, ...instance])).stdout);
  const [first] = start.keys();
  if (first === undefined) throw new Error("list-instance-sessions showed no node");

  step("2. Where do they come from? Each node's statistics (GET .../redis/nodes/{id}/session-statistics)");
  await cli(["get-node-session-statistics", ...where, ...instance]);

  const wait = Math.max(0, startedAt + (idleSeconds + 1.5) * 1000 - Date.now());
  step(`3. ${newClients} applications connect to node ${first}`);
  say(`(The sessions opened when the emulator started have done nothing since: waiting ${(wait / 1000).toFixed(1)} s more`);
  say(` makes them idle for over ${idleSeconds} s. Then the demo connects ${newClients} new clients to node ${first}.)`);
  await sleep(wait);
  await connectClients(emulator, emulator.instanceId, first, newClients);
  await cli(["list-node-sessions", ...where, "--node-id", first]);

  step(`4. Which of node ${first}'s sessions are idle for more than ${idleSeconds} s? A dry run closes nothing`);
  await cli(["close-idle-sessions", ...where, "--node-id", first, "--idle-longer-than", String(idleSeconds), "--dry-run"]);

  step("5. Close exactly those (GET the node's sessions, then DELETE .../redis/nodes/{id}/sessions with their IDs)");
  await cli(["close-idle-sessions", ...where, "--node-id", first, "--idle-longer-than", String(idleSeconds), "--yes"]);
  step("   Count again");
  const afterIdle = nodeCounts((await cli(["list-instance-sessions", ...where, ...instance])).stdout);

  step("6. Close every session on every node of the instance (DELETE .../instances/{id}/sessions)");
  await cli(["close-instance-sessions", ...where, ...instance, "--yes"]);
  step("   Count again");
  const end = nodeCounts((await cli(["list-instance-sessions", ...where, ...instance])).stdout);

  say("\nSessions per node, each count from list-instance-sessions (the API):");
  say(
    formatCounts([
      { title: "at start", counts: start },
      { title: "after close-idle-sessions", counts: afterIdle },
      { title: "after close-instance-sessions", counts: end },
    ]),
  );
  const nodes = [...start.keys()];
  const problems: string[] = [];
  if (codes.some((code) => code !== 0)) problems.push(`a command exited with ${codes.find((code) => code !== 0)}`);
  if (nodes.length === 0 || nodes.some((node) => (start.get(node) ?? 0) === 0)) problems.push("a node had no session at start");
  if (afterIdle.get(first) !== newClients) problems.push(`node ${first} should keep only its ${newClients} new sessions`);
  for (const node of nodes.slice(1)) {
    if (afterIdle.get(node) !== start.get(node)) problems.push(`node ${node} changed, but only node ${first} was asked`);
  }
  if (nodes.some((node) => end.get(node) !== 0)) problems.push("sessions are left after close-instance-sessions");
  say(
    problems.length === 0
      ? `\nDone: the idle sessions of node ${first} closed and its ${newClients} new ones kept; then every node at 0 sessions.`
      : `\nFAILED: ${problems.join("; ")}.`,
  );
  return problems.length === 0;
}

async function main(): Promise<number> {
  for (const bin of [cliBin, emulatorBin]) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (pnpm build)`);
  }
  const redis = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
  say("GeminiDB sessions demo: look at a Redis instance's sessions, close the idle ones, then all of them,");
  say("with the geminidb-sessions CLI against a local emulator of the GeminiDB API.");
  say(
    redis
      ? "Nodes: real redis-server processes (redis-server is installed): every session is a real TCP connection."
      : "Nodes: in memory (redis-server is not installed; with it, every session would be a real connection).",
  );

  const emulator = await startEmulatorProcess(emulatorBin, { redis });
  const startedAt = Date.now();
  say(`Emulator: ${emulator.url}, project ${emulator.projectId}, demo instance ${emulator.instanceId}`);
  // Ctrl-C or a kill still stops the emulator and its redis-servers.
  const onSignal = (signal: NodeJS.Signals) => {
    void emulator.stop().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return (await demo(emulator, startedAt)) ? 0 : 1;
  } finally {
    await emulator.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    say("Emulator stopped.");
  }
}

runMain("demo failed", main, 1);
