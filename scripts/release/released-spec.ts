import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { specPath } from "../lib/repo.js";

const run = promisify(execFile);

/** The package whose published versions are the released specs. */
export const specPackage = "@geminidb-sessions/spec";
/** Where the bundled spec sits inside the published tarball. */
const specInTarball = "package/src/generated/openapi.yaml";

/** A spec to compare against, copied to a file, and where it came from. */
export interface BaseSpec {
  file: string;
  /** e.g. `git tag @geminidb-sessions/spec@1.2.0`, `@geminidb-sessions/spec@1.2.0 from the registry`. */
  label: string;
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

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** `spec/openapi.yaml` as it was at a git ref (a tag, a branch, a commit). */
export async function specAtGitRef(root: string, ref: string): Promise<BaseSpec> {
  const text = await git(root, ["show", `${ref}:${specPath}`]);
  const { dir, dispose } = await scratchDir();
  const file = join(dir, "openapi.yaml");
  await writeFile(file, text);
  return { file, label: `${specPath} at ${ref}`, dispose };
}

/** The newest `@geminidb-sessions/spec@X` tag, if the repository has one. */
async function fromGitTag(root: string): Promise<BaseSpec | undefined> {
  let tags: string;
  try {
    tags = await git(root, ["tag", "--list", `${specPackage}@*`, "--sort=-v:refname"]);
  } catch {
    return undefined; // not a git repository
  }
  const newest = tags.split("\n").find((tag) => tag.trim() !== "");
  if (newest === undefined) return undefined;
  const spec = await specAtGitRef(root, newest);
  return { ...spec, label: `git tag ${newest}` };
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
  try {
    const { stdout } = await run("npm", ["pack", `${specPackage}@${version}`, "--pack-destination", dir, "--json"], { cwd });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    await run("tar", ["-xzf", join(dir, filename), "-C", dir, specInTarball]);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { file: join(dir, specInTarball), label: `${specPackage}@${version} from the registry`, dispose };
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
