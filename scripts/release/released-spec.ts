import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { git, run, specPath } from "../lib/repo.js";

/** The package whose published versions are the released specs. */
export const specPackage = "@geminidb-sessions/spec";
/** The export of the published package that is the bundled spec (its path in the tarball is the package's own business). */
const specExport = "./openapi.yaml";

/** A spec to compare against, copied to a file, and where it came from. */
export interface BaseSpec {
  file: string;
  /** e.g. `git tag @geminidb-sessions/spec@1.2.0`, `@geminidb-sessions/spec@1.2.0 from the registry`. */
  label: string;
  /** The version it was released as (the tag's or the registry's), when known. */
  version?: string;
  /** Removes the temporary copy, if one was made. */
  dispose(): Promise<void>;
}

const keep = async () => {};

/** Where to look for the last release: git tags first (offline and fast), then the registry. */
export type BaseSource = "auto" | "git-tag" | "registry";

async function scratchDir(): Promise<{ dir: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "spec-base-"));
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** `spec/openapi.yaml` as it was at a git ref (a tag, a branch, a commit). */
export async function specAtGitRef(root: string, ref: string): Promise<BaseSpec> {
  const text = await git(root, ["show", `${ref}:${specPath}`]);
  const { dir, dispose } = await scratchDir();
  const file = join(dir, "openapi.yaml");
  await writeFile(file, text);
  return { file, label: `${specPath} at ${ref}`, dispose };
}

type SemverKey = [number, number, number, string | undefined];

function semverKey(version: string): SemverKey | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/.exec(version);
  return m === null ? undefined : [Number(m[1]), Number(m[2]), Number(m[3]), m[4]];
}

/** Semver precedence, close enough for our tags: a prerelease sorts before its release. */
function compareKeys(a: SemverKey | undefined, b: SemverKey | undefined): number {
  if (a === undefined || b === undefined) return 0;
  for (let i = 0; i < 3; i += 1) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  if (a[3] === b[3]) return 0;
  if (a[3] === undefined) return 1;
  if (b[3] === undefined) return -1;
  return a[3].localeCompare(b[3], "en", { numeric: true });
}

/** The newest `@geminidb-sessions/spec@X` tag, if the repository has one. */
async function fromGitTag(root: string): Promise<BaseSpec | undefined> {
  let tags: string;
  try {
    tags = await git(root, ["tag", "--list", `${specPackage}@*`]);
  } catch {
    return undefined; // not a git repository
  }
  // Semver order, not git's version sort (which puts 1.0.0-rc.1 after 1.0.0).
  const newest = tags
    .split("\n")
    .map((tag) => tag.trim())
    .filter((tag) => semverKey(tag.slice(specPackage.length + 1)) !== undefined)
    .sort((a, b) => compareKeys(semverKey(b.slice(specPackage.length + 1)), semverKey(a.slice(specPackage.length + 1))))[0];
  if (newest === undefined) return undefined;
  const spec = await specAtGitRef(root, newest);
  return { ...spec, label: `git tag ${newest}`, version: newest.slice(specPackage.length + 1) };
}

/** The `latest` published spec package from the npm registry npm is configured with. */
async function fromRegistry(cwd: string): Promise<BaseSpec | undefined> {
  let version: string;
  try {
    const { stdout } = await run("npm", ["view", specPackage, "version", "--json"], { cwd });
    version = JSON.parse(stdout) as string;
  } catch (error) {
    // E404: never published. Anything else (no network, bad auth) is a real failure.
    if (/E404|404 Not Found|is not in this registry/.test(String((error as { stderr?: string }).stderr ?? error))) return undefined;
    throw error;
  }
  const { dir, dispose } = await scratchDir();
  let file: string;
  try {
    const { stdout } = await run("npm", ["pack", `${specPackage}@${version}`, "--pack-destination", dir, "--json"], { cwd });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    await run("tar", ["-xzf", join(dir, filename), "-C", dir]);
    const manifest = JSON.parse(await readFile(join(dir, "package/package.json"), "utf8")) as { exports?: Record<string, unknown> };
    const target = manifest.exports?.[specExport];
    if (typeof target !== "string") throw new Error(`${specPackage}@${version} has no "${specExport}" export`);
    file = join(dir, "package", target);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { file, label: `${specPackage}@${version} from the registry`, version, dispose };
}

/**
 * Resolves what to compare the working spec with: `--base` (an existing file, else a
 * git ref), or the last release. Undefined when nothing was ever released.
 */
export async function resolveBaseSpec(root: string, base: string | undefined, source: BaseSource): Promise<BaseSpec | undefined> {
  if (base !== undefined) {
    const asFile = resolve(base);
    if (existsSync(asFile)) return { file: asFile, label: base, dispose: keep };
    return specAtGitRef(root, base);
  }
  if (source !== "registry") {
    const tagged = await fromGitTag(root);
    if (tagged !== undefined || source === "git-tag") return tagged;
  }
  return fromRegistry(root);
}
