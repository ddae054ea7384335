import { spawn } from "node:child_process";
import { binPath } from "./paths.js";

/** How a run of the bin ended. */
export interface BinRun {
  /** The exit code; null when a signal ended it. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What a run gets: extra environment variables, and text for stdin (else stdin is /dev/null). */
export interface BinRunOptions {
  env?: Record<string, string>;
  stdin?: string;
  /** Send stderr to the same pipe as stdout (`2>&1`, as CI logs do); `stdout` then holds both. */
  merged?: boolean;
  /** Called with the child once it runs, e.g. to interrupt it. */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
  /** The script to run instead of the bin, e.g. the full CLI (`fullCliPath()`). */
  script?: string;
  /** Node's own options, before the script (e.g. `--import`). */
  nodeArgs?: string[];
}

/**
 * Runs `geminidb-sessions <args>` (the built bin) with a clean environment: only
 * PATH plus `options.env`, so the developer's own HUAWEICLOUD_SDK_* or
 * GEMINIDB_TOKEN never leak into a test.
 */
export function runBin(args: string[], options: BinRunOptions = {}): Promise<BinRun> {
  const argv = [...(options.nodeArgs ?? []), options.script ?? binPath, ...args];
  const command = options.merged ? ["/bin/sh", ["-c", 'exec "$0" "$@" 2>&1', process.execPath, ...argv]] : [process.execPath, argv];
  const child = spawn(command[0] as string, command[1] as string[], {
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  options.onSpawn?.(child);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
