import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runOk } from "./run.js";

export const benchDir: string = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const repoRoot: string = join(benchDir, "..");
export const packagesDir: string = join(repoRoot, "packages");
/** The emulator's bin, started as users start it (scripts/demo/emulator-process.ts). */
export const emulatorBin: string = join(packagesDir, "emulator", "dist", "bin.js");

/** The parts of a package.json the benchmarks read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string> | string;
  dependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
}

/**
 * The package a file belongs to, by its path: `…/packages/core/dist/…` → `@geminidb-sessions/core`,
 * `…/node_modules/.pnpm/…/node_modules/openapi-fetch/…` → `openapi-fetch`; `outside` for any other.
 */
export function packageOf(path: string, outside: string): string {
  const ours = /(?:^|\/)packages\/([^/]+)\//.exec(path);
  if (ours) return `@geminidb-sessions/${ours[1]}`;
  return /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1] ?? outside;
}

/** A published (non-private) workspace package under packages/. */
export interface WorkspacePackage {
  /** Folder name under packages/, e.g. `client`. */
  short: string;
  dir: string;
  manifest: Manifest;
  /** The ESM entry its `exports["."].import.default` names, as an absolute path. */
  esmEntry: string | undefined;
  /** Whether that entry has been built. */
  built: boolean;
}

function esmEntryOf(dir: string, manifest: Manifest): string | undefined {
  const dot = manifest.exports?.["."] as { import?: { default?: string } | string } | undefined;
  const target = typeof dot?.import === "string" ? dot.import : dot?.import?.default;
  return target === undefined ? undefined : join(dir, target);
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

/** Every published package, in a fixed order: the ones a user installs first come first. */
export function publishedPackages(): WorkspacePackage[] {
  const order = ["client", "typescript-fetch", "core", "validation", "spec", "cli", "emulator"];
  const rank = (short: string) => (order.includes(short) ? order.indexOf(short) : order.length);
  return readdirSync(packagesDir)
    .filter((short) => existsSync(join(packagesDir, short, "package.json")))
    .map((short) => {
      const dir = join(packagesDir, short);
      const manifest = readManifest(dir);
      const esmEntry = esmEntryOf(dir, manifest);
      return { short, dir, manifest, esmEntry, built: esmEntry !== undefined && existsSync(esmEntry) };
    })
    .filter((pkg) => !pkg.manifest.private)
    .sort((a, b) => rank(a.short) - rank(b.short) || a.short.localeCompare(b.short));
}

/** The CLI's executable, if the package and its build exist. */
export function cliBin(): string | undefined {
  const dir = join(packagesDir, "cli");
  if (!existsSync(join(dir, "package.json"))) return undefined;
  const { bin } = readManifest(dir);
  const target = typeof bin === "string" ? bin : bin === undefined ? undefined : Object.values(bin)[0];
  if (target === undefined) return undefined;
  const path = join(dir, target);
  return existsSync(path) ? path : undefined;
}

const made: string[] = [];

/** A fresh folder under the system temp dir, removed by `removeTempDirs` at the end of the run. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `geminidb-bench-${prefix}-`));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * The vendor's SDK lives in its own npm project (bench/vendor-sdk, with a lockfile),
 * outside the pnpm workspace: its gaussdbfornosql 3.1.215 asks for a core ^3.1.215
 * that the registry does not have (its newest is 3.1.211, hence the override), and
 * core 3.1.211 requires `uuid` without declaring it. Keeping it apart keeps its 46
 * packages out of every developer's and CI's install; only `pnpm bench` fetches it.
 */
export const vendorDir: string = join(benchDir, "vendor-sdk");
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
