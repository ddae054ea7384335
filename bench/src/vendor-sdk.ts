import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { benchDir } from "./lib/paths.js";
import { runOk } from "./lib/run.js";
import { tempDir } from "./lib/temp.js";

/**
 * The vendor's SDK lives in its own npm project (bench/vendor-sdk, with a lockfile),
 * outside the pnpm workspace: its gaussdbfornosql 3.1.215 asks for a core ^3.1.215
 * that the registry does not have (its newest is 3.1.211, hence the override), and
 * core 3.1.211 requires `uuid` without declaring it. Keeping it apart keeps its 46
 * packages out of every developer's and CI's install; only `pnpm bench` fetches it.
 */
export const vendorDir = join(benchDir, "vendor-sdk");
export const vendorServicePackage = "@huaweicloud/huaweicloud-sdk-gaussdbfornosql";
export const vendorCorePackage = "@huaweicloud/huaweicloud-sdk-core";

export async function ensureVendorSdk(): Promise<void> {
  if (existsSync(join(vendorDir, "node_modules", vendorServicePackage, "package.json"))) return;
  process.stdout.write("installing the vendor SDK into bench/vendor-sdk (npm ci)\n");
  await runOk("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--omit=dev"], { cwd: vendorDir, timeoutMs: 300_000 });
}

/** Absolute path of a module as the vendor project resolves it. */
export function resolveVendor(specifier: string): string {
  return createRequire(join(vendorDir, "package.json")).resolve(specifier);
}

/**
 * A throwaway HOME: the vendor's core writes `~/.huaweicloud/application_id` the first
 * time it builds a User-Agent, and a benchmark must not write into the real home.
 */
let home: string | undefined;
export function vendorHome(): string {
  home ??= tempDir("home");
  return home;
}
