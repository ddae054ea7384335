import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../lib/repo.js";
import { runGate } from "../release/breaking-change-gate.js";
import { reviewMarkdown, reviewText } from "../release/spec-diff.js";
import { findGoTool } from "../release/tools.js";
import { scratchRepo } from "./scratch-repo.js";

const run = promisify(execFile);
const fixtures = join(repoRoot, "scripts/test/fixtures");

const oasdiff = findGoTool("oasdiff");
if (oasdiff.missing) process.stdout.write(`skipped: ${oasdiff.missing}\n`);

/** A new optional request header, added to the operation's path-level parameters. */
const optionalHeader = `      - name: X-Client-Trace
        in: header
        required: false
        description: A caller-chosen trace ID, echoed in logs.
        schema:
          type: string
          maxLength: 64
`;

describe.skipIf(oasdiff.path === undefined)("the job summary of a spec change, from fixture spec pairs", () => {
  const stat = " packages/client/src/generated/schema.gen.ts | 4 ++--\n 1 file changed, 2 insertions(+), 2 deletions(-)\n";
  const apiDiff = '--- a/packages/validation/etc/validation.api.md\n+++ b/packages/validation/etc/validation.api.md\n-    | "DBS.200019"\n';
  const review = async (changesets: string) => {
    const gate = await runGate({
      base: join(fixtures, "spec-pairs/base.yaml"),
      spec: join(fixtures, "spec-pairs/mixed.yaml"),
      changesets: join(fixtures, `changesets/${changesets}`),
      version: "1.0.0",
    });
    return { ref: "main", gate, stat, apiDiff, generatorsChanged: false };
  };

  it("lists the spec changes most severe first, with the class and that the pending changesets do not allow it", async () => {
    const markdown = reviewMarkdown(await review("minor"));
    expect(markdown).toContain("## Spec review: `spec/openapi.yaml` at `main` → this change");
    expect(markdown).toContain("**Breaking-change class: breaking** · ❌ FAIL: a breaking change needs a major release after 1.0.0");
    expect(markdown).toContain("the pending bump is minor (add-trace-header.md)");
    const rows = markdown.split("\n").filter((line) => /^\| (error|warning|info) \|/.test(line));
    expect(rows.map((row) => row.split(" | ")[1])).toEqual([
      "`error-catalog-code-removed`",
      "`request-parameter-pattern-changed`",
      "`new-optional-request-parameter`",
    ]);
    expect(rows[0]).toMatch(/^\| error \|/);
    expect(rows[1]).toMatch(/^\| warning \|/);
    expect(rows[2]).toMatch(/^\| info \|/);
  });

  it("says a major changeset allows it, and shows the generated-code stat and the public-API report diff", async () => {
    const markdown = reviewMarkdown(await review("major"));
    expect(markdown).toContain("· ✅ allowed: 1.0.0 → 2.0.0 may break (pending major changeset(s) remove-node-count.md");
    expect(markdown).toContain(`### Generated code\n\n\`\`\`\n${stat.trimEnd()}\n\`\`\``);
    expect(markdown).toContain(`### Public API (API Extractor reports)\n\n\`\`\`\`\`diff\n${apiDiff.trimEnd()}\n\`\`\`\`\``);
    // A pipe inside a change's text (a pattern like `^(a|b)$`) must not break the table.
    const piped = await review("major");
    piped.gate.changes = [{ id: "request-parameter-pattern-changed", level: 2, text: "changed the pattern to `^(a|b)$`" }];
    const row = reviewMarkdown(piped)
      .split("\n")
      .find((line) => line.startsWith("| warning"));
    expect(row?.split(/(?<!\\)\|/)).toHaveLength(6);
  });

  it("prints the same facts as text for pnpm spec:diff", async () => {
    const text = reviewText(await review("minor")).join("\n");
    expect(text).toContain("3 change(s): 1 error, 1 warning, 1 info");
    expect(text.indexOf("[error-catalog-code-removed]")).toBeLessThan(text.indexOf("[new-optional-request-parameter]"));
    expect(text).toContain("Pending changesets: FAIL: a breaking change needs a major release after 1.0.0");
    expect(text).toContain('-    | "DBS.200019"');
  });
});

