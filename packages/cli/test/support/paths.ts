import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** packages/cli */
export const packageDir = fileURLToPath(new URL("../..", import.meta.url));
/** The repository root. */
export const repoRoot = fileURLToPath(new URL("../../../..", import.meta.url));
/** The built bin the tests drive: what `npm install` puts behind `geminidb-sessions`. */
export const binPath = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

/**
 * The built CLI without the bin's recorded runs: the chunk dist/bin.js imports for any
 * command line the build did not record (src/run-bin.ts). Run as a script, it does what
 * the bin does for those, so it prints what the bin printed before recording.
 */
export function fullCliPath(): string {
  const chunk = /import\("(\.\/run-bin-[\w-]+\.js)"\)/.exec(readFileSync(binPath, "utf8"))?.[1];
  if (chunk === undefined) throw new Error(`${binPath} imports no run-bin chunk: has the bin's build changed?`);
  return fileURLToPath(new URL(chunk, new URL("../../dist/", import.meta.url)));
}
