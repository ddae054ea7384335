import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** Absolute path of the repository root (the folder holding spec/ and packages/). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Repository-relative path of the one handwritten source of truth. */
export const specPath = "spec/openapi.yaml";

export interface LoadedSpec {
  /** The spec exactly as written. */
  text: string;
  /** The parsed document. */
  document: Record<string, unknown>;
  /** Absolute path of the file it was read from. */
  file: string;
}

/** Reads and parses a spec (by default the repository's own). */
export async function loadSpec(file = join(repoRoot, specPath)): Promise<LoadedSpec> {
  const text = await readFile(file, "utf8");
  const document = parse(text) as Record<string, unknown>;
  return { text, document, file };
}
