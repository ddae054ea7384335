import { fileURLToPath } from "node:url";

/** packages/cli */
export const packageDir = fileURLToPath(new URL("../..", import.meta.url));
/** The repository root. */
export const repoRoot = fileURLToPath(new URL("../../../..", import.meta.url));
/** The built bin the tests drive: what `npm install` puts behind `geminidb-sessions`. */
export const binPath = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));
