import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot, run } from "../lib/repo.js";
import { findGoTool, requireTool } from "./tools.js";

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

/** One entry of the root `x-error-catalog` (only the fields a client's behaviour depends on). */
interface CatalogEntry {
  statuses?: number[];
  retryable?: boolean;
}

const catalogOf = (spec: unknown): Record<string, CatalogEntry> =>
  ((spec as { "x-error-catalog"?: Record<string, CatalogEntry> } | null)?.["x-error-catalog"] ?? {}) as Record<string, CatalogEntry>;

/**
 * Changes to `x-error-catalog`, which oasdiff does not look at (it ignores extensions).
 * The catalog is generated into the packages (the exported `ErrorCode` union, each
 * code's statuses and whether the clients retry it), so:
 * - a removed code is breaking (error): `ErrorCode` narrows, and code comparing with
 *   that code no longer compiles;
 * - a `retryable` flip is breaking (error): nothing fails to compile, but the clients'
 *   retries change under callers who did not ask (false → true re-sends a request the
 *   caller expected to fail once; true → false drops retries the caller relied on);
 *   a silent change of run-time behaviour is exactly what a version bump must announce;
 * - changed statuses are possibly breaking (warning): which HTTP status maps to which
 *   code changes for callers who branch on both;
 * - an added code is non-breaking (info): `ErrorCode` widens.
 */
export function catalogChanges(base: unknown, revision: unknown): SpecChange[] {
  const before = catalogOf(base);
  const after = catalogOf(revision);
  const changes: SpecChange[] = [];
  const add = (id: string, level: number, text: string) => changes.push({ id, level, text });
  for (const [code, entry] of Object.entries(before)) {
    const now = after[code];
    if (now === undefined) {
      add("error-catalog-code-removed", 3, `removed the error code \`${code}\` from x-error-catalog (the exported ErrorCode type narrows)`);
      continue;
    }
    if (Boolean(entry.retryable) !== Boolean(now.retryable)) {
      const retries = now.retryable ? "now retryable" : "no longer retryable";
      add("error-catalog-retryable-changed", 3, `the error code \`${code}\` is ${retries} (the clients' retries of it change at run time)`);
    }
    const statuses = (e: CatalogEntry) => [...(e.statuses ?? [])].sort((a, b) => a - b).join(", ");
    if (statuses(entry) !== statuses(now)) {
      add(
        "error-catalog-statuses-changed",
        2,
        `the statuses of the error code \`${code}\` changed from [${statuses(entry)}] to [${statuses(now)}]`,
      );
    }
  }
  for (const code of Object.keys(after)) {
    if (!(code in before)) add("error-catalog-code-added", 1, `added the error code \`${code}\` to x-error-catalog`);
  }
  return changes;
}

/** A spec file's `info.version`. */
export async function specVersion(file: string): Promise<string | undefined> {
  const spec = parse(await readFile(file, "utf8")) as { info?: { version?: unknown } } | null;
  const version = spec?.info?.version;
  return typeof version === "string" ? version : undefined;
}

/** Every change between two spec files: `oasdiff changelog` with our severity overrides, and the error catalog's. */
export async function specChanges(baseFile: string, revisionFile: string): Promise<SpecChange[]> {
  const [base, revision] = await Promise.all([baseFile, revisionFile].map(async (f) => parse(await readFile(f, "utf8")) as unknown));
  return [...(await oasdiffChanges(baseFile, revisionFile)), ...catalogChanges(base, revision)];
}

/** `oasdiff changelog` between two spec files, with our severity overrides. */
async function oasdiffChanges(baseFile: string, revisionFile: string): Promise<SpecChange[]> {
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
