import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";

export type Bump = "major" | "minor" | "patch";

/** One pending changeset: the file and the bump it asks for, per package. */
export interface PendingChangeset {
  file: string;
  bumps: Record<string, Bump>;
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
    const bumps = (parse(frontmatter) ?? {}) as Record<string, Bump>;
    changesets.push({ file: entry, bumps });
  }
  return changesets;
}

/**
 * The changesets that release a new major version of our packages. All of them are
 * one fixed group, so a major bump of any `@geminidb-sessions/*` package is a major
 * release of all.
 */
export function majorChangesets(changesets: readonly PendingChangeset[]): PendingChangeset[] {
  return changesets.filter((c) =>
    Object.entries(c.bumps).some(([name, bump]) => name.startsWith("@geminidb-sessions/") && bump === "major"),
  );
}
