/**
 * `pnpm check:exports`: runs publint (strict) and @arethetypeswrong/cli (profile
 * node16: CommonJS and ESM consumers under Node's resolution, plus bundlers) on
 * every published package, as npm would pack it. Exits 1 when any package has a
 * problem, after checking them all.
 *
 *   tsx scripts/release/check-exports.ts            every published package
 *   tsx scripts/release/check-exports.ts <dir>...   just these package folders
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { repoRoot, run } from "../lib/repo.js";
import { publishedPackages } from "../test/workspace.js";

interface CheckResult {
  tool: string;
  ok: boolean;
  output: string;
}

/** An export target that is JavaScript, a type declaration or JSON: something a module loader can import. */
const moduleTarget = /\.(c|m)?js$|\.d\.(c|m)?ts$|\.json$/;

/**
 * Subpaths that export a data file (the spec package's `./openapi.yaml`). They are
 * meant to be read from disk, not imported, so attw's "no resolution" is expected
 * there and would only be noise.
 */
function dataEntrypoints(exportsField: unknown): string[] {
  if (exportsField === null || typeof exportsField !== "object") return [];
  return Object.entries(exportsField as Record<string, unknown>)
    .filter(([subpath, target]) => subpath.startsWith("./") && typeof target === "string" && !moduleTarget.test(target))
    .map(([subpath]) => subpath);
}

async function tool(name: string, bin: string, args: string[], cwd: string): Promise<CheckResult> {
  try {
    const { stdout, stderr } = await run(join(repoRoot, "node_modules/.bin", bin), args, {
      cwd,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    return { tool: name, ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { tool: name, ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` || e.message };
  }
}

/** publint and attw on one package folder. */
async function checkPackage(dir: string): Promise<CheckResult[]> {
  const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { exports?: unknown };
  const excluded = dataEntrypoints(manifest.exports);
  const attwArgs = ["--pack", ".", "--profile", "node16", "--format", "ascii", "--no-color", "--no-emoji"];
  if (excluded.length > 0) attwArgs.push("--exclude-entrypoints", ...excluded);
  // Sequential: both pack the package into the same folder.
  // npm packs for both tools: the file list is the same as pnpm's, and npm is always there.
  const publint = await tool("publint", "publint", ["run", ".", "--strict", "--pack", "npm"], dir);
  const attw = await tool("attw", "attw", attwArgs, dir);
  return [publint, attw];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dirs = args.length > 0 ? args.map((arg) => resolve(arg)) : (await publishedPackages()).map((p) => p.dir);
  let failures = 0;
  for (const dir of dirs) {
    for (const result of await checkPackage(dir)) {
      const label = `${result.ok ? "ok  " : "FAIL"} ${result.tool} ${dir.startsWith(repoRoot) ? dir.slice(repoRoot.length + 1) : dir}`;
      process.stdout.write(`${label}\n`);
      if (!result.ok) {
        failures += 1;
        process.stdout.write(`${result.output.trim()}\n\n`);
      }
    }
  }
  process.stdout.write(
    failures === 0 ? "check:exports: every package passes publint and attw\n" : `check:exports: ${failures} check(s) failed\n`,
  );
  process.exitCode = failures === 0 ? 0 : 1;
}

await main();
