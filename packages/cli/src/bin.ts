#!/usr/bin/env node
import { recordedRun, recordedRunsFile } from "./recorded-runs.js";

// A reader that stops early (`geminidb-sessions list-node-sessions ... | head`) closes the
// pipe: later writes fail with EPIPE. Drop them quietly, and let the run finish (a close
// already sent still completes) and exit with its own code, instead of a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
  });
}

// `--help` (`-h`, `help`), each command's `--help` (`-h`), `--version` and a bare run print what
// the build recorded the CLI printing for them (recorded-runs.ts), before the CLI, the client and
// its validators load: loading them is most of what the bin costs at start-up. Any other command
// line goes through the CLI (run-bin.ts).
const argv = process.argv.slice(2);
const recorded = recordedRun(new URL(recordedRunsFile, import.meta.url), argv);
if (recorded === undefined) void import("./run-bin.js");
else {
  for (const [fd, text] of recorded.writes) (fd === 1 ? process.stdout : process.stderr).write(text);
  process.exitCode = recorded.code;
}
