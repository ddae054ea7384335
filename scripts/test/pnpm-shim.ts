import { chmod, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { repoRoot } from "../lib/repo.js";

/**
 * An environment whose PATH finds pnpm, for tools that spawn `pnpm` themselves
 * (turbo): the pnpm running these tests (pnpm sets npm_execpath for its
 * scripts), else the version package.json's packageManager pins, through npx.
 */
export async function envWithPnpm(base: NodeJS.ProcessEnv = process.env): Promise<NodeJS.ProcessEnv> {
  const execPath = base.npm_execpath ?? "";
  let command: string;
  if (/pnpm\.c?js$/.test(execPath)) {
    command = `"${process.execPath}" "${execPath}"`;
  } else {
    const { packageManager } = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as { packageManager: string };
    command = `npx --yes ${packageManager}`;
  }
  const bin = await mkdtemp(join(tmpdir(), "pnpm-shim-"));
  const shim = join(bin, "pnpm");
  await writeFile(shim, `#!/bin/sh\nexec ${command} "$@"\n`);
  await chmod(shim, 0o755);
  return { ...base, PATH: `${bin}${delimiter}${base.PATH ?? ""}` };
}
