// The public surface of @geminidb-sessions/cli: the bin's entry point, for embedding
// and testing, and the exit codes and JSON report it documents.

export type { Command, CommandContext } from "./command.js";
export type { OptionDef, ParsedArgs } from "./command-line.js";
export { type CliReport, type ExitCode, exitCodes, type FailureKind, type Outcome, type TargetResult } from "./results.js";
export { commands, runCli } from "./run-cli.js";
export { cliVersion } from "./setup.js";
export type { CliInput, CliIo, CliOutput } from "./terminal.js";
export { clean } from "./text.js";
