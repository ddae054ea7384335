#!/usr/bin/env node
import { version } from "../package.json";

// `--version` alone answers before the CLI, the client and its validators load: loading them is
// most of what the bin costs at start-up. Everything else, `--version` with a command included,
// goes through the CLI (run-bin.ts), which prints the same version.
const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === "--version") process.stdout.write(`${version}\n`);
else void import("./run-bin.js");
