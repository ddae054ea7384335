import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { repoRoot } from "../lib/repo.js";

/** The parts of a package.json these tests read. */
export interface Manifest {
  name: string;
  private?: boolean;
  type?: string;
  sideEffects?: boolean;
  engines?: { node?: string };
  files?: string[];
  publishConfig?: { access?: string };
  exports: Record<string, Record<string, Record<string, string>>>;
}

export interface WorkspacePackage {
  name: string;
  dir: string;
  manifest: Manifest;
}

/** Every package under packages/ that is published (not private). */
export async function publishedPackages(root = repoRoot): Promise<WorkspacePackage[]> {
  const packages: WorkspacePackage[] = [];
  for (const entry of (await readdir(join(root, "packages"))).sort()) {
    const dir = join(root, "packages", entry);
    const manifest: Manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    if (!manifest.private) packages.push({ name: manifest.name, dir, manifest });
  }
  return packages;
}
