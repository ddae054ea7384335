import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";

export type Bump = "major" | "minor" | "patch";
const bumpRank: Record<Bump | "none", number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** One pending changeset: the file and the bump it asks for, per package. */
export interface PendingChangeset {
  file: string;
  bumps: Record<string, string>;
}

/** The changesets waiting in a `.changeset/` folder (README.md and config.json are not changesets). */
export async function pendingChangesets(dir: string): Promise<PendingChangeset[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const changesets: PendingChangeset[] = [];
  for (const entry of entries.sort()) {
    if (!entry.endsWith(".md") || entry.toLowerCase() === "readme.md") continue;
    const text = await readFile(join(dir, entry), "utf8");
    const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? "";
    const bumps = (parse(frontmatter) ?? {}) as Record<string, string>;
    changesets.push({ file: entry, bumps });
  }
  return changesets;
}

/**
 * What `changeset status` would reject, one message per problem: a package name that
 * is not in the workspace, or a bump other than major, minor, patch (or none).
 */
export function changesetProblems(changesets: readonly PendingChangeset[], workspaceNames: readonly string[]): string[] {
  const known = new Set(workspaceNames);
  const problems: string[] = [];
  for (const changeset of changesets) {
    for (const [name, bump] of Object.entries(changeset.bumps)) {
      if (!known.has(name)) problems.push(`${changeset.file}: "${name}" is not a package of this workspace`);
      if (!(bump in bumpRank)) problems.push(`${changeset.file}: "${name}" has bump "${bump}"; it must be major, minor, patch or none`);
    }
  }
  return problems;
}

/** Every package name under `<root>/packages`, and the version the published ones share. */
export async function workspacePackages(root: string): Promise<{ names: string[]; version: string | undefined }> {
  const names: string[] = [];
  const versions = new Set<string>();
  for (const entry of (await readdir(join(root, "packages"))).sort()) {
    let manifest: { name: string; version?: string; private?: boolean };
    try {
      manifest = JSON.parse(await readFile(join(root, "packages", entry, "package.json"), "utf8"));
    } catch {
      continue; // not a package folder
    }
    names.push(manifest.name);
    if (!manifest.private && manifest.version !== undefined) versions.add(manifest.version);
  }
  if (versions.size > 1) {
    throw new Error(`the published packages must share one version (a changesets fixed group), found ${[...versions].join(", ")}`);
  }
  return { names, version: [...versions][0] };
}

/** The highest bump the pending changesets give any `@geminidb-sessions/*` package (one fixed group: it is the bump of all). */
export function highestBump(changesets: readonly PendingChangeset[]): { bump: Bump | undefined; files: string[] } {
  let best: Bump | undefined;
  const files = new Map<Bump, string[]>();
  for (const changeset of changesets) {
    for (const [name, bump] of Object.entries(changeset.bumps)) {
      if (!name.startsWith("@geminidb-sessions/") || bump === "none" || !(bump in bumpRank)) continue;
      const b = bump as Bump;
      files.set(b, [...new Set([...(files.get(b) ?? []), changeset.file])]);
      if (best === undefined || bumpRank[b] > bumpRank[best]) best = b;
    }
  }
  return { bump: best, files: best === undefined ? [] : (files.get(best) ?? []) };
}

type Version = [number, number, number];

export function parseVersion(version: string): Version {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version.trim());
  if (match === null) throw new Error(`"${version}" is not a semver version (major.minor.patch)`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** What `changeset version` makes of `version` with `bump` (semver's inc, as changesets does). */
export function applyBump(version: string, bump: Bump | undefined): string {
  const [major, minor, patch] = parseVersion(version);
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  if (bump === "patch") return `${major}.${minor}.${patch + 1}`;
  return version;
}

/**
 * Our versioning rule, semver's: a release may break its users only when it raises the
 * first non-zero part of the version. From 1.0.0 on that is the major version; while
 * the packages are 0.x it is the minor version (0.3.4 → 0.4.0 may break, 0.3.4 → 0.3.5
 * may not). Leaving 0.x (0.y → 1.0.0) may break too.
 */
export function mayBreak(released: string, next: string): boolean {
  const [rMajor, rMinor] = parseVersion(released);
  const [nMajor, nMinor] = parseVersion(next);
  if (nMajor !== rMajor) return nMajor > rMajor;
  return rMajor === 0 && nMinor > rMinor;
}

/** The bump a breaking change needs from `released`, in changeset terms. */
export const breakingBump = (released: string): Bump => (parseVersion(released)[0] === 0 ? "minor" : "major");

/** Whether the version about to be released may carry a breaking change, and why. */
export interface ReleaseVerdict {
  /** The version the packages will be released as: their version, with the pending bump applied. */
  next: string;
  allowed: boolean;
  reason: string;
}

/**
 * Judges a breaking change against the last released version and the version it is
 * about to be released as. The bump may still be pending (a changeset) or already be
 * applied by `changeset version` (the packages' version is ahead of the release):
 * either way the gate sees the same next version, so it never deadlocks a release.
 */
export function judgeBreakingRelease(released: string, packagesVersion: string, changesets: readonly PendingChangeset[]): ReleaseVerdict {
  const { bump, files } = highestBump(changesets);
  const next = applyBump(packagesVersion, bump);
  const needed = breakingBump(released);
  if (mayBreak(released, next)) {
    const how =
      packagesVersion === next
        ? `the packages are already versioned ${next} (changeset version ran)`
        : `pending ${bump} changeset(s) ${files.join(", ")} take the packages from ${packagesVersion} to ${next}`;
    return { next, allowed: true, reason: `allowed: ${released} → ${next} may break (${how}).` };
  }
  const pending = bump === undefined ? "no pending changeset bumps them" : `the pending bump is ${bump} (${files.join(", ")})`;
  return {
    next,
    allowed: false,
    reason:
      `FAIL: a breaking change needs a ${needed} release after ${released}, but the packages would be released as ${next} ` +
      `(they are ${packagesVersion}; ${pending}). Either make the change compatible, or run \`pnpm changeset\` and ` +
      `choose \`${needed}\` for the @geminidb-sessions packages.`,
  };
}
