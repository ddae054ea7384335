import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../lib/repo.js";
import { reportedEntries, reportFile } from "../release/api-report.js";
import { publishedPackages } from "./workspace.js";

const run = promisify(execFile);

/** Runs the api-report script (what `pnpm api:report` / `pnpm api:check` run), returning its exit code and output. */
async function apiReport(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), join(repoRoot, "scripts/release/api-report.ts"), ...args],
      { cwd: repoRoot },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe("API reports (pnpm api:report, pnpm api:check)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "api-report-"));
    await cp(join(repoRoot, "scripts/test/fixtures/packages/good"), dir, { recursive: true });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes a report of the built declarations, then passes the check while they agree", async () => {
    const update = await apiReport([dir]);
    expect(update.code, update.output).toBe(0);
    const report = await readFile(join(dir, "etc/check-exports-good-fixture.api.md"), "utf8");
    expect(report).toContain("export const answer: number;");
    const check = await apiReport(["--check", dir]);
    expect(check.code, check.output).toBe(0);
  }, 120_000);

  it("fails the check, naming the report, when the API drifts from it", async () => {
    await writeFile(join(dir, "lib/index.d.ts"), "export declare const answer: string;\n");
    const check = await apiReport(["--check", dir]);
    expect(check.output).toContain(`FAIL ${join(dir, "etc/check-exports-good-fixture.api.md")} does not match the built API`);
    expect(check.output).toContain("run `pnpm build && pnpm api:report`");
    expect(check.code).toBe(1);
  }, 120_000);

  it("reports every further entry point of `exports` on its own, and fails on a report whose entry point is gone", async () => {
    const manifestFile = join(dir, "package.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8")) as { exports: Record<string, unknown> };
    await writeFile(join(dir, "lib/extra.d.ts"), "export declare function extra(): void;\n");
    const withExtra = { ...manifest.exports, "./extra/sub": { import: { types: "./lib/extra.d.ts", default: "./lib/extra.js" } } };
    await writeFile(manifestFile, JSON.stringify({ ...manifest, exports: withExtra }, null, 2));
    const update = await apiReport([dir]);
    expect(update.code, update.output).toBe(0);
    const extraReport = join(dir, "etc/check-exports-good-fixture.extra.sub.api.md");
    expect(await readFile(extraReport, "utf8")).toContain("export function extra(): void;");
    // The data-file subpath (./data.yaml) and ./package.json have no API and get no report.
    expect((await readdir(join(dir, "etc"))).sort()).toEqual([
      "check-exports-good-fixture.api.md",
      "check-exports-good-fixture.extra.sub.api.md",
    ]);
    expect((await apiReport(["--check", dir])).code).toBe(0);

    await writeFile(manifestFile, JSON.stringify(manifest, null, 2));
    const check = await apiReport(["--check", dir]);
    expect(check.output).toContain(`FAIL ${extraReport} reports an entry point ${dir} no longer exports`);
    expect(check.code).toBe(1);
    expect((await apiReport([dir])).code).toBe(0);
    expect(await readdir(join(dir, "etc"))).toEqual(["check-exports-good-fixture.api.md"]);
  }, 120_000);

  it("every published package has a committed report, and api:check is part of pnpm test after every build", async () => {
    const manifest = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(manifest.scripts.test).toMatch(/turbo run .*\bapi:check\b/);
    const turbo = JSON.parse(await readFile(join(repoRoot, "turbo.json"), "utf8")) as {
      tasks: Record<string, { dependsOn?: string[]; inputs?: string[] }>;
    };
    const task = turbo.tasks["//#api:check"];
    for (const p of await publishedPackages()) {
      const stem = p.name.replace(/^@[^/]+\//, "");
      await expect(readFile(join(p.dir, `etc/${stem}.api.md`), "utf8"), p.name).resolves.toContain(`"${p.name}"`);
      for (const { subpath } of reportedEntries(p.manifest)) {
        await expect(readFile(reportFile(p.dir, p.name, subpath), "utf8"), `${p.name}/${subpath}`).resolves.toContain(`"${p.name}"`);
      }
      expect(task?.dependsOn, p.name).toContain(`${p.name}#build`);
    }
    expect(task?.inputs).toContain("packages/*/etc/*.api.md");
  });
});
