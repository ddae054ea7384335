import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../lib/repo.js";
import { findGoTool } from "../release/tools.js";
import { scratchRepo } from "./scratch-repo.js";

const run = promisify(execFile);
const fixtures = join(repoRoot, "scripts/test/fixtures");

const oasdiff = findGoTool("oasdiff");
if (oasdiff.missing) process.stdout.write(`skipped: ${oasdiff.missing}\n`);

/** Runs `pnpm spec:gate` (the script itself) in `cwd`, returning its exit code and output. */
async function gate(cwd: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), join(cwd, "scripts/release/breaking-change-gate.ts"), ...args],
      { cwd },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

const pairs = [
  { revision: "removed-response-field", check: "response-optional-property-removed", expected: "breaking" },
  { revision: "tightened-pattern", check: "request-parameter-pattern-changed", expected: "breaking" },
  { revision: "new-optional-header", check: "new-optional-request-parameter", expected: "non-breaking" },
] as const;

describe.skipIf(oasdiff.path === undefined)("pnpm spec:gate on fixture spec pairs", () => {
  for (const pair of pairs) {
    for (const changesets of ["minor", "major"] as const) {
      const allowed = pair.expected === "non-breaking" || changesets === "major";
      it(`${pair.revision} is ${pair.expected} (${pair.check}); with a ${changesets} changeset it is ${allowed ? "allowed" : "refused"}`, async () => {
        const result = await gate(repoRoot, [
          "--base",
          join(fixtures, "spec-pairs/base.yaml"),
          "--spec",
          join(fixtures, `spec-pairs/${pair.revision}.yaml`),
          "--changesets",
          join(fixtures, `changesets/${changesets}`),
        ]);
        expect(result.output).toContain(`[${pair.check}]`);
        expect(result.output).toContain(`class: ${pair.expected}\n`);
        expect(result.code, result.output).toBe(allowed ? 0 : 1);
        if (!allowed) expect(result.output).toContain("no pending changeset releases a major version");
        if (allowed && pair.expected === "breaking")
          expect(result.output).toContain("allowed: a major release is pending (remove-node-count.md)");
      });
    }
  }

  it("reports no change when the spec equals its base", async () => {
    const base = join(fixtures, "spec-pairs/base.yaml");
    const result = await gate(repoRoot, ["--base", base, "--spec", base, "--changesets", join(fixtures, "changesets/minor")]);
    expect(result.output).toContain("class: none\n");
    expect(result.code).toBe(0);
  });
});

describe.skipIf(oasdiff.path === undefined)("pnpm spec:gate against the last release's git tag", () => {
  let dir: string;
  let remove: () => Promise<void>;
  const git = (args: string[]) =>
    run("git", ["-c", "user.name=gate-test", "-c", "user.email=gate-test@localhost", "-c", "commit.gpgsign=false", ...args], { cwd: dir });

  beforeAll(async () => {
    ({ dir, remove } = await scratchRepo("spec-gate-"));
    await git(["init", "--quiet"]);
    await git(["add", "spec/openapi.yaml"]);
    await git(["commit", "--quiet", "--message", "release"]);
    await git(["tag", "@geminidb-sessions/spec@0.9.0"]);
    await git(["tag", "@geminidb-sessions/spec@0.10.0"]);
    // Tighten the instance ID pattern the way tightened-pattern.yaml does, in the real spec.
    const spec = join(dir, "spec/openapi.yaml");
    const text = await readFile(spec, "utf8");
    const tightened = text.replace("in[0-9]{2}$", "in12$");
    expect(tightened).not.toBe(text);
    await writeFile(spec, tightened);
  }, 120_000);
  afterAll(() => remove());

  it("finds the newest spec tag, and refuses the breaking edit without a major changeset", async () => {
    const result = await gate(dir, ["--from", "git-tag"]);
    expect(result.output).toContain("against git tag @geminidb-sessions/spec@0.10.0");
    expect(result.output).toContain("[request-parameter-pattern-changed]");
    expect(result.code, result.output).toBe(1);
  });

  it("allows it once .changeset/ holds a major changeset for the packages", async () => {
    await mkdir(join(dir, ".changeset"), { recursive: true });
    await writeFile(
      join(dir, ".changeset/tighten-instance-id.md"),
      '---\n"@geminidb-sessions/client": major\n---\n\nInstance IDs must end in in12.\n',
    );
    const result = await gate(dir, ["--from", "git-tag"]);
    expect(result.output).toContain("allowed: a major release is pending (tighten-instance-id.md)");
    expect(result.code, result.output).toBe(0);
  });
});
