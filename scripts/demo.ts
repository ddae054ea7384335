/**
 * `pnpm demo`, and the last step of `pnpm main`: the CLI closing every session of an
 * instance, end to end, on this machine.
 *
 * 1. Start the emulator (its built bin) with its demo world: an instance of 3 nodes
 *    with live sessions. Each node is a real redis-server when `redis-server` is
 *    installed, an in-memory node otherwise.
 * 2. Show the sessions per node.
 * 3. Run the built `geminidb-sessions close --instance-id … --endpoint … --yes`, with
 *    the emulator's demo token in its environment (GEMINIDB_TOKEN).
 * 4. Show the sessions per node again: every node must have none.
 * 5. Stop the emulator (and its redis-servers), also when something failed.
 *
 * Exits 0 when every node ended with 0 sessions, 1 otherwise.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type EmulatorProcess, startEmulatorProcess } from "./demo/emulator-process.js";
import { findClearableInstance, formatNodes, sessionsPerNode } from "./demo/sessions.js";
import { repoRoot } from "./lib/repo.js";

const cliBin = join(repoRoot, "packages/cli/dist/bin.js");
const emulatorBin = join(repoRoot, "packages/emulator/dist/bin.js");
const say = (text: string) => process.stdout.write(`${text}\n`);

/** Runs the CLI with inherited output, so its progress and summary show as they happen. */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  say(`\n$ geminidb-sessions ${args.join(" ")}`);
  const child = spawn(process.execPath, [cliBin, ...args], { stdio: ["ignore", "inherit", "inherit"], env });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

async function demo(emulator: EmulatorProcess): Promise<boolean> {
  const instance = await findClearableInstance(emulator);
  say(`\nInstance ${instance.id} (${instance.name ?? "unnamed"}), before:`);
  say(formatNodes(await sessionsPerNode(emulator, instance.id)));

  const env = { ...process.env, GEMINIDB_TOKEN: emulator.token };
  const args = ["close", "--instance-id", instance.id, "--project-id", emulator.projectId, "--endpoint", emulator.url, "--yes"];
  const exitCode = await runCli(args, env);

  const after = await sessionsPerNode(emulator, instance.id);
  say(`\nAfter (geminidb-sessions exited with ${exitCode}):`);
  say(formatNodes(after));
  const left = after.reduce((sum, node) => sum + node.sessions, 0);
  say(left === 0 ? `\nEvery node has 0 sessions: done.` : `\nFAILED: ${left} session(s) left.`);
  return left === 0 && exitCode === 0;
}

async function main(): Promise<number> {
  for (const bin of [cliBin, emulatorBin]) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (pnpm build)`);
  }
  const redis = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
  say("GeminiDB sessions demo: the geminidb-sessions CLI against a local emulator");
  say(redis ? "Nodes: real redis-server processes (redis-server is installed)." : "Nodes: in memory (redis-server is not installed).");

  const emulator = await startEmulatorProcess(emulatorBin, { redis });
  say(`Emulator: ${emulator.url}`);
  // Ctrl-C or a kill still stops the emulator and its redis-servers.
  const onSignal = (signal: NodeJS.Signals) => {
    void emulator.stop().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return (await demo(emulator)) ? 0 : 1;
  } finally {
    await emulator.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    say("Emulator stopped.");
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
