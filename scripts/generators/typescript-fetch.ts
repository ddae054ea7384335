import { execFileSync } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { GeneratedFile, Generator } from "../lib/generated-file.js";
import { ensureGeneratorJar } from "../lib/generator-jar.js";
import { listFiles } from "../lib/read-tree.js";
import { repoRoot } from "../lib/repo.js";

/** Where openapitools.json sends the raw generator output; we copy the sources from there. */
const scratchOut = join(repoRoot, ".cache/generated/typescript-fetch");

/**
 * The generated runtime names two types only the DOM lib declares. Published, they would
 * force `/// <reference lib="dom" />` on every consumer, silently adding `document`,
 * `window` and the rest to plain Node.js programs (issue 17). Both have an equal spelling
 * in terms of the fetch globals Node's types, Deno, Bun, workers and the DOM all declare.
 */
const domOnlyTypes: ReadonlyArray<[string, string]> = [
  // The DOM's own signature, declared as a method as the DOM lib does (so the generated
  // `(url: string, init: RequestInit) => ...` still fits, as it does with the DOM lib).
  ["WindowOrWorkerGlobalScope['fetch']", '{ fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> }["fetch"]'],
  ["RequestCredentials", 'RequestInit["credentials"]'],
];

/** Rewrites the DOM-only type names in runtime.ts; fails when the generator's text changed. */
export function withoutDomOnlyTypes(runtime: string): string {
  let content = runtime;
  for (const [domOnly, portable] of domOnlyTypes) {
    if (!content.includes(domOnly)) {
      throw new Error(`typescript-fetch runtime.ts no longer names ${domOnly}: check scripts/generators/typescript-fetch.ts`);
    }
    content = content.split(domOnly).join(portable);
  }
  return content;
}

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
      const content = await readFile(join(scratchOut, rel), "utf8");
      files.push({ path: `${this.outDir}/${rel}`, content: rel === "runtime.ts" ? withoutDomOnlyTypes(content) : content });
    }
    if (files.length === 0) throw new Error("openapi-generator produced no TypeScript files");
    return files;
  },
};
