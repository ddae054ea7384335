import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot } from "./repo.js";

/** The generator version and the folder the openapi-generator-cli wrapper looks in, from openapitools.json. */
export async function generatorConfig(): Promise<{ version: string; storageDir: string; jarPath: string }> {
  const config = JSON.parse(await readFile(join(repoRoot, "openapitools.json"), "utf8"));
  const version: string = config["generator-cli"].version;
  const storageDir = resolve(repoRoot, config["generator-cli"].storageDir);
  return { version, storageDir, jarPath: join(storageDir, `${version}.jar`) };
}

/** The SHA-256 committed for a generator version (scripts/openapi-generator-cli.sha256). */
export async function expectedSha256(version: string): Promise<string> {
  const lines = (await readFile(join(repoRoot, "scripts/openapi-generator-cli.sha256"), "utf8")).split("\n");
  const line = lines.find((l) => l.trim().endsWith(`openapi-generator-cli-${version}.jar`));
  if (!line)
    throw new Error(`scripts/openapi-generator-cli.sha256 has no checksum for version ${version}; add one before changing the version.`);
  return line.trim().split(/\s+/)[0] as string;
}

export async function sha256File(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

/** Throws one message naming what to install when a tool is missing. */
export function requireTool(command: string, args: string[], what: string): void {
  const probe = spawnSync(command, args, { stdio: "ignore" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${what} is needed to generate packages/typescript-fetch but \`${command}\` was not found on PATH. ` +
        "Install a JDK 17+ and Maven (Debian: apt-get install -y openjdk-17-jdk-headless maven), then run `pnpm generate` again.",
    );
  }
}

/**
 * Makes sure the openapi-generator JAR is where the wrapper looks for it, so the
 * wrapper never tries to download it: fetched through Maven Central with the
 * ordinary Maven client and checked against the committed SHA-256.
 */
export async function ensureGeneratorJar(): Promise<string> {
  const { version, storageDir, jarPath } = await generatorConfig();
  const expected = await expectedSha256(version);
  if (existsSync(jarPath) && (await sha256File(jarPath)) === expected) return jarPath;

  requireTool("java", ["-version"], "Java");
  requireTool("mvn", ["-v"], "Maven");
  const scratch = await mkdtemp(join(tmpdir(), "openapi-generator-"));
  try {
    const maven = spawnSync(
      "mvn",
      [
        "-q",
        "-B",
        "-Dstyle.color=never",
        "dependency:copy",
        `-Dartifact=org.openapitools:openapi-generator-cli:${version}`,
        `-DoutputDirectory=${scratch}`,
      ],
      { encoding: "utf8" },
    );
    if (maven.status !== 0) {
      throw new Error(
        `mvn could not fetch org.openapitools:openapi-generator-cli:${version} from Maven Central:\n${maven.stdout}${maven.stderr}`,
      );
    }
    const fetched = join(scratch, `openapi-generator-cli-${version}.jar`);
    const actual = await sha256File(fetched);
    if (actual !== expected) {
      throw new Error(`openapi-generator-cli-${version}.jar from Maven has SHA-256 ${actual}, expected ${expected}; refusing to use it.`);
    }
    await mkdir(storageDir, { recursive: true });
    await copyFile(fetched, jarPath);
    return jarPath;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
