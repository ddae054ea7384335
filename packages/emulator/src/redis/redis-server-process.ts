import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { RedisCommandError, RedisConnection } from "./redis-connection.js";

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function findFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}

/** A `redis-server` the emulator started; {@link RedisServerProcess.stop} ends it. */
export interface RedisServerProcess {
  readonly host: "127.0.0.1";
  readonly port: number;
  readonly pid: number | undefined;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface StartRedisServerOptions {
  /** The `redis-server` executable; `redis-server` on the PATH by default. */
  binary?: string;
  /** How long to wait for the server to answer PING; 10 s by default. */
  readyTimeoutMs?: number;
}

// Children still running when the process exits are killed, so a crashed test run leaves
// no redis-server behind.
const running = new Set<ChildProcess>();
const killRunning = () => {
  for (const child of running) child.kill("SIGKILL");
};

function track(child: ChildProcess): void {
  if (running.size === 0) process.once("exit", killRunning);
  running.add(child);
  child.once("exit", () => {
    running.delete(child);
    if (running.size === 0) process.removeListener("exit", killRunning);
  });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function startOnce(binary: string, port: number, readyTimeoutMs: number): Promise<RedisServerProcess> {
  // No persistence, loopback only, foreground: a disposable server for sessions.
  const settings = { port: String(port), bind: "127.0.0.1", save: "", appendonly: "no", daemonize: "no", loglevel: "warning" };
  const args = Object.entries(settings).flatMap(([name, value]) => [`--${name}`, value]);
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  track(child);
  let output = "";
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-2_000);
  };
  child.stdout?.on("data", keepTail);
  child.stderr?.on("data", keepTail);
  let spawnError: Error | undefined;
  child.once("error", (error) => {
    spawnError = error;
  });
  const stop = async () => {
    child.kill("SIGTERM");
    if (!(await waitForExit(child, 5_000))) {
      child.kill("SIGKILL");
      await waitForExit(child, 5_000);
    }
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (spawnError) throw new RedisCommandError(`Cannot run ${binary}: ${spawnError.message}`, { cause: spawnError });
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new RedisCommandError(`${binary} on port ${port} exited (${child.exitCode ?? child.signalCode}): ${output.trim()}`);
    }
    try {
      const probe = await RedisConnection.open({ host: "127.0.0.1", port, timeoutMs: 1_000 });
      try {
        await probe.command(["PING"]);
      } finally {
        probe.close();
      }
      return { host: "127.0.0.1", port, pid: child.pid, stop };
    } catch {
      await sleep(25);
    }
  }
  await stop();
  throw new RedisCommandError(`${binary} on port ${port} did not answer PING in ${readyTimeoutMs} ms: ${output.trim()}`);
}

/**
 * Starts a throwaway `redis-server` on a free 127.0.0.1 port (no persistence) and resolves
 * once it answers PING. Retries a few times when another process takes the port first.
 *
 * @example
 * ```ts
 * const redis = await startRedisServer();
 * // ... connect to 127.0.0.1:redis.port ...
 * await redis.stop();
 * ```
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServerProcess> {
  const binary = options.binary ?? "redis-server";
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await startOnce(binary, await findFreeLoopbackPort(), readyTimeoutMs);
    } catch (error) {
      lastError = error as Error;
      if (!/exited/.test(lastError.message)) break;
    }
  }
  throw lastError ?? new RedisCommandError(`Cannot start ${binary}`);
}

/**
 * Whether `redis-server` (or the given binary) can be run here. Tests use it to skip Redis
 * mode with a reason when the server is not installed.
 *
 * @example
 * ```ts
 * describe.skipIf(!isRedisServerInstalled())("with real Redis", () => { ... });
 * ```
 */
export function isRedisServerInstalled(binary = "redis-server"): boolean {
  const result = spawnSync(binary, ["--version"], { stdio: "ignore", timeout: 5_000 });
  return result.error === undefined && result.status === 0;
}
