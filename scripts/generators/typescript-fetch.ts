import { execFileSync } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { GeneratedFile, Generator } from "../lib/generated-file.js";
import { ensureGeneratorJar } from "../lib/generator-jar.js";
import { listFiles } from "../lib/read-tree.js";
import { repoRoot } from "../lib/repo.js";
import { generatedApiModule } from "./typescript-fetch-operations.js";

/** Where openapitools.json sends the raw generator output; we copy the sources from there. */
const scratchOut = join(repoRoot, ".cache/generated/typescript-fetch");

/**
 * @openapitools/openapi-generator-cli with the typescript-fetch generator, its
 * options kept in openapitools.json. The wrapper finds the JAR that
 * ensureGeneratorJar() placed, so it never downloads anything. Only the
 * TypeScript sources are kept: the generator's own bookkeeping
 * (.openapi-generator/, ignore file) is not part of the package.
 */
export const typescriptFetch: Generator = {
  name: "openapi-generator typescript-fetch",
  outDir: "packages/typescript-fetch/src/generated",
  async generate(spec) {
    if (spec.file !== join(repoRoot, "spec/openapi.yaml")) {
      throw new Error("the typescript-fetch generator reads spec/openapi.yaml through openapitools.json");
    }
    await ensureGeneratorJar();
    await rm(scratchOut, { recursive: true, force: true });
    const wrapper = join(repoRoot, "node_modules/@openapitools/openapi-generator-cli/main.js");
    execFileSync(process.execPath, [wrapper, "generate", "--generator-key", "typescript-fetch"], {
      cwd: repoRoot,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const files: GeneratedFile[] = [];
    for (const rel of await listFiles(scratchOut)) {
      if (!rel.endsWith(".ts")) continue;
      files.push({ path: `${this.outDir}/${rel}`, content: await readFile(join(scratchOut, rel), "utf8") });
    }
    if (files.length === 0) throw new Error("openapi-generator produced no TypeScript files");
    files.push({ path: `${this.outDir}/generated-api.ts`, content: generatedApiModule(spec.document) });
    return files;
  },
};