describe.skipIf(oasdiff.path === undefined)("pnpm spec:diff <git-ref> --summary, in a scratch repository", () => {
  let dir: string;
  let remove: () => Promise<void>;
  let output: string;
  let summary: string;
  let summaryDir: string;

  beforeAll(async () => {
    ({ dir, remove } = await scratchRepo("spec-diff-"));
    summaryDir = await mkdtemp(join(tmpdir(), "step-summary-"));
    const git = (args: string[]) =>
      run("git", ["-c", "user.name=spec-diff-test", "-c", "user.email=spec-diff-test@localhost", "-c", "commit.gpgsign=false", ...args], {
        cwd: dir,
      });
    // HEAD of the scratch repository: the spec, the generated code and the API reports as they are now.
    await git(["init", "--quiet"]);
    await git(["add", "spec", "packages/*/package.json", ":(glob)packages/*/src/generated/**", ":(glob)packages/*/etc/*.api.md"]);
    await git(["commit", "--quiet", "--message", "base"]);

    // The pull request: a new optional header, one error code removed, and the API report that records it.
    const spec = join(dir, "spec/openapi.yaml");
    const text = await readFile(spec, "utf8");
    const anchor = "      - $ref: '#/components/parameters/InstanceId'\n";
    expect(text).toContain(anchor);
    const entry = /^ {2}DBS\.200019:\n(?: {4}.*\n)+/m;
    expect(text).toMatch(entry);
    await writeFile(spec, text.replace(anchor, `${anchor}${optionalHeader}`).replace(entry, ""));
    const report = join(dir, "packages/validation/etc/validation.api.md");
    const reportText = await readFile(report, "utf8");
    expect(reportText).toContain('"DBS.200019"');
    await writeFile(report, reportText.replace(/^.*"DBS\.200019".*\n/m, ""));

    const summaryFile = join(summaryDir, "summary.md");
    const { stdout } = await run(
      process.execPath,
      [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/release/spec-diff.ts", "HEAD", "--summary"],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GITHUB_STEP_SUMMARY: summaryFile } },
    );
    output = stdout;
    summary = await readFile(summaryFile, "utf8");
  }, 300_000);
  afterAll(async () => {
    await remove();
    await rm(summaryDir, { recursive: true, force: true });
  });

  it("summarizes the spec change most severe first and classifies it", () => {
    expect(output).toContain("Spec changes: spec/openapi.yaml at HEAD → working tree");
    expect(output).toMatch(/\[new-optional-request-parameter\] added the new optional `header` request parameter `x-client-trace`/);
    expect(output.indexOf("[error-catalog-code-removed]")).toBeLessThan(output.indexOf("[new-optional-request-parameter]"));
    expect(output).toContain("Breaking-change class: breaking");
    expect(output).toMatch(/Pending changesets: FAIL: a breaking change needs a (minor|major) release/);
  });

  it("shows the stat of the generated code the change causes", () => {
    const stat = output.split("Generated code")[1] ?? "";
    expect(stat).toContain("packages/client/src/generated/schema.gen.ts");
    expect(stat).toMatch(/\d+ files? changed/);
  });

  it("shows the public-API report diff", () => {
    expect(output).toContain("Public API (packages/*/etc/*.api.md, committed at HEAD → working tree):");
    expect(output).toMatch(/^-.*"DBS\.200019"/m);
  });

  it("writes the Markdown review to $GITHUB_STEP_SUMMARY", () => {
    expect(output).toContain("summary: written to $GITHUB_STEP_SUMMARY");
    expect(summary).toContain("**Breaking-change class: breaking** · ❌");
    expect(summary).toMatch(/\| error \| `error-catalog-code-removed` \| removed the error code `DBS\.200019`/);
    expect(summary).toContain("packages/client/src/generated/schema.gen.ts");
    expect(summary).toMatch(/`````diff\n[\s\S]*-.*"DBS\.200019"[\s\S]*`````/);
  });
});

describe("the commands README and DEVELOPERS.md tell reviewers and releasers to run", () => {
  /** pnpm commands that are pnpm's own, not scripts of ours. */
  const builtins = new Set(["install", "add", "exec", "dlx", "run", "test", "why", "list"]);

  it("are root scripts (so `pnpm docs`, pnpm's own command, is never what they say)", async () => {
    const { scripts } = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(scripts["docs:build"]).toContain("scripts/release/build-docs.ts");
    expect(scripts.docs).toBeUndefined();
    for (const file of ["README.md", "DEVELOPERS.md", ".changeset/README.md"]) {
      const text = await readFile(join(repoRoot, file), "utf8");
      // Commands: inline code spans and lines of code blocks that start with (npx --yes) pnpm.
      const named = [...text.matchAll(/(?:^|`)(?:npx --yes )?pnpm(?:@[\d.]+)? (?:run )?([a-z][\w:-]*)/gm)].map((m) => m[1] ?? "");
      expect(named.length, file).toBeGreaterThan(0);
      for (const name of named) {
        if (builtins.has(name)) continue;
        expect(scripts[name], `${file} names \`pnpm ${name}\``).toBeDefined();
      }
    }
  });

  it("say where oasdiff comes from wherever spec:diff or spec:gate is documented", async () => {
    for (const file of ["README.md", "DEVELOPERS.md"]) {
      expect(await readFile(join(repoRoot, file), "utf8"), file).toContain("tools:go");
    }
  });
});
