import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatorConfig } from "../lib/generator-jar.js";
import { repoRoot } from "../lib/repo.js";
import { scratchRepo } from "./scratch-repo.js";

const run = promisify(execFile);

describe("the openapi-generator JAR", () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, remove } = await scratchRepo("jar-"));
    // An empty JAR cache of its own, so generation has to fetch the JAR.
    await rm(join(dir, ".cache"));
    await mkdir(join(dir, ".cache"));
    // A PATH with node and nothing else: no java, no mvn.
    await mkdir(join(dir, "bin"));
    await symlink(process.execPath, join(dir, "bin", "node"));
  });
  afterAll(() => remove());

  it("without Java or Maven, generation stops with one message saying what to install", async () => {
    const failure = await run(process.execPath, [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/generate.ts"], {
      cwd: dir,
      // GEMINIDB_GENERATE_FULL: run the generator even though the committed output is up to date.
      env: { PATH: join(dir, "bin"), HOME: dir, GEMINIDB_GENERATE_FULL: "1" },
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/Java is needed to generate packages\/typescript-fetch.*Install a JDK 17\+ and Maven/s);
    expect(failure?.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it("is put where the wrapper looks (<storageDir>/<version>.jar from openapitools.json), so it never downloads", async () => {
    const config = JSON.parse(readFileSync(join(repoRoot, "openapitools.json"), "utf8"))["generator-cli"];
    const { jarPath } = await generatorConfig();
    expect(jarPath).toBe(join(repoRoot, config.storageDir, `${config.version}.jar`));
  });
});
