import { type SpawnOptions, spawn } from "node:child_process";

/** What a finished child process left behind. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
}

/**
 * Runs a command to completion and times it from spawn to exit. Killed (and
 * rejected) after `timeoutMs`, so no benchmark step can hang the run.
 */
export function run(command: string, args: readonly string[], options: SpawnOptions & { timeoutMs?: number } = {}): Promise<Finished> {
  const { timeoutMs = 600_000, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...spawnOptions });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")}: no exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

/** Like `run`, but rejects unless the command exits 0, quoting the end of its output. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<Finished> {
  const finished = await run(command, args, options);
  if (finished.code !== 0) {
    const tail = `${finished.stdout}\n${finished.stderr}`.trim().split("\n").slice(-15).join("\n");
    throw new Error(`${command} ${args.join(" ")} exited ${finished.code}:\n${tail}`);
  }
  return finished;
}

/** `npx pnpm@<the repository's version>`, as the README runs it. */
export const npxPnpm = { command: "npx", args: ["--yes", "pnpm@10.34.9"] } as const;

/**
 * The pnpm that started this run (`npm_execpath`), which saves npx's second or so
 * per call; `npx pnpm@…` when the benchmark was started some other way.
 */
export function pnpm(): { command: string; args: readonly string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath?.includes("pnpm"))
    return execPath.endsWith(".cjs") || execPath.endsWith(".js")
      ? { command: process.execPath, args: [execPath] }
      : { command: execPath, args: [] };
  return npxPnpm;
}
