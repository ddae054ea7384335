import { spawnSync } from "node:child_process";

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
