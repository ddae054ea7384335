import { execFile } from "node:child_process";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFile } from "../generators/typescript-fetch.js";
import { repoRoot } from "../lib/repo.js";
import { scratchRepo } from "./scratch-repo.js";

const run = promisify(execFile);
const generated = "packages/typescript-fetch/src/generated";

describe("pnpm generate reuses the committed typescript-fetch output while its record vouches for it", () => {
  let dir: string;
  let remove: () => Promise<void>;
  /** `pnpm generate` in the scratch copy with no Java on the PATH: it succeeds only if it never starts the generator. */
  const generate = () =>
    run(process.execPath, [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/generate.ts"], {
      cwd: dir,
      env: { PATH: join(dir, "bin"), HOME: dir },
    }).then(
      ({ stdout }) => ({ ok: true as const, stdout }),
      (error: { stderr: string }) => ({ ok: false as const, stderr: error.stderr }),
    );
  /** What a run that started the generator says without Java: the wrapper's `java: not found`, or our own message when the JAR must be fetched too. */
  const startedGenerator = (result: { ok: boolean; stderr?: string }) =>
    !result.ok && /java: not found|Java is needed to generate packages\/typescript-fetch/.test(result.stderr ?? "");

  beforeAll(async () => {
    ({ dir, remove } = await scratchRepo("generate-record-"));
    await mkdir(join(dir, "bin"));
    await symlink(process.execPath, join(dir, "bin", "node"));
  });
  afterAll(() => remove());

  it("commits a record of the inputs and the output", async () => {
    const record = JSON.parse(await readFile(join(repoRoot, generated, recordFile), "utf8"));
    expect(record).toEqual({ inputs: expect.stringMatching(/^[0-9a-f]{64}$/), outputs: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("with nothing changed, generates everything without starting the JVM and rewrites nothing", async () => {
    const result = await generate();
    expect(result).toEqual({ ok: true, stdout: expect.stringMatching(/ 0 updated, 0 stale removed/) });
  });

  it("runs the generator when a generated file was edited by hand", async () => {
    const file = join(dir, generated, "runtime.ts");
    const original = await readFile(file, "utf8");
    await writeFile(file, `${original}// edited by hand\n`);
    expect(startedGenerator(await generate())).toBe(true);
    await writeFile(file, original);
    expect((await generate()).ok).toBe(true);
  });

  it("runs the generator when the spec changed", async () => {
    const spec = join(dir, "spec/openapi.yaml");
    await writeFile(spec, (await readFile(spec, "utf8")).replace("title: GeminiDB Sessions API", "title: GeminiDB Sessions API (edited)"));
    expect(startedGenerator(await generate())).toBe(true);
  });
});
