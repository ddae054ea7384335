import { type ExecFileOptions, execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { parse } from "yaml";

/** Absolute path of the repository root (the folder holding spec/ and packages/). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Repository-relative path of the one handwritten source of truth. */
export const specPath = "spec/openapi.yaml";

export interface LoadedSpec {
  /** The spec exactly as written. */
  text: string;
  /** The parsed document. */
  document: Record<string, unknown>;
  /** Absolute path of the file it was read from. */
  file: string;
}

/** Reads and parses a spec (by default the repository's own). */
export async function loadSpec(file = join(repoRoot, specPath)): Promise<LoadedSpec> {
  const text = await readFile(file, "utf8");
  const document = parse(text) as Record<string, unknown>;
  return { text, document, file };
}

/** `execFile`, promised: resolves with stdout and stderr, rejects when the program fails. */
export const run: (file: string, args: readonly string[], options?: ExecFileOptions) => Promise<{ stdout: string; stderr: string }> =
  promisify(execFile);

/** Runs git in `cwd` (paths printed as they are, not octal-quoted) and returns its stdout. */
export async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", ["-c", "core.quotepath=off", ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/**
 * Runs a script's `main`: what it resolves to is the exit code; an error prints `<name>: <message>` and exits
 * with `failureCode`. Given `moduleUrl` (a script a test also imports), only when that is the file node was started with.
 */
export function runMain(name: string, main: () => Promise<number>, failureCode = 2, moduleUrl?: string): void {
  if (moduleUrl !== undefined && (process.argv[1] === undefined || moduleUrl !== pathToFileURL(resolve(process.argv[1])).href)) return;
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = failureCode;
    },
  );
}
