import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { repoRoot } from "../lib/repo.js";

export interface LocalRegistry {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** Stops the registry and waits for its process to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `local-registry-server.ts` in its own process (so Verdaccio's globals and
 * logger stay out of the caller) and resolves once it listens.
 */
export async function startLocalRegistry(storageDir: string): Promise<LocalRegistry> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), join(repoRoot, "scripts/release/local-registry-server.ts"), storageDir],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      if (!line.startsWith("{")) return;
      resolveUrl((JSON.parse(line) as { url: string }).url);
    });
    child.once("exit", (code) => reject(new Error(`local registry exited (${code}) before listening:\n${stderr}`)));
    child.once("error", reject);
  });
  return { url, stop: () => stopProcess(child) };
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.once("exit", () => resolveStop());
    child.kill("SIGTERM");
  });
}
