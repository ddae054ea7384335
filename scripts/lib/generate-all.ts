import { join } from "node:path";
import { openapiTypes } from "../generators/openapi-types.js";
import { specBundle } from "../generators/spec-bundle.js";
import { typescriptFetch } from "../generators/typescript-fetch.js";
import { validation } from "../generators/validation.js";
import { type GeneratedFile, type Generator, normalize, withHeader } from "./generated-file.js";
import { listFiles } from "./read-tree.js";
import { loadSpec, repoRoot } from "./repo.js";

/** Every generator `pnpm generate` runs, in order. */
export const generators: Generator[] = [specBundle, openapiTypes, validation, typescriptFetch];

export interface Plan {
  /** What every generated folder must hold, by repository-relative path. */
  files: Map<string, string>;
  /** Files now in a generated folder that no generator produces. */
  stale: string[];
}

/** Runs every generator in memory and works out what the generated folders should hold. */
export async function planGeneration(only: Generator[] = generators): Promise<Plan> {
  const spec = await loadSpec();
  const files = new Map<string, string>();
  const stale: string[] = [];
  for (const generator of only) {
    const produced: GeneratedFile[] = await generator.generate(spec);
    for (const file of produced) {
      if (!file.path.startsWith(`${generator.outDir}/`))
        throw new Error(`${generator.name} wrote outside ${generator.outDir}: ${file.path}`);
      files.set(file.path, normalize(withHeader(file.path, file.content)));
    }
    for (const rel of await listFiles(join(repoRoot, generator.outDir))) {
      const path = `${generator.outDir}/${rel}`;
      if (!files.has(path)) stale.push(path);
    }
  }
  return { files, stale };
}
