import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, specPath } from "../lib/repo.js";
import { applyBump, judgeBreakingRelease, mayBreak } from "../release/changesets.js";
import { specVersionMismatch, withSpecVersion } from "../release/spec-version.js";
import { findGoTool } from "../release/tools.js";
import { scratchRepo } from "./scratch-repo.js";

const run = promisify(execFile);
const fixtures = join(repoRoot, "scripts/test/fixtures");
const pair = (name: string) => join(fixtures, `spec-pairs/${name}.yaml`);
const changesetsFixture = (name: string) => join(fixtures, `changesets/${name}`);

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

describe("versioning rule (semver, 0.x included)", () => {
  it("a release may break only when it raises the first non-zero part of the version", () => {
    expect(mayBreak("1.4.2", "2.0.0")).toBe(true);
    expect(mayBreak("1.4.2", "1.5.0")).toBe(false);
    expect(mayBreak("0.3.4", "0.4.0")).toBe(true);
    expect(mayBreak("0.3.4", "0.3.5")).toBe(false);
    expect(mayBreak("0.3.4", "1.0.0")).toBe(true);
    expect(mayBreak("0.3.4", "0.3.4")).toBe(false);
  });

  it("applies a bump as changeset version does, and the first minor release of 0.0.0 is 0.1.0", () => {
    expect(applyBump("0.0.0", "minor")).toBe("0.1.0");
    expect(applyBump("0.1.0", "major")).toBe("1.0.0");
    expect(applyBump("1.2.3", "patch")).toBe("1.2.4");
    expect(applyBump("1.2.3", undefined)).toBe("1.2.3");
  });

  it("judges the same next version whether the bump is pending or already applied", () => {
    const pending = [{ file: "break.md", bumps: { "@geminidb-sessions/client": "major" } }];
    expect(judgeBreakingRelease("1.0.0", "1.0.0", pending)).toMatchObject({ next: "2.0.0", allowed: true });
    expect(judgeBreakingRelease("1.0.0", "2.0.0", [])).toMatchObject({ next: "2.0.0", allowed: true });
    expect(judgeBreakingRelease("1.0.0", "1.1.0", [])).toMatchObject({ next: "1.1.0", allowed: false });
  });
});

describe("spec info.version", () => {
  it("agrees with the packages' version in this repository", async () => {
    expect(await specVersionMismatch()).toBeUndefined();
  });

  it("is detected when it disagrees, and set in place by the release flow", async () => {
    const { dir, remove } = await scratchRepo("spec-version-");
    try {
      const file = join(dir, specPath);
      const text = await readFile(file, "utf8");
      await writeFile(file, withSpecVersion(text, "9.9.9"));
      expect(await specVersionMismatch(dir)).toMatchObject({ spec: "9.9.9" });
      const { stdout } = await run(process.execPath, [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/release/spec-version.ts"], {
        cwd: dir,
      });
      expect(stdout).toContain("info.version 9.9.9 →");
      expect(await specVersionMismatch(dir)).toBeUndefined();
      expect(await readFile(file, "utf8")).toBe(text);
    } finally {
      await remove();
    }
  }, 60_000);
});

const pairs = [
  { revision: "removed-response-field", check: "response-optional-property-removed", expected: "breaking" },
  { revision: "tightened-pattern", check: "request-parameter-pattern-changed", expected: "breaking" },
  { revision: "new-optional-header", check: "new-optional-request-parameter", expected: "non-breaking" },
  { revision: "catalog-code-removed", check: "error-catalog-code-removed", expected: "breaking" },
  { revision: "catalog-retryable-flipped", check: "error-catalog-retryable-changed", expected: "breaking" },
  { revision: "catalog-code-added", check: "error-catalog-code-added", expected: "non-breaking" },
] as const;

