import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envWithPnpm } from "./pnpm-shim.js";
import { scratchRepo } from "./scratch-repo.js";
import { publishedPackages } from "./workspace.js";

const run = promisify(execFile);
const env = envWithPnpm({ ...process.env, TURBO_TELEMETRY_DISABLED: "1" });

async function turbo(dir: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await run(join(dir, "node_modules/.bin/turbo"), args, {
    cwd: dir,
    env: await env,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout + stderr;
}

/** What `pnpm build` does: regenerate if stale (scripts/generate-if-stale.mjs), then turbo. */
async function build(dir: string, args: string[] = []): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, [join(dir, "scripts/generate-if-stale.mjs")], { cwd: dir, env: await env });
  return stdout + stderr + (await turbo(dir, ["run", "build", ...args]));
}

/** Cache status of every real `build` task that `pnpm build` would run now (after regenerating what is stale). */
async function plannedCacheStatus(dir: string): Promise<Map<string, string>> {
  const dry = JSON.parse(await turbo(dir, ["run", "build", "--dry=json"])) as {
    tasks: Array<{ taskId: string; command: string; cache: { status: string } }>;
  };
  return new Map(dry.tasks.filter((t) => t.command !== "<NONEXISTENT>").map((t) => [t.taskId, t.cache.status]));
}

describe("turbo pipeline (in a scratch copy of the repository)", () => {
  let dir: string;
  let remove: () => Promise<void>;
  let firstBuild: string;
  beforeAll(async () => {
    ({ dir, remove } = await scratchRepo("turbo-cache-"));
    firstBuild = await build(dir, ["--output-logs=errors-only"]);
  }, 600_000);
  afterAll(() => remove());

  it("builds ESM, CJS and type declarations for every published package", async () => {
    expect(firstBuild).toMatch(/Tasks:\s+\d+ successful/);
    for (const pkg of await publishedPackages(dir)) {
      for (const file of ["index.js", "index.cjs", "index.d.ts", "index.d.cts"]) {
        expect(existsSync(join(pkg.dir, "dist", file)), `${pkg.name} dist/${file}`).toBe(true);
      }
      const esm = await import(pathToFileURL(join(pkg.dir, "dist/index.js")).href);
      const cjs = createRequire(join(pkg.dir, "package.json"))(join(pkg.dir, "dist/index.cjs"));
      expect(Object.keys(esm).sort(), pkg.name).toEqual(Object.keys(cjs).sort());
    }
  });

  it("a second build with nothing changed is entirely cache hits", async () => {
    const output = await build(dir, ["--output-logs=none"]);
    expect(output).toContain("FULL TURBO");
    expect(output).not.toMatch(/generate: \d+ files/); // the stamp matched: nothing was regenerated
  });

  it("editing a README reruns nothing", async () => {
    await appendFile(join(dir, "README.md"), "\nA reader's note.\n");
    await appendFile(join(dir, "packages/client/README.md"), "\nA reader's note.\n");
    const status = await plannedCacheStatus(dir);
    expect(status.size).toBeGreaterThan(4);
    for (const [task, cache] of status) expect(cache, task).toBe("HIT");
  });

  it("a spec change rebuilds once, only the packages whose inputs changed, and the next build is all hits", async () => {
    const spec = join(dir, "spec/openapi.yaml");
    await writeFile(spec, (await readFile(spec, "utf8")).replace("title: GeminiDB Sessions API", "title: GeminiDB Sessions API (edited)"));
    const { stdout } = await run(process.execPath, [join(dir, "scripts/generate-if-stale.mjs")], { cwd: dir, env: await env });
    expect(stdout).toMatch(/generate: \d+ files, [1-9]\d* updated/);
    const planned = await plannedCacheStatus(dir);
    // The title is in the spec bundle and in openapi-generator's file headers: those two packages and
    // what builds on them rerun; validation, core and the client (whose generated files did not change) do not.
    const misses = [...planned].filter(([, cache]) => cache === "MISS").map(([task]) => task);
    expect(misses).toEqual(expect.arrayContaining(["@geminidb-sessions/spec#build", "@geminidb-sessions/typescript-fetch#build"]));
    for (const unchanged of ["@geminidb-sessions/validation#build", "@geminidb-sessions/core#build", "@geminidb-sessions/client#build"]) {
      expect(planned.get(unchanged), unchanged).toBe("HIT");
    }
    const output = await turbo(dir, ["run", "build", "--output-logs=none"]);
    expect(output).toMatch(new RegExp(`Cached:\\s+${planned.size - misses.length} cached, ${planned.size} total`));
    const after = await plannedCacheStatus(dir);
    for (const [task, cache] of after) expect(cache, `${task} after one rebuild`).toBe("HIT");
  }, 600_000); // openapi-generator's JVM and the rebuild
});
