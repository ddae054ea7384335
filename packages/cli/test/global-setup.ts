import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { binPath, packageDir } from "./support/paths.js";

/**
 * The tests run the real built bin (dist/bin.js). turbo's `test` task builds it first
 * (packages/cli/turbo.json); when vitest runs on its own, this builds it with the
 * package's own tsup config whenever dist/ is missing or older than any source, so a
 * test never runs stale code. It builds into a scratch folder and renames each file
 * into dist/, so a bin another test run is starting never finds dist/ half-empty.
 */
function newestSourceMtime(): number {
  const files = [join(packageDir, "package.json"), join(packageDir, "tsup.config.ts")];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(packageDir, "src"));
  return Math.max(...files.map((file) => statSync(file).mtimeMs));
}

export default function setup(): void {
  const require = createRequire(join(packageDir, "package.json"));
  // The client is the bin's one runtime dependency; its dist comes from turbo's ^build.
  if (!existsSync(require.resolve("@geminidb-sessions/client"))) {
    throw new Error("@geminidb-sessions/client is not built: run `pnpm build` (or `pnpm test`, which builds dependencies) first");
  }
  if (existsSync(binPath) && statSync(binPath).mtimeMs >= newestSourceMtime()) return;
  const tsupManifest = require.resolve("tsup/package.json");
  const tsupBin = (JSON.parse(readFileSync(tsupManifest, "utf8")) as { bin: Record<string, string> }).bin.tsup ?? "";
  // Inside dist/: ignored by git and Biome, on the same file system (so renames are atomic), and
  // under this package's package.json, so the build can load the CLI it built as ES modules
  // (it records the bin's runs with it: tsup.config.ts).
  const scratch = join(packageDir, "dist", `.build-${process.pid}`);
  try {
    execFileSync(process.execPath, [join(dirname(tsupManifest), tsupBin), "--out-dir", scratch], { cwd: packageDir, stdio: "inherit" });
    mkdirSync(join(packageDir, "dist"), { recursive: true });
    for (const file of readdirSync(scratch)) renameSync(join(scratch, file), join(packageDir, "dist", file));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