describe.skipIf(oasdiff.path === undefined)("pnpm spec:gate on fixture spec pairs", () => {
  for (const p of pairs) {
    for (const changesets of ["minor", "major"] as const) {
      const allowed = p.expected === "non-breaking" || changesets === "major";
      it(`${p.revision} is ${p.expected} (${p.check}); released 1.0.0, with a ${changesets} changeset it is ${allowed ? "allowed" : "refused"}`, async () => {
        const result = await gate(repoRoot, [
          ...["--base", pair("base"), "--spec", pair(p.revision)],
          ...["--changesets", changesetsFixture(changesets), "--version", "1.0.0"],
        ]);
        expect(result.output).toContain(`[${p.check}]`);
        expect(result.output).toContain(`class: ${p.expected}\n`);
        expect(result.code, result.output).toBe(allowed ? 0 : 1);
        if (!allowed) expect(result.output).toContain("FAIL: a breaking change needs a major release after 1.0.0");
        if (allowed && p.expected === "breaking") expect(result.output).toContain("allowed: 1.0.0 → 2.0.0 may break");
      });
    }
  }

  it("while 0.x a breaking change needs a minor bump (semver's 0.x rule): minor passes, patch fails", async () => {
    const args = (changesets: string) => [
      ...["--base", pair("base"), "--spec", pair("catalog-code-removed")],
      ...["--changesets", changesetsFixture(changesets), "--released", "0.3.0", "--version", "0.3.0"],
    ];
    const minor = await gate(repoRoot, args("minor"));
    expect(minor.output).toContain("allowed: 0.3.0 → 0.4.0 may break");
    expect(minor.code, minor.output).toBe(0);
    const patch = await gate(repoRoot, args("patch"));
    expect(patch.output).toContain(
      "FAIL: a breaking change needs a minor release after 0.3.0, but the packages would be released as 0.3.1",
    );
    expect(patch.code, patch.output).toBe(1);
  });

  it("refuses a changeset naming a package that does not exist, whatever the spec change", async () => {
    const result = await gate(repoRoot, [
      "--base",
      pair("base"),
      "--spec",
      pair("base"),
      "--changesets",
      changesetsFixture("unknown-package"),
    ]);
    expect(result.output).toContain('typo-in-name.md: "@geminidb-sessions/clinet" is not a package of this workspace');
    expect(result.output).not.toContain('"@geminidb-sessions/client" is not');
    expect(result.code, result.output).toBe(1);
  });

  it("refuses a version that is not semver, naming the option, before comparing anything", async () => {
    const result = await gate(repoRoot, ["--base", "no-such-ref", "--version", "1.0"]);
    expect(result.output).toContain('--version must be a semver version (major.minor.patch), not "1.0"');
    expect(result.output).not.toContain("no-such-ref");
    expect(result.code).toBe(2);
  });

  it("reports no change when the spec equals its base", async () => {
    const base = pair("base");
    const result = await gate(repoRoot, ["--base", base, "--spec", base, "--changesets", changesetsFixture("minor")]);
    expect(result.output).toContain("class: none\n");
    expect(result.code).toBe(0);
  });
});

describe.skipIf(oasdiff.path === undefined)("pnpm spec:gate against the last release's git tag, before and after changeset version", () => {
  let dir: string;
  let remove: () => Promise<void>;
  let released: string;
  const git = (args: string[]) =>
    run("git", ["-c", "user.name=gate-test", "-c", "user.email=gate-test@localhost", "-c", "commit.gpgsign=false", ...args], { cwd: dir });
  const changeset = (bump: string) =>
    writeFile(
      join(dir, ".changeset/tighten-instance-id.md"),
      `---\n"@geminidb-sessions/client": ${bump}\n---\n\nInstance IDs must end in in12.\n`,
    );

  beforeAll(async () => {
    ({ dir, remove } = await scratchRepo("spec-gate-"));
    await mkdir(join(dir, ".changeset"));
    await writeFile(join(dir, ".changeset/config.json"), await readFile(join(repoRoot, ".changeset/config.json")));
    await git(["init", "--quiet", "--initial-branch=main"]);
    await git(["add", "."]);
    await git(["commit", "--quiet", "--message", "release"]);
    released = (JSON.parse(await readFile(join(dir, "packages/client/package.json"), "utf8")) as { version: string }).version;
    // An older release, and the last one: the spec as it is now, released as the packages' version.
    await git(["tag", "@geminidb-sessions/spec@0.0.0-rc.1"]);
    await git(["tag", `@geminidb-sessions/spec@${released}`]);
    // Tighten the instance ID pattern the way tightened-pattern.yaml does, in the real spec.
    const spec = join(dir, specPath);
    const text = await readFile(spec, "utf8");
    const tightened = text.replace("in[0-9]{2}$", "in12$");
    expect(tightened).not.toBe(text);
    await writeFile(spec, tightened);
  }, 120_000);
  afterAll(() => remove());

  it("finds the newest spec tag, and refuses the breaking edit without a changeset", async () => {
    const result = await gate(dir, ["--from", "git-tag"]);
    expect(result.output).toContain(`against git tag @geminidb-sessions/spec@${released}`);
    expect(result.output).toContain("[request-parameter-pattern-changed]");
    expect(result.output).toContain("no pending changeset bumps them");
    expect(result.code, result.output).toBe(1);
  });

  it("refuses it with a patch changeset", async () => {
    await changeset("patch");
    const result = await gate(dir, ["--from", "git-tag"]);
    expect(result.code, result.output).toBe(1);
  });

  it("allows it with the bump the rule asks for, pending, and still after changeset version applied it", async () => {
    const needed = released.startsWith("0.") ? "minor" : "major";
    await changeset(needed);
    const before = await gate(dir, ["--from", "git-tag"]);
    expect(before.output).toContain(`pending ${needed} changeset(s) tighten-instance-id.md`);
    expect(before.code, before.output).toBe(0);

    await run(process.execPath, [join(repoRoot, "node_modules/@changesets/cli/bin.js"), "version"], { cwd: dir });
    const bumped = (JSON.parse(await readFile(join(dir, "packages/client/package.json"), "utf8")) as { version: string }).version;
    expect(bumped).not.toBe(released);
    await expect(readFile(join(dir, ".changeset/tighten-instance-id.md"))).rejects.toThrow();
    const after = await gate(dir, ["--from", "git-tag"]);
    expect(after.output).toContain(`allowed: ${released} → ${bumped} may break (the packages are already versioned ${bumped}`);
    expect(after.code, after.output).toBe(0);
    await rm(join(dir, "packages/client/CHANGELOG.md"), { force: true });
  }, 60_000);
});
