import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../lib/repo.js";
import { publishedPackages } from "./workspace.js";

const run = promisify(execFile);
const fixtures = join(repoRoot, "scripts/test/fixtures/packages");

async function checkExports(dirs: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/release/check-exports.ts", ...dirs],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe("pnpm check:exports (publint + attw)", () => {
  it("passes a correctly exported dual package, not asking attw to resolve its data-file subpath", async () => {
    const result = await checkExports([join(fixtures, "good")]);
    expect(result.output).toContain("ok   publint");
    expect(result.output).toContain("ok   attw");
    expect(result.code, result.output).toBe(0);
  });

  it("fails a package whose types come last and whose CommonJS entry gets ESM types, naming both problems", async () => {
    const result = await checkExports([join(fixtures, "broken")]);
    expect(result.code).toBe(1);
    expect(result.output).toContain("FAIL publint");
    expect(result.output).toMatch(/types should be the first/);
    expect(result.output).toContain("FAIL attw");
    expect(result.output).toMatch(/Masquerading as ESM|FalseESM/);
  });
});

describe("the check:exports turbo task", () => {
  it("runs after the build of every published package, and is part of `pnpm test`", async () => {
    const turbo = JSON.parse(await readFile(join(repoRoot, "turbo.json"), "utf8")) as {
      tasks: Record<string, { dependsOn?: string[] }>;
    };
    const expected = (await publishedPackages()).map((p) => `${p.name}#build`).sort();
    // An explicit list, because a root task has no package dependencies for ^build to follow.
    expect([...(turbo.tasks["//#check:exports"]?.dependsOn ?? [])].sort()).toEqual(expected);

    const scripts = (JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts["check:exports"]).toContain("scripts/release/check-exports.ts");
    expect(scripts.test?.split(/\s+/)).toContain("check:exports");
  });
});
