import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ecosystemDir: string = join(dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot: string = join(ecosystemDir, "..");
export const fixturesDir: string = join(ecosystemDir, "fixtures");
export const cacheDir: string = join(repoRoot, ".cache/ecosystem");

/**
 * The runtimes and tools the suite installs from the npm registry, pinned. They land in
 * one cache directory keyed on this list, installed once and reused by every later run.
 * `typescript-oldest` is the oldest TypeScript the packages claim to support.
 */
export const tools = {
  deno: "2.9.6",
  bun: "1.4.5",
  miniflare: "4.20260730.0",
  "playwright-core": "1.65.1",
  esbuild: "0.25.12",
  typescript: "5.9.3",
  "typescript-oldest": "npm:typescript@5.4.5",
} as const;

/** The @types/node a user of Node.js 20 installs next to TypeScript. */
export const typesNode = "20.19.43";

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs a program to completion (never through a shell); a non-zero exit is returned, not thrown. */
export function run(file: string, args: string[], options: RunOptions): Promise<Run> {
  const env = { ...process.env, ...options.env };
  const execOptions = { cwd: options.cwd, env, timeout: options.timeoutMs ?? 300_000, maxBuffer: 32 * 1024 * 1024 };
  return new Promise((resolve) => {
    execFile(file, args, execOptions, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function mustRun(file: string, args: string[], options: RunOptions): Promise<Run> {
  const result = await run(file, args, options);
  if (result.code === 0) return result;
  const output = result.stderr || result.stdout;
  throw new Error(`${file} ${args.join(" ")} (in ${options.cwd}) exited ${result.code}:\n${output}`.slice(0, 4000));
}

const npmQuiet = ["--no-audit", "--no-fund", "--loglevel=error", "--no-update-notifier"];

/** The tools directory, installed with plain npm the first time a tools list is seen. */
export async function ensureTools(): Promise<{ dir: string; installed: boolean }> {
  const versions = JSON.stringify({ tools, node: process.versions.node.split(".")[0] });
  const key = createHash("sha256").update(versions).digest("hex").slice(0, 16);
  const dir = join(cacheDir, `tools-${key}`);
  if (existsSync(join(dir, ".complete"))) return { dir, installed: false };
  await mkdir(cacheDir, { recursive: true });
  const staging = await mkdtemp(join(cacheDir, "tools-staging-"));
  await writeFile(join(staging, "package.json"), JSON.stringify({ name: "ecosystem-tools", private: true, dependencies: tools }, null, 2));
  await mustRun("npm", ["install", ...npmQuiet], { cwd: staging, timeoutMs: 300_000 });
  await writeFile(join(staging, ".complete"), `${new Date().toISOString()}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  // Older tool sets (another version list) are dead weight: each is a few hundred MB.
  for (const entry of await readdir(cacheDir)) {
    if (entry.startsWith("tools-") && join(cacheDir, entry) !== dir) await rm(join(cacheDir, entry), { recursive: true, force: true });
  }
  return { dir, installed: true };
}

/** Packs every public package (after build) into `dir`, as `pnpm publish` would; returns name -> tarball path. */
export async function packPublicPackages(dir: string): Promise<Map<string, string>> {
  // The pnpm the suite was started by, else the pinned one through npx.
  const execPath = process.env.npm_execpath;
  const [pnpm, prefix] = execPath?.includes("pnpm") ? [process.execPath, [execPath]] : ["npx", ["--yes", "pnpm@10.34.9"]];
  const args = [...prefix, "-r", "--filter", "./packages/*", "pack", "--pack-destination", dir];
  await mustRun(pnpm, args, { cwd: repoRoot, timeoutMs: 120_000 });
  const tarballs = new Map<string, string>();
  for (const file of await readdir(dir)) {
    const match = /^geminidb-sessions-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(file);
    if (match?.[1] !== undefined) tarballs.set(`@geminidb-sessions/${match[1]}`, join(dir, file));
  }
  if (!tarballs.has("@geminidb-sessions/client")) throw new Error(`pnpm pack produced no client tarball in ${dir}`);
  return tarballs;
}

export interface ProjectSpec {
  name: string;
  type: "module" | "commonjs";
  /** Package names whose tarballs are installed (their @geminidb-sessions dependencies come along). */
  packages: string[];
  /** Registry packages with exact versions. */
  registry?: Record<string, string>;
  /** Fixture files copied in. */
  files: string[];
  /** Extra files written as is. */
  extra?: Record<string, string>;
}

/** The @geminidb-sessions/* runtime dependencies a workspace package declares. */
async function internalDependencies(name: string): Promise<string[]> {
  const path = join(repoRoot, "packages", name.replace("@geminidb-sessions/", ""), "package.json");
  const manifest = JSON.parse(await readFile(path, "utf8")) as { dependencies?: Record<string, string> };
  return Object.keys(manifest.dependencies ?? {}).filter((dep) => dep.startsWith("@geminidb-sessions/"));
}

/** Creates a user's project outside the workspace and installs the tarballs into it with plain npm. */
export async function createProject(workDir: string, spec: ProjectSpec, tarballs: Map<string, string>): Promise<string> {
  const dir = join(workDir, spec.name);
  await mkdir(dir, { recursive: true });
  // The @geminidb-sessions dependencies of a tarball are not on the registry: install
  // their tarballs alongside, as they would come from the registry after a release.
  const wanted = new Set<string>();
  const add = async (name: string): Promise<void> => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dep of await internalDependencies(name)) await add(dep);
  };
  for (const name of spec.packages) await add(name);
  const dependencies: Record<string, string> = { ...spec.registry };
  for (const name of wanted) {
    const tarball = tarballs.get(name);
    if (tarball === undefined) throw new Error(`no tarball for ${name}`);
    dependencies[name] = `file:${tarball}`;
  }
  const manifest = { name: `ecosystem-${spec.name}`, private: true, type: spec.type, dependencies };
  await writeFile(join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  for (const file of spec.files) await copyFile(join(fixturesDir, file), join(dir, file));
  for (const [file, content] of Object.entries(spec.extra ?? {})) await writeFile(join(dir, file), content);
  await mustRun("npm", ["install", ...npmQuiet], { cwd: dir, timeoutMs: 180_000 });
  return dir;
}
