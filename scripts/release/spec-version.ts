/**
 * Keeps `info.version` of spec/openapi.yaml equal to the packages' version (one fixed
 * group, so one version): `pnpm release:version` runs this right after
 * `changeset version`, then regenerates the code, so the released spec always says
 * which release it is. Nobody edits `info.version` by hand.
 *
 *   tsx scripts/release/spec-version.ts           write the packages' version into the spec
 *   tsx scripts/release/spec-version.ts --check   exit 1 when they disagree
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot, runMain, specPath } from "../lib/repo.js";
import { parseVersion, workspacePackages } from "./changesets.js";

/** `text` with its `info.version` set to `version`, every other byte kept. */
export function withSpecVersion(text: string, version: string): string {
  parseVersion(version);
  const lines = text.split("\n");
  const infoAt = lines.findIndex((line) => /^info:\s*$/.test(line));
  let indent: string | undefined;
  for (let i = infoAt + 1; infoAt >= 0 && i < lines.length; i += 1) {
    const line = lines[i] ?? "";
    if (line.trim() === "") continue;
    const lead = /^[ \t]*/.exec(line)?.[0] ?? "";
    if (lead === "") break; // the next top-level key: info has ended
    indent ??= lead;
    if (lead === indent && /^[ \t]+version:/.test(line)) {
      lines[i] = `${indent}version: ${version}`;
      const updated = lines.join("\n");
      if ((parse(updated) as { info?: { version?: unknown } }).info?.version !== version) break;
      return updated;
    }
  }
  throw new Error(`${specPath}: no info.version line to set to ${version}`);
}

/** The spec's `info.version` and the packages' version, when they differ. */
export async function specVersionMismatch(root = repoRoot): Promise<{ spec: unknown; packages: string | undefined } | undefined> {
  const spec = (parse(await readFile(join(root, specPath), "utf8")) as { info?: { version?: unknown } }).info?.version;
  const { version } = await workspacePackages(root);
  return spec === version ? undefined : { spec, packages: version };
}

async function main(): Promise<number> {
  const check = process.argv.includes("--check");
  const mismatch = await specVersionMismatch();
  if (mismatch === undefined) {
    process.stdout.write(`spec-version: ${specPath} info.version matches the packages\n`);
    return 0;
  }
  if (check) {
    process.stdout.write(
      `FAIL: ${specPath} info.version is ${String(mismatch.spec)}, the packages are ${mismatch.packages}; pnpm release:version keeps them equal\n`,
    );
    return 1;
  }
  if (mismatch.packages === undefined) throw new Error("the packages have no version");
  const file = join(repoRoot, specPath);
  await writeFile(file, withSpecVersion(await readFile(file, "utf8"), mismatch.packages));
  process.stdout.write(`spec-version: ${specPath} info.version ${String(mismatch.spec)} → ${mismatch.packages}\n`);
  return 0;
}

runMain("spec-version", main, 2, import.meta.url);
