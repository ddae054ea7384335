/**
 * `pnpm spec:diff <git-ref> [--summary]`: what the working spec changes since <ref>, for a reviewer.
 *
 * 1. every API change between spec/openapi.yaml at <ref> and now (oasdiff's and the
 *    error catalog's), most severe first;
 * 2. its class (breaking / non-breaking / none) and whether the pending changesets
 *    allow it, exactly as `pnpm spec:gate --base <ref>` judges it;
 * 3. `git diff --stat` of the generated code: the generated folders committed at <ref>
 *    against what `pnpm generate` makes from the working spec now (regenerated in
 *    memory, so it is right even before you run `pnpm generate`);
 * 4. the diff of the committed public-API reports (`pnpm api:report`).
 *
 * `--summary` also writes the review as Markdown to $GITHUB_STEP_SUMMARY (CI's job
 * summary), or to stdout when that is not set; nothing when nothing changed.
 */
import { appendFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { generators, planGeneration } from "../lib/generate-all.js";
import { git, repoRoot, runMain, specPath } from "../lib/repo.js";
import { type GateResult, runGate } from "./breaking-change-gate.js";
import { formatChanges } from "./oasdiff.js";

const say = (line = "") => process.stdout.write(`${line}\n`);

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

/** Everything a reviewer of a spec change needs, gathered once for both renderings. */
export interface Review {
  ref: string;
  /** What `pnpm spec:gate --base <ref>` decides: the changes, their class, and whether the pending changesets allow it. */
  gate: GateResult;
  /** `git diff --stat` of the generated code ("" when none changed). */
  stat: string;
  /** Unified diff of the committed API reports, `<ref>` → working tree ("" when the public API did not change). */
  apiDiff: string;
  generatorsChanged: boolean;
}

const levelName: Record<number, string> = { 3: "error", 2: "warning", 1: "info" };

/** The gate's verdict in one line, for the class of change it judged. */
function verdictLine(gate: GateResult): string {
  if (gate.problems.length > 0) return `refused: invalid changeset(s): ${gate.problems.join("; ")}`;
  if (gate.changeClass !== "breaking") return "no version bump needed for the spec (the change is not breaking)";
  return gate.verdict?.reason ?? "";
}

/** The plain-text review `pnpm spec:diff` prints. */
export function reviewText(review: Review): string[] {
  const { gate, ref } = review;
  const counts = [3, 2, 1].map((level) => gate.changes.filter((c) => c.level === level).length);
  const lines = [
    `Spec changes: ${specPath} at ${ref} → working tree`,
    `${gate.changes.length} change(s): ${counts[0]} error, ${counts[1]} warning, ${counts[2]} info`,
    ...formatChanges(gate.changes),
    "",
    `Breaking-change class: ${gate.changeClass}`,
    `Pending changesets: ${verdictLine(gate)}`,
    "",
    `Generated code (committed at ${ref} → generated from the working spec):`,
    review.stat.trim() === "" ? "  no generated file changes" : review.stat.trimEnd(),
  ];
  if (review.generatorsChanged) {
    lines.push(`Note: the generators themselves changed since ${ref}, so part of this diff may come from them, not from the spec.`);
  }
  lines.push("", `Public API (packages/*/etc/*.api.md, committed at ${ref} → working tree):`);
  lines.push(review.apiDiff.trim() === "" ? "  no change to any package's public API report" : review.apiDiff.trimEnd());
  return lines;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
/** Long API diffs are cut so the job summary stays readable (and under GitHub's 1 MiB limit). */
const maxApiDiffLines = 300;

/** The Markdown review CI writes to the job summary ($GITHUB_STEP_SUMMARY) of a pull request. */
export function reviewMarkdown(review: Review): string {
  const { gate, ref } = review;
  const sorted = [...gate.changes].sort((a, b) => b.level - a.level);
  const refused = gate.code !== 0;
  const out = [
    `## Spec review: \`${specPath}\` at \`${ref}\` → this change`,
    "",
    `**Breaking-change class: ${gate.changeClass}** · ${refused ? "❌" : "✅"} ${cell(verdictLine(gate))}`,
    "",
    `### Spec changes (${sorted.length}, most severe first)`,
    "",
  ];
  if (sorted.length === 0) out.push("No change that any check looks at.");
  else {
    out.push("| severity | check | change | operation |", "| --- | --- | --- | --- |");
    for (const c of sorted) {
      const where = c.operation && c.path ? `${c.operation} ${c.path}` : "";
      out.push(`| ${levelName[c.level] ?? c.level} | \`${c.id}\` | ${cell(c.text)} | ${cell(where)} |`);
    }
  }
  out.push("", "### Generated code", "");
  if (review.stat.trim() === "") out.push("No generated file changes.");
  else out.push("```", review.stat.trimEnd(), "```");
  if (review.generatorsChanged) out.push("", `The generators themselves changed since \`${ref}\`: part of this diff may come from them.`);
  out.push("", "### Public API (API Extractor reports)", "");
  if (review.apiDiff.trim() === "") out.push("No change to any package's public API report.");
  else {
    const lines = review.apiDiff.trimEnd().split("\n");
    out.push("`````diff", ...lines.slice(0, maxApiDiffLines), "`````");
    if (lines.length > maxApiDiffLines) out.push(`(${lines.length - maxApiDiffLines} more lines: run \`pnpm spec:diff ${ref}\`)`);
  }
  return `${out.join("\n")}\n`;
}

/** The committed API reports' diff, `ref` → working tree. */
async function apiReportDiff(ref: string): Promise<string> {
  return git(repoRoot, ["diff", "--no-color", "--find-renames", ref, "--", ":(glob)packages/*/etc/*.api.md"]);
}

export async function collectReview(ref: string): Promise<Review> {
  const gate = await runGate({ base: ref });
  const stat = await diffStat(await generatedAt(ref), (await planGeneration()).files);
  return { ref, gate, stat, apiDiff: await apiReportDiff(ref), generatorsChanged: await generatorsChangedSince(ref) };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { summary: { type: "boolean", default: false } } });
  const ref = positionals[0];
  if (ref === undefined) {
    process.stderr.write("usage: pnpm spec:diff <git-ref> [--summary]   (e.g. main, HEAD~1, @geminidb-sessions/spec@0.1.0)\n");
    return 2;
  }
  const review = await collectReview(ref);
  for (const line of reviewText(review)) say(line);
  if (!values.summary) return 0;
  const changed = review.gate.changes.length > 0 || review.stat.trim() !== "" || review.apiDiff.trim() !== "";
  const target = process.env.GITHUB_STEP_SUMMARY;
  if (!changed) {
    say("\nsummary: no spec, generated-code or public-API change: nothing to summarize.");
    return 0;
  }
  if (target === undefined || target === "") {
    say("\nsummary (GITHUB_STEP_SUMMARY is not set, so here):\n");
    process.stdout.write(reviewMarkdown(review));
    return 0;
  }
  await appendFile(target, reviewMarkdown(review));
  say(`\nsummary: written to $GITHUB_STEP_SUMMARY`);
  return 0;
}

/** Whether the code that turns the spec into files differs from what it was at `ref`. */
async function generatorsChangedSince(ref: string): Promise<boolean> {
  const paths = ["scripts/generators", "scripts/lib", "openapitools.json"];
  const changed = await git(repoRoot, ["diff", "--name-only", ref, "--", ...paths]);
  const untracked = await git(repoRoot, ["ls-files", "--others", "--exclude-standard", "--", ...paths]);
  return `${changed}${untracked}`.trim() !== "";
}

runMain("spec:diff", main, 1, import.meta.url);
