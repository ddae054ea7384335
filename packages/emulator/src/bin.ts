#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { cliUsage, describeStartupFailure, formatLogEntry, parseCliArgs, startupBanner } from "./cli.js";
import type { EmulatorOptions } from "./start-emulator.js";
import { startEmulator } from "./start-emulator.js";

// A reader that stops reading (`| head`) must not crash the emulator: its output is dropped.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

const print = (line: string) => process.stdout.write(`${line}\n`);
const printError = (line: string) => process.stderr.write(`${line}\n`);

/** The package's version, from the package.json next to `dist/` (and `src/`). */
function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}

let options: EmulatorOptions = {};

async function main(): Promise<number> {
  const request = parseCliArgs(process.argv.slice(2), process.env);
  if (request.kind === "help") {
    print(cliUsage);
    return 0;
  }
  if (request.kind === "version") {
    print(`geminidb-sessions-emulator ${version()}`);
    return 0;
  }
  options = request.options;
  const emulator = await startEmulator({ ...request.options, ...(request.log ? { log: (entry) => print(formatLogEntry(entry)) } : {}) });
  const banner = startupBanner(emulator, {
    demoWorld: request.options.config === undefined,
    world: await emulator.world.snapshot(),
    adminTokenFromEnv: request.options.adminToken !== undefined,
  });
  for (const line of banner) print(line);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  print(`${signal}: stopping`);
  await emulator.close();
  print("stopped");
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = describeStartupFailure(error, options);
    printError(known?.message ?? `geminidb-sessions-emulator failed: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = known?.exitCode ?? 1;
  },
);
