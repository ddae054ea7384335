import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { type GeneratedFile, type Generator, normalize, withHeader } from "../lib/generated-file.js";
import { ensureGeneratorJar } from "../lib/generator-jar.js";
import { listFiles } from "../lib/read-tree.js";
import { repoRoot } from "../lib/repo.js";
import { generatedApiModule } from "./typescript-fetch-operations.js";

/** Where openapitools.json sends the raw generator output; we copy the sources from there. */
const scratchOut = join(repoRoot, ".cache/generated/typescript-fetch");
const outDir = "packages/typescript-fetch/src/generated";
/** The record of what the committed output was generated from (see `committedOutput`). */
export const recordFile = "generator-record.json";

/**
 * Everything the generator's output depends on besides the JVM itself: the spec,
 * the generator's options, the JAR's checksum (hence its version) and the code here.
 */
const inputFiles = [
  "spec/openapi.yaml",
  "openapitools.json",
  "scripts/openapi-generator-cli.sha256",
  "scripts/generators/typescript-fetch.ts",
  "scripts/generators/typescript-fetch-operations.ts",
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

/** One entry of openapitools.json's `generator-cli.generators`: openapi-generator's options, camelCase. */
export type GeneratorEntry = Record<string, unknown>;

/** The typescript-fetch entry of openapitools.json, the one place its options are kept. */
export async function typescriptFetchEntry(): Promise<GeneratorEntry> {
  const config = JSON.parse(await readFile(join(repoRoot, "openapitools.json"), "utf8"));
  const entry = config["generator-cli"]?.generators?.["typescript-fetch"];
  if (typeof entry !== "object" || entry === null)
    throw new Error("openapitools.json has no generator-cli.generators.typescript-fetch entry");
  return entry as GeneratorEntry;
}

/**
 * The `generate` arguments an openapitools.json entry stands for. The
 * @openapitools/openapi-generator-cli wrapper turns every boolean option into
 * a bare flag, so `"skipValidateSpec": false` became `--skip-validate-spec`
 * and the generator never validated the spec. Here a boolean is a flag only
 * when it is true; `#{cwd}` is the repository root, as in the wrapper.
 */
export function generatorArguments(entry: GeneratorEntry, cwd: string = repoRoot): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    const flag = `--${key.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}`;
    if (value === false || value === undefined || value === null) continue;
    if (value === true) args.push(flag);
    else if (typeof value === "object") {
      const pairs = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
      if (pairs.length > 0) args.push(`${flag}=${pairs.join(",")}`);
    } else args.push(`${flag}=${String(value).replaceAll("#{cwd}", cwd)}`);
  }
  return args;
}

/**
 * Warnings openapi-generator prints for this spec that stay, and why. They are
 * still printed, with the reason, so a new warning stands out.
 */
export const knownGeneratorWarnings: Array<{ pattern: RegExp; reason: string }> = [
  {
    pattern: /OpenAPI 3\.1 support is still in beta/,
    reason:
      "the spec is OpenAPI 3.1 on purpose: its schemas are JSON Schema 2020-12 (examples arrays, const, if/then), which Ajv and the validation package enforce; typescript-fetch output for it is checked by its tests",
  },
  {
    pattern: /Model CloseSessionsResponse not generated since it's a free-form object/,
    reason:
      "both close operations answer an empty JSON object; openapi-generator makes no model for an object schema without properties (additionalProperties false, properties {} and maxProperties 0 change nothing), so typescript-fetch types that body as object; the spec keeps the truthful schema",
  },
  {
    pattern: /Failed to get the schema name: null/,
    reason:
      "openapi-generator 7.25 looks up a $ref on every inline Example object of a media type; the spec keeps its examples inline, next to the responses a reviewer reads",
  },
];

/**
 * The generator's WARN and ERROR log lines, and the INFO lines saying a schema
 * got no model (its type silently degrades to `object`), each with the reason
 * when it is a known one.
 */
export function generatorWarnings(output: string): Array<{ line: string; knownReason?: string }> {
  const warnings: Array<{ line: string; knownReason?: string }> = [];
  for (const line of output.split("\n")) {
    if (!/^\[[^\]]+\]\s+(WARN|ERROR)\b/.test(line) && !/^\[[^\]]+\]\s+INFO\b.*\bnot generated since\b/.test(line)) continue;
    const known = knownGeneratorWarnings.find((w) => w.pattern.test(line));
    warnings.push(known ? { line: line.trim(), knownReason: known.reason } : { line: line.trim() });
  }
  return warnings;
}

/** Why openapi-generator failed, from its output: the spec validation report when there is one. */
export function generatorFailure(output: string): string {
  const report = /There were issues with the specification[\s\S]*?(?=\n\s+at |\n*$)/.exec(output);
  if (report) return report[0].trim();
  const errors = output.split("\n").filter((l) => /\bERROR\b|Exception/.test(l));
  return (errors.length > 0 ? errors : output.trim().split("\n").slice(-20)).join("\n");
}

