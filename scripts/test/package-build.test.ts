// tsup.base.ts's isolated declarations: a package's declarations are transpiled file by file, and
// an export that needs the checker fails the build by name instead of falling back to a program
// that would read other packages' (maybe unbuilt) declarations.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, run } from "../lib/repo.js";

let dir: string;

/**
 * Runs packageBuild's declaration step in `dir` (as tsup would, from the package's folder) and prints
 * the dts entry it wrote (its temp dir goes when the process exits); or the error.
 */
async function declarationsOf(source: string): Promise<{ ok: true; text: string } | { ok: false; output: string }> {
  await writeFile(join(dir, "src/index.ts"), source);
  const script = `import { readFileSync } from "node:fs";
import { packageBuild } from ${JSON.stringify(join(repoRoot, "tsup.base.ts"))};
const { dts } = packageBuild()({});
process.stdout.write(readFileSync(dts.entry.index, "utf8"));`;
  try {
    const { stdout } = await run(process.execPath, [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "--eval", script], { cwd: dir });
    return { ok: true, text: stdout };
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    return { ok: false, output: e.stdout + e.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "package-build-"));
  await mkdir(join(dir, "src"));
  const base = join(repoRoot, "tsconfig.base.json");
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ extends: base, include: ["src"] }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("isolated declarations (tsup.base.ts)", () => {
  it("writes each annotated module's declarations without a program", async () => {
    const result = await declarationsOf("export function twice(n: number): number {\n  return n * 2;\n}\nexport const unit = 'ms';\n");
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.text).toContain("export declare function twice(n: number): number;");
  }, 60_000);

  it("fails the build on an export that needs the checker, naming the file, line and rule", async () => {
    const result = await declarationsOf("export const doubled = [1, 2].map((n) => n * 2);\n");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.output).toMatch(/src\/index\.ts\(1,14\): error TS9010: Variable must have an explicit type annotation/);
  }, 60_000);
});
