// The CLI as the bin runs it (loaded by bin.ts unless the build recorded what these arguments print;
// bin.ts also makes a closed pipe harmless, for both).
import { fstatSync } from "node:fs";
import { runCli } from "./run-cli.js";

// The first Ctrl-C abandons requests in flight (the run then exits 130 with what it
// knows); a second one gets Node's default handling and ends the process at once.
const interrupt = new AbortController();
const onSigint = () => {
  process.off("SIGINT", onSigint);
  interrupt.abort();
};
process.on("SIGINT", onSigint);

/** Whether stdout and stderr are one file, pipe or terminal (`2>&1`), so results are printed once. */
function sameOutput(): boolean {
  try {
    const out = fstatSync(1);
    const err = fstatSync(2);
    return out.dev === err.dev && out.ino === err.ino && out.rdev === err.rdev;
  } catch {
    return false;
  }
}

runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: interrupt.signal,
  sameOutput: sameOutput(),
}).then((code) => {
  process.off("SIGINT", onSigint);
  process.exitCode = code;
});
