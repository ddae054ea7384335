import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../lib/repo.js";
import { publishedPackages } from "./workspace.js";

const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");
/** Files git tracks under `dir` (what a fresh clone has before any build). */
const tracked = (dir: string) => execFileSync("git", ["ls-files", dir], { cwd: repoRoot, encoding: "utf8" }).split("\n").filter(Boolean);

describe("package metadata (what npm shows and ships)", () => {
  it("has the Apache-2.0 text at the root and in every published package, listed in `files`", async () => {
    const license = read("LICENSE");
    expect(license).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain("END OF TERMS AND CONDITIONS");
    for (const { name, dir, manifest } of await publishedPackages()) {
      expect(manifest.files, name).toContain("LICENSE");
      expect(readFileSync(join(dir, "LICENSE"), "utf8"), name).toBe(license);
      expect((manifest as { license?: string }).license, name).toBe("Apache-2.0");
    }
  });

  it("gives every published package keywords and a README", async () => {
    for (const { name, dir, manifest } of await publishedPackages()) {
      const keywords = (manifest as { keywords?: string[] }).keywords ?? [];
      expect(keywords.length, name).toBeGreaterThanOrEqual(3);
      expect(keywords, name).toContain("geminidb");
      expect(existsSync(join(dir, "README.md")), `${name} README.md`).toBe(true);
    }
  });

  it("says in every package README that the packages are not on npm yet", async () => {
    for (const { name, dir } of await publishedPackages()) {
      const readme = readFileSync(join(dir, "README.md"), "utf8");
      // A bare `npm install @geminidb-sessions/...` command line would fail (or worse, resolve someone else's package).
      expect(readme, name).not.toMatch(/^\s*npm (install|i) [^\n]*@geminidb-sessions\//m);
      if (/npm install/.test(readme)) expect(readme, name).toMatch(/not published yet/i);
    }
  });

  it("depends on openapi-fetch by a caret range that holds the version the tests run against", () => {
    const client = JSON.parse(read("packages/client/package.json"));
    const range: string = client.dependencies["openapi-fetch"];
    expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
    const installed = JSON.parse(read("packages/client/node_modules/openapi-fetch/package.json")).version as string;
    expect(installed).toBe(range.slice(1));
  });

  it("points every bin at a committed file, so pnpm can link it before anything is built", async () => {
    for (const { name, dir } of await publishedPackages()) {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { bin?: Record<string, string> };
      if (name === "@geminidb-sessions/cli") continue; // no workspace package depends on the CLI, so pnpm never links its bin
      for (const target of Object.values(manifest.bin ?? {})) {
        const relative = join(dir, target).slice(repoRoot.length + 1);
        expect(tracked(relative), `${name} bin ${target}`).toEqual([relative]);
      }
    }
  });

  it("lists every published package in the root README's package table", async () => {
    const readme = read("README.md");
    for (const { name } of await publishedPackages()) expect(readme, name).toContain(`[\`${name}\`]`);
  });
});
