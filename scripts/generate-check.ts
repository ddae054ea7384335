// `pnpm generate:check`: regenerates in memory and fails, naming each file, when
// anything committed under src/generated/ differs from what the spec produces.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { planGeneration } from "./lib/generate-all.js";
import { repoRoot, runMain } from "./lib/repo.js";

async function main(): Promise<number> {
  const plan = await planGeneration();
  const problems: string[] = [];
  for (const [path, content] of plan.files) {
    const current = await readFile(join(repoRoot, path), "utf8").catch(() => undefined);
    if (current === undefined) problems.push(`missing: ${path}`);
    else if (current !== content) problems.push(`differs: ${path}`);
  }
  for (const path of plan.stale) problems.push(`stale:   ${path}`);
  if (problems.length > 0) {
    process.stderr.write(
      `generate:check: ${problems.length} generated file(s) do not match spec/openapi.yaml:\n${problems.map((p) => `  ${p}`).join("\n")}\n` +
        "Run `pnpm generate` and commit the result. Never edit files under src/generated/ by hand.\n",
    );
    return 1;
  }
  process.stdout.write(`generate:check: all ${plan.files.size} generated files are up to date\n`);
  return 0;
}

runMain("generate:check", main, 1);
