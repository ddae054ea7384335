import { type ChildProcess, spawn } from "node:child_process";

/** A running emulator bin, with what its startup banner printed. */
export interface EmulatorProcess {
  url: string;
  adminUrl: string;
  /** The secret admin calls send in `X-Admin-Token`. */
  adminToken: string;
  projectId: string;
  token: string;
  /** The demo world's instance, as the banner's `try: curl …` line names it. */
  instanceId: string;
  /** Stops it (SIGTERM; it then stops every redis-server it started). Safe to call twice. */
  stop(): Promise<void>;
}

/** How long the emulator (and its redis-servers) may take to print its banner. */
const startupTimeoutMs = 30_000;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * Starts `geminidb-sessions-emulator` (its built bin) on a free loopback port with
 * the demo world, and reads its URL, admin URL and admin token, project ID, token and
 * instance from the banner it prints. `redis` adds `--redis`: a real redis-server per node.
 */
export async function startEmulatorProcess(bin: string, options: { redis: boolean }): Promise<EmulatorProcess> {
  const args = [bin, "--port", "0", ...(options.redis ? ["--redis"] : [])];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  for (const stream of [child.stdout, child.stderr]) {
    stream.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
  }

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited(child);
      clearTimeout(timer);
    }
  };

  const field = (pattern: RegExp) => pattern.exec(output)?.[1];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the emulator printed no banner within ${startupTimeoutMs} ms:\n${output}`)),
        startupTimeoutMs,
      );
      const check = () => {
        if (output.includes("Ctrl-C stops it.")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", check);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the emulator exited (code ${code}) before it was ready:\n${output}`));
      });
    });
    const url = field(/listening on (\S+)/);
    const adminUrl = field(/admin API \(loopback only\): (\S+)/);
    const adminToken = field(/admin token: +(\S+)/);
    const projectId = field(/project ID: +(\S+)/);
    const token = field(/X-Auth-Token: (\S+)/);
    const instanceId = field(/^try: .*\/instances\/([^/\s]+)\/sessions$/m);
    if (!url || !adminUrl || !adminToken || !projectId || !token || !instanceId) throw new Error(`unexpected emulator banner:\n${output}`);
    return { url, adminUrl, adminToken, projectId, token, instanceId, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
