import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { type GeneratedFile, type Generator, normalize, withHeader } from "../lib/generated-file.js";
import { ensureGeneratorJar } from "../lib/generator-jar.js";
import { listFiles } from "../lib/read-tree.js";
import { repoRoot } from "../lib/repo.js";

/** Where openapitools.json sends the raw generator output; we copy the sources from there. */
const scratchOut = join(repoRoot, ".cache/generated/typescript-fetch");
const outDir = "packages/typescript-fetch/src/generated";
/** The record of what the committed output was generated from (see `generatorRecord`). */
export const recordFile = "generator-record.json";

/**
 * Everything the generator's output depends on besides the JVM itself: the spec,
 * the generator's options, the JAR's checksum (hence its version) and this file.
 */
const inputFiles = [
  "spec/openapi.yaml",
  "openapitools.json",
  "scripts/openapi-generator-cli.sha256",
  "scripts/generators/typescript-fetch.ts",
];

const sha256 = (parts: readonly string[]) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest("hex");
};

/** The digest of the generator's inputs (file names and contents). */
export async function inputsDigest(): Promise<string> {
  const parts: string[] = [];
  for (const file of inputFiles) parts.push(file, await readFile(join(repoRoot, file), "utf8"));
  return sha256(parts);
}

/** The digest of the .ts files as committed (header included), by path. */
const outputsDigest = (files: ReadonlyArray<{ path: string; content: string }>) =>
  sha256([...files].sort((a, b) => (a.path < b.path ? -1 : 1)).flatMap((file) => [file.path, file.content]));

/** The committed .ts files and their record, or undefined when the record does not vouch for them. */
async function committedOutput(inputs: string): Promise<GeneratedFile[] | undefined> {
  const dir = join(repoRoot, outDir);
  const record = await readFile(join(dir, recordFile), "utf8").then(
    (text) => JSON.parse(text) as { inputs?: unknown; outputs?: unknown },
    () => undefined,
  );
  if (record?.inputs !== inputs) return undefined;
  const committed: GeneratedFile[] = [];
  for (const rel of await listFiles(dir)) {
    if (rel.endsWith(".ts")) committed.push({ path: `${outDir}/${rel}`, content: await readFile(join(dir, rel), "utf8") });
  }
  if (committed.length === 0 || record.outputs !== outputsDigest(committed)) return undefined;
  // Hand back what the generator itself produced: planGeneration puts the header on again.
  return committed.map((file) => ({ path: file.path, content: file.content.slice(file.content.indexOf("\n") + 1) }));
}

/**
 * @openapitools/openapi-generator-cli with the typescript-fetch generator, its
 * options kept in openapitools.json. The wrapper finds the JAR that
 * ensureGeneratorJar() placed, so it never downloads anything. Only the
 * TypeScript sources are kept: the generator's own bookkeeping
 * (.openapi-generator/, ignore file) is not part of the package.
 *
 * The JVM start costs seconds, so the output carries `generator-record.json`:
 * the digest of the generator's inputs and of the .ts files it produced from
 * them. When both still match (the spec, options, JAR and this file unchanged,
 * and no generated file edited), the committed files are the generator's output
 * and are used as they are; any difference runs the generator.
 * `GEMINIDB_GENERATE_FULL=1` always runs it.
 */
export const typescriptFetch: Generator = {
  name: "openapi-generator typescript-fetch",
  outDir,
  async generate(spec) {
    if (spec.file !== join(repoRoot, "spec/openapi.yaml")) {
      throw new Error("the typescript-fetch generator reads spec/openapi.yaml through openapitools.json");
    }
    const inputs = await inputsDigest();
    // biome-ignore lint/suspicious/noUndeclaredEnvVars: generation runs before turbo, and the output is the same either way.
    const reused = process.env.GEMINIDB_GENERATE_FULL === "1" ? undefined : await committedOutput(inputs);
    const files = reused ?? (await runGenerator(this.outDir));
    const outputs = outputsDigest(files.map((file) => ({ path: file.path, content: normalize(withHeader(file.path, file.content)) })));
    files.push({ path: `${this.outDir}/${recordFile}`, content: `${JSON.stringify({ inputs, outputs }, null, 2)}\n` });
    return files;
  },
};

async function runGenerator(outDir: string): Promise<GeneratedFile[]> {
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
    files.push({ path: `${outDir}/${rel}`, content: await readFile(join(scratchOut, rel), "utf8") });
  }
  if (files.length === 0) throw new Error("openapi-generator produced no TypeScript files");
  return files;
}
