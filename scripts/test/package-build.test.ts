// tsup.base.ts's isolated declarations: a package's declarations are transpiled file by file, and
// an export that needs the checker fails the build by name instead of falling back to a program
// that would read other packages' (maybe unbuilt) declarations.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, run } from "../lib/repo.js";

let dir: string;

/**
 * Runs tsup.base.ts's declaration step in `dir` (as the build does, from the package's folder) into
 * `dir/dist` and returns the declarations written for src/index.ts; or the error.
 */
async function declarationsOf(
  files: Record<string, string>,
): Promise<{ ok: true; esm: string; cjs: string } | { ok: false; output: string }> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, "src", name), text);
  const script = `import { writeDeclarations } from ${JSON.stringify(join(repoRoot, "tsup.base.ts"))};
writeDeclarations(process.cwd(), ["src/index.ts"], "dist");`;
  try {
    await rm(join(dir, "dist"), { recursive: true, force: true });
    await run(process.execPath, [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "--eval", script], { cwd: dir });
    const [esm, cjs] = await Promise.all([readFile(join(dir, "dist/index.d.ts"), "utf8"), readFile(join(dir, "dist/index.d.cts"), "utf8")]);
    return { ok: true, esm, cjs };
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
  it("writes each annotated module's declarations without a program, as .d.ts and as .d.cts naming the .cjs copies", async () => {
    const result = await declarationsOf({
      "index.ts": 'export { twice } from "./twice.js";\nexport const unit = "ms";\nexport type Twice = typeof import("./twice.js");\n',
      "twice.ts": "export function twice(n: number): number {\n  return n * 2;\n}\n",
    });
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.esm).toContain('export { twice } from "./twice.js";');
    expect(result.esm).toContain('export declare const unit = "ms";');
    expect(result.cjs).toContain('export { twice } from "./twice.cjs";');
    expect(result.cjs).toContain('typeof import("./twice.cjs")');
    expect(result.cjs.replaceAll(".cjs", ".js")).toBe(result.esm);
    const twice = await readFile(join(dir, "dist/twice.d.cts"), "utf8");
    expect(twice).toContain("export declare function twice(n: number): number;");
  }, 60_000);

  it("fails the build on an export that needs the checker, naming the file, line and rule", async () => {
    const result = await declarationsOf({ "index.ts": "export const doubled = [1, 2].map((n) => n * 2);\n" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.output).toMatch(/src\/index\.ts\(1,14\): error TS9010: Variable must have an explicit type annotation/);
  }, 60_000);
});
