// `pnpm generate`: the only writer of packages/*/src/generated/.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { planGeneration } from "./lib/generate-all.js";
import { repoRoot, runMain } from "./lib/repo.js";

async function main(): Promise<number> {
  const plan = await planGeneration();
  let written = 0;
  for (const [path, content] of plan.files) {
    const full = join(repoRoot, path);
    const current = await readFile(full, "utf8").catch(() => undefined);
    if (current === content) continue;
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
    written++;
  }
  for (const path of plan.stale) await rm(join(repoRoot, path));
  process.stdout.write(`generate: ${plan.files.size} files, ${written} updated, ${plan.stale.length} stale removed\n`);
  return 0;
}

runMain("generate", main, 1);
