// The public surface of @geminidb-sessions/cli: the bin's entry point, for embedding
// and testing, and the exit codes and JSON report it documents.

export { type ExitCode, exitCodes } from "./exit-codes.js";
export type { InstanceResult } from "./instance-result.js";
export type { CliInput, CliIo, CliOutput } from "./io.js";
export type { Outcome } from "./outcome.js";
export type { CloseReport } from "./report.js";
export { runCli } from "./run-cli.js";
export { cliVersion } from "./version.js";
