import { spawnSync } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { GeneratedFile, Generator } from "../lib/generated-file.js";
import { ensureGeneratorJar } from "../lib/generator-jar.js";
import { listFiles } from "../lib/read-tree.js";
import { repoRoot } from "../lib/repo.js";
import { generatedApiModule } from "./typescript-fetch-operations.js";

/** Where openapitools.json sends the raw generator output; we copy the sources from there. */
const scratchOut = join(repoRoot, ".cache/generated/typescript-fetch");

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
 * openapi-generator's typescript-fetch generator, its options kept in
 * openapitools.json. The JAR runs directly (not through the npm wrapper, which
 * passed `--skip-validate-spec` and hid the generator's log), so the spec is
 * validated and every warning is shown on stderr. Only the TypeScript sources
 * are kept: the generator's own bookkeeping (.openapi-generator/, ignore file)
 * is not part of the package.
 */
export const typescriptFetch: Generator = {
  name: "openapi-generator typescript-fetch",
  outDir: "packages/typescript-fetch/src/generated",
  async generate(spec) {
    if (spec.file !== join(repoRoot, "spec/openapi.yaml")) {
      throw new Error("the typescript-fetch generator reads spec/openapi.yaml through openapitools.json");
    }
    await rm(scratchOut, { recursive: true, force: true });
    const warnings = await runOpenapiGenerator(await typescriptFetchEntry());
    for (const { line, knownReason } of warnings) {
      process.stderr.write(`${this.name}: ${line}${knownReason ? `\n  (known, stays: ${knownReason})` : ""}\n`);
    }
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
