/**
 * `pnpm spec:diff <git-ref>`: what the working spec changes since <ref>, for a reviewer.
 *
 * 1. every API change oasdiff finds between spec/openapi.yaml at <ref> and now;
 * 2. its class (breaking / non-breaking / none, as `pnpm spec:gate` judges it);
 * 3. `git diff --stat` of the generated code: the generated folders committed at <ref>
 *    against what `pnpm generate` makes from the working spec now (regenerated in
 *    memory, so it is right even before you run `pnpm generate`).
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { generators, planGeneration } from "../lib/generate-all.js";
import { repoRoot, specPath } from "../lib/repo.js";
import { classify, formatChanges, specChanges } from "./oasdiff.js";
import { specAtGitRef } from "./released-spec.js";

const run = promisify(execFile);
const say = (line = "") => process.stdout.write(`${line}\n`);

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", ["-c", "core.quotepath=off", ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** The files under the generated folders, as committed at `ref`. */
async function generatedAt(ref: string): Promise<Map<string, string>> {
  const folders = generators.map((g) => g.outDir);
  const listed = await git(repoRoot, ["ls-tree", "-r", "--name-only", ref, "--", ...folders]);
  const files = new Map<string, string>();
  for (const path of listed.split("\n").filter((line) => line !== "")) {
    files.set(path, await git(repoRoot, ["show", `${ref}:${path}`]));
  }
  return files;
}

async function writeTree(root: string, files: Map<string, string>): Promise<void> {
  for (const [path, content] of files) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

/** `git diff --stat` from one set of files to another, in a throwaway repository. */
async function diffStat(before: Map<string, string>, after: Map<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "spec-diff-"));
  try {
    const quiet = ["-c", "user.name=spec-diff", "-c", "user.email=spec-diff@localhost", "-c", "commit.gpgsign=false"];
    await git(dir, ["init", "--quiet"]);
    await writeTree(dir, before);
    await git(dir, ["add", "--all"]);
    await git(dir, [...quiet, "commit", "--quiet", "--allow-empty", "--message", "before"]);
    for (const path of before.keys()) await rm(join(dir, path));
    await writeTree(dir, after);
    await git(dir, ["add", "--all"]);
    return await git(dir, ["diff", "--cached", "--stat=120", "--find-renames"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const ref = process.argv[2];
  if (ref === undefined || ref.startsWith("-")) {
    process.stderr.write("usage: pnpm spec:diff <git-ref>   (e.g. main, HEAD~1, @geminidb-sessions/spec@1.0.0)\n");
    process.exitCode = 2;
    return;
  }
  const base = await specAtGitRef(repoRoot, ref);
  const changes = await specChanges(base.file, join(repoRoot, specPath)).finally(() => base.dispose());
  const counts = [3, 2, 1].map((level) => changes.filter((c) => c.level === level).length);

  say(`Spec changes: ${specPath} at ${ref} → working tree`);
  say(`${changes.length} change(s): ${counts[0]} error, ${counts[1]} warning, ${counts[2]} info`);
  for (const line of formatChanges(changes)) say(line);
  say();
  say(`Breaking-change class: ${classify(changes)}`);
  say();
  const stat = await diffStat(await generatedAt(ref), (await planGeneration()).files);
  say(`Generated code (committed at ${ref} → generated from the working spec):`);
  say(stat.trim() === "" ? "  no generated file changes" : stat.trimEnd());
  if (await generatorsChangedSince(ref)) {
    say(`Note: the generators themselves changed since ${ref}, so part of this diff may come from them, not from the spec.`);
  }
}

/** Whether the code that turns the spec into files differs from what it was at `ref`. */
async function generatorsChangedSince(ref: string): Promise<boolean> {
  const paths = ["scripts/generators", "scripts/lib", "openapitools.json"];
  const changed = await git(repoRoot, ["diff", "--name-only", ref, "--", ...paths]);
  const untracked = await git(repoRoot, ["ls-files", "--others", "--exclude-standard", "--", ...paths]);
  return `${changed}${untracked}`.trim() !== "";
}

main().catch((error: unknown) => {
  process.stderr.write(`spec:diff: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
