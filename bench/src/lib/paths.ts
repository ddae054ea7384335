import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const repoRoot = join(benchDir, "..");
export const packagesDir = join(repoRoot, "packages");
/** The emulator's bin, started as users start it (scripts/demo/emulator-process.ts). */
export const emulatorBin = join(packagesDir, "emulator", "dist", "bin.js");

/** The parts of a package.json the benchmarks read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string> | string;
  dependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
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
