import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../lib/repo.js";
import { findGoTool, requireTool } from "./tools.js";

const run = promisify(execFile);

/**
 * Our severity overrides, one `<check-id> <level>` per line (oasdiff allows no
 * comments there, so the reasons live here):
 * - response-optional-property-removed → err. oasdiff calls it backward compatible
 *   (INFO), but our generated TypeScript types lose the property, so a user who read
 *   it no longer compiles.
 */
export const severityLevelsFile = join(repoRoot, "scripts/release/oasdiff-severity-levels.txt");

/** One finding of `oasdiff changelog --format json`. */
export interface SpecChange {
  id: string;
  text: string;
  /** 3 = error (breaking), 2 = warning (possibly breaking), 1 = info. */
  level: number;
  comment?: string;
  operation?: string;
  path?: string;
}

/**
 * - breaking: at least one error or warning. oasdiff warns where it cannot prove a
 *   change safe (a changed `pattern` could be a tightening), so a warning counts.
 * - non-breaking: only info findings.
 * - none: no finding (identical, or only text that no check looks at changed).
 */
export type ChangeClass = "breaking" | "non-breaking" | "none";

export function classify(changes: readonly SpecChange[]): ChangeClass {
  if (changes.some((change) => change.level >= 2)) return "breaking";
  return changes.length > 0 ? "non-breaking" : "none";
}

const levelNames: Record<number, string> = { 3: "error  ", 2: "warning", 1: "info   " };

/** One readable line per finding, most severe first. */
export function formatChanges(changes: readonly SpecChange[]): string[] {
  return [...changes]
    .sort((a, b) => b.level - a.level)
    .map((c) => {
      const where = c.operation && c.path ? ` (${c.operation} ${c.path})` : "";
      return `  ${levelNames[c.level] ?? c.level} [${c.id}] ${c.text}${where}`;
    });
}

/** `oasdiff changelog` between two spec files, with our severity overrides. */
export async function specChanges(baseFile: string, revisionFile: string): Promise<SpecChange[]> {
  const oasdiff = requireTool(findGoTool("oasdiff"));
  const { stdout } = await run(
    oasdiff,
    // --flatten-params: our spec declares project_id and instance_id at the path level;
    // without it oasdiff's checks never see a change to them (its `diff` does, its
    // `changelog` does not).
    ["changelog", baseFile, revisionFile, "--format", "json", "--flatten-params", "--severity-levels", severityLevelsFile],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const parsed = JSON.parse(stdout === "" ? "[]" : stdout) as SpecChange[] | null;
  return parsed ?? [];
}