/**
 * Runs openapi-generator's JAR (the version openapitools.json names, placed
 * by ensureGeneratorJar) with an openapitools.json entry, spec validation
 * included. Throws with the generator's validation report when it rejects
 * the spec; returns its warnings otherwise.
 */
export async function runOpenapiGenerator(entry: GeneratorEntry): Promise<ReturnType<typeof generatorWarnings>> {
  const jar = await ensureGeneratorJar();
  const result = spawnSync("java", ["-jar", jar, "generate", ...generatorArguments(entry)], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`could not run java for openapi-generator: ${result.error.message}`);
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) {
    throw new Error(`openapi-generator rejected ${String(entry.inputSpec).replaceAll("#{cwd}/", "")}:\n${generatorFailure(output)}`);
  }
  return generatorWarnings(output);
}

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

/**
 * The runtime's exports that TypeScript's isolatedDeclarations cannot write without the checker,
 * annotated with the types a full declaration emit prints for them, so the package's declarations
 * are written file by file like every other package's (tsup.base.ts).
 */
const unannotated: ReadonlyArray<[string, string]> = [
  ["export const BASE_PATH = ", "export const BASE_PATH: string = "],
  ["export const DefaultConfig = new Configuration();", "export const DefaultConfig: Configuration = new Configuration();"],
  ["constructor(protected configuration = DefaultConfig)", "constructor(protected configuration: Configuration = DefaultConfig)"],
  ["(this: T, ...middlewares: Middleware[]) {", "(this: T, ...middlewares: Middleware[]): T {"],
  ["(this: T, ...preMiddlewares: Array<Middleware['pre']>) {", "(this: T, ...preMiddlewares: Array<Middleware['pre']>): T {"],
  ["(this: T, ...postMiddlewares: Array<Middleware['post']>) {", "(this: T, ...postMiddlewares: Array<Middleware['post']>): T {"],
  ["export function exists(json: any, key: string) {", "export function exists(json: any, key: string): boolean {"],
  [
    "export function mapValues(data: any, fn: (item: any) => any) {",
    "export function mapValues(data: any, fn: (item: any) => any): { [key: string]: any } {",
  ],
];

/** Rewrites the DOM-only type names in runtime.ts; fails when the generator's text changed. */
export const withoutDomOnlyTypes = (runtime: string): string => rewrite(runtime, domOnlyTypes);
/** Annotates runtime.ts's exports for isolated declarations; fails when the generator's text changed. */
export const annotated = (runtime: string): string => rewrite(runtime, unannotated);

function rewrite(runtime: string, replacements: ReadonlyArray<[string, string]>): string {
  let content = runtime;
  for (const [generated, replacement] of replacements) {
    if (!content.includes(generated)) {
      throw new Error(`typescript-fetch runtime.ts no longer names ${generated}: check scripts/generators/typescript-fetch.ts`);
    }
    content = content.split(generated).join(replacement);
  }
  return content;
}

/**
 * openapi-generator's typescript-fetch generator, its options kept in
 * openapitools.json. The JAR runs directly (not through the npm wrapper, which
 * passed `--skip-validate-spec` and hid the generator's log), so the spec is
 * validated and every warning is shown on stderr. Only the TypeScript sources
 * are kept: the generator's own bookkeeping (.openapi-generator/, ignore file)
 * is not part of the package.
 *
 * The JVM start costs seconds, so the output carries `generator-record.json`:
 * the digest of the generator's inputs and of the .ts files it produced from
 * them. When both still match (the spec, options, JAR and this code unchanged,
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
    const files = reused ?? (await runGenerator(this.name, spec.document));
    const outputs = outputsDigest(files.map((file) => ({ path: file.path, content: normalize(withHeader(file.path, file.content)) })));
    files.push({ path: `${outDir}/${recordFile}`, content: `${JSON.stringify({ inputs, outputs }, null, 2)}\n` });
    return files;
  },
};

async function runGenerator(name: string, document: Record<string, unknown>): Promise<GeneratedFile[]> {
  await rm(scratchOut, { recursive: true, force: true });
  const warnings = await runOpenapiGenerator(await typescriptFetchEntry());
  for (const { line, knownReason } of warnings) {
    process.stderr.write(`${name}: ${line}${knownReason ? `\n  (known, stays: ${knownReason})` : ""}\n`);
  }
  const files: GeneratedFile[] = [];
  for (const rel of await listFiles(scratchOut)) {
    if (!rel.endsWith(".ts")) continue;
    const content = await readFile(join(scratchOut, rel), "utf8");
    files.push({ path: `${outDir}/${rel}`, content: rel === "runtime.ts" ? annotated(withoutDomOnlyTypes(content)) : content });
  }
  if (files.length === 0) throw new Error("openapi-generator produced no TypeScript files");
  // openapi-generator's files keep the names it gives them (its typescript-fetch generator has
  // no file-name suffix option; `fileNaming` only picks the case), so their folder is what marks
  // them generated; the one file this script writes is named `*.gen.ts` like every file of ours.
  files.push({ path: `${outDir}/generated-api.gen.ts`, content: generatedApiModule(document) });
  return files;
}
