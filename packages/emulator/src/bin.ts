#!/usr/bin/env node
import { cliUsage, formatLogEntry, parseCliArgs, startupBanner } from "./cli.js";
import { EmulatorConfigError } from "./config-error.js";
import { startEmulator } from "./start-emulator.js";

const print = (line: string) => process.stdout.write(`${line}\n`);
const printError = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  const request = parseCliArgs(process.argv.slice(2));
  if (request.kind === "help") {
    print(cliUsage);
    return 0;
  }
  const emulator = await startEmulator({ ...request.options, ...(request.log ? { log: (entry) => print(formatLogEntry(entry)) } : {}) });
  for (const line of startupBanner(emulator, { demoWorld: request.options.config === undefined })) print(line);
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
    printError(
      error instanceof EmulatorConfigError
        ? error.message
        : `geminidb-sessions-emulator failed: ${(error as Error).stack ?? String(error)}`,
    );
    if (error instanceof EmulatorConfigError) printError("Run with --help for the options.");
    process.exitCode = 1;
  },
);
