/**
 * Runs of the CLI recorded when the package is built, so the bin can replay them without
 * loading the CLI, the client and its validators: `--help`, each command's `--help`,
 * `--version` and a bare run. The build (tsup.config.ts) runs the built CLI on each of
 * those command lines and writes what it printed to `dist/recorded-runs.json`; bin.ts
 * replays a run when the arguments match one exactly and loads the CLI otherwise.
 *
 * This module is the file's format and its reader, shared by both; it is bundled into
 * the bin, so it must not import the CLI.
 */
import { readFileSync } from "node:fs";

/** What one command line printed: each write in order (1 stdout, 2 stderr), then the exit code. */
export interface RecordedRun {
  writes: Array<[fd: 1 | 2, text: string]>;
  code: number;
}

/** The file's contents: the distinct runs, and which one each command line prints. */
export interface RecordedRuns {
  runs: RecordedRun[];
  /** Index into `runs`, by {@link runKey} of the arguments. */
  byArguments: Record<string, number>;
}

/** The file's name, next to bin.js in `dist/`. */
export const recordedRunsFile = "recorded-runs.json";

/** The key of a command line (the arguments after the program name). */
export const runKey = (argv: readonly string[]): string => JSON.stringify(argv);

/**
 * The recorded run for `argv` in the file at `file`, or undefined when there is none
 * (or no file: the CLI then answers itself, the same way).
 */
export function recordedRun(file: URL, argv: readonly string[]): RecordedRun | undefined {
  let recorded: RecordedRuns;
  try {
    recorded = JSON.parse(readFileSync(file, "utf8")) as RecordedRuns;
  } catch {
    return undefined;
  }
  const key = runKey(argv);
  return Object.hasOwn(recorded.byArguments, key) ? recorded.runs[recorded.byArguments[key] as number] : undefined;
}
