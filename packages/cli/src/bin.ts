#!/usr/bin/env node
import { runCli } from "./run-cli.js";

// The first Ctrl-C abandons requests in flight (the run then exits 130 with what it
// knows); a second one gets Node's default handling and ends the process at once.
const interrupt = new AbortController();
const onSigint = () => {
  process.off("SIGINT", onSigint);
  interrupt.abort();
};
process.on("SIGINT", onSigint);

runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: interrupt.signal,
}).then((code) => {
  process.off("SIGINT", onSigint);
  process.exitCode = code;
});
