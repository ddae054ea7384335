import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../lib/repo.js";

/** Top-level entries a scratch copy of the repository needs. */
const entries = [
  "spec",
  "scripts",
  "packages",
  "openapitools.json",
  "package.json",
  "pnpm-workspace.yaml",
  "pnpm-lock.yaml",
  "turbo.json",
  "tsconfig.base.json",
  "tsup.base.ts",
  "biome.json",
  "redocly.yaml",
  "README.md",
];

/**
 * A throwaway copy of the repository for tests that edit files or run tasks:
 * sources copied, build output and caches left out, the real node_modules and
 * generator JAR cache shared through symlinks (packages' own node_modules hold
 * relative links, which resolve inside the copy).
 */
export async function scratchRepo(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  for (const entry of entries) {
    await cp(join(repoRoot, entry), join(dir, entry), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => !/\/(dist|\.turbo|bench\/results)(\/|$)/.test(src.slice(repoRoot.length)),
    });
  }
  await symlink(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  await symlink(join(repoRoot, ".cache"), join(dir, ".cache"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
