import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectedSha256, generatorConfig } from "../lib/generator-jar.js";
import { repoRoot } from "../lib/repo.js";
import { publishedPackages } from "./workspace.js";

const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");

/** The command lines of the first fenced block under the README's "Quick start" heading. */
function quickStartCommands(readme: string): string[] {
  const section = readme.split(/^#+ *Quick start\s*$/im)[1] ?? "";
  const block = section.split(/^```.*$/m)[1] ?? "";
  return block
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

describe("repository layout", () => {
  it("has the top-level pieces the pipeline needs", () => {
    for (const path of [
      "spec/openapi.yaml",
      "scripts/generate.ts",
      "turbo.json",
      "pnpm-workspace.yaml",
      "package.json",
      ".changeset/config.json",
      "README.md",
      ".ci/run",
      "pnpm-lock.yaml",
      "openapitools.json",
    ]) {
      expect(existsSync(join(repoRoot, path)), path).toBe(true);
    }
    expect(JSON.parse(read("package.json")).private).toBe(true);
  });

  it("creates the scoped packages, each with its public surface in src/index.ts", async () => {
    const names = (await publishedPackages()).map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "@geminidb-sessions/core",
        "@geminidb-sessions/client",
        "@geminidb-sessions/typescript-fetch",
        "@geminidb-sessions/validation",
        "@geminidb-sessions/spec",
      ]),
    );
    for (const pkg of await publishedPackages()) expect(existsSync(join(pkg.dir, "src/index.ts")), pkg.name).toBe(true);
  });

  it("every published manifest is dual-format, types first, side-effect free, Node 20+", async () => {
    for (const { name, manifest } of await publishedPackages()) {
      expect(name).toMatch(/^@geminidb-sessions\//);
      expect(manifest.type, name).toBe("module");
      // Side-effect free, except an entry that only installs a runtime's default transport (core's `node` condition).
      const sideEffects = manifest.sideEffects as unknown;
      const onlyNodeEntry = Array.isArray(sideEffects) && sideEffects.every((file) => /^\.\/dist\/index\.node\.c?js$/.test(String(file)));
      expect(sideEffects === false || onlyNodeEntry, `${name}: sideEffects ${JSON.stringify(sideEffects)}`).toBe(true);
      expect(manifest.engines?.node, name).toBe(">=20");
      expect(manifest.files, name).toContain("dist");
      expect(manifest.publishConfig?.access, name).toBe("public");
      const root = manifest.exports["."] ?? {};
      for (const condition of ["import", "require"]) {
        expect(Object.keys(root[condition] ?? {})[0], `${name} exports["."].${condition}`).toBe("types");
      }
    }
  });

  it("pins the openapi-generator version and commits the JAR's checksum", async () => {
    const { version } = await generatorConfig();
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await expectedSha256(version)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("changesets", () => {
  const config = JSON.parse(read(".changeset/config.json"));

  it("publishes publicly from main", () => {
    expect(config.access).toBe("public");
    expect(config.baseBranch).toBe("main");
  });

  it("releases every published package in one fixed group", async () => {
    expect(config.fixed).toHaveLength(1);
    const [group] = config.fixed as string[][];
    const matches = (name: string) =>
      (group ?? []).some((pattern) => (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
    for (const { name } of await publishedPackages()) expect(matches(name), name).toBe(true);
  });
});

describe("README Quick start", () => {
  const commands = quickStartCommands(read("README.md"));

  it("holds exactly two command lines, neither needing a global pnpm or corepack", () => {
    expect(commands).toHaveLength(2);
    for (const command of commands) {
      expect(command).not.toMatch(/corepack/);
      expect(command).not.toMatch(/(^|&&\s*)pnpm /);
    }
  });

  it(".ci/run runs both commands exactly as written", () => {
    const ci = read(".ci/run");
    for (const command of commands) expect(ci).toContain(command);
  });
});
