import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../lib/repo.js";
import { findGoTool } from "../release/tools.js";

const run = promisify(execFile);
const workflowFiles = [".github/workflows/ci.yml", ".github/workflows/release.yml"];

const actionlint = findGoTool("actionlint");
if (actionlint.missing) process.stdout.write(`skipped: ${actionlint.missing}\n`);

type Permissions = Record<string, string> | string | undefined;
interface Step {
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  permissions?: Permissions;
  steps: Step[];
  if?: string;
  needs?: string | string[];
}
interface Workflow {
  permissions?: Permissions;
  jobs: Record<string, Job>;
}

const read = (file: string) => readFile(join(repoRoot, file), "utf8");
const load = async (file: string) => parse(await read(file)) as Workflow;
const grants = (permissions: Permissions, scope: string) => typeof permissions === "object" && permissions[scope] === "write";
const runs = (job: Job) => job.steps.map((step) => step.run ?? "").join("\n");
const stepUsing = (job: Job, action: string) => job.steps.find((step) => step.uses?.startsWith(`${action}@`));

describe("GitHub Actions workflows", () => {
  it.skipIf(actionlint.path === undefined)("pass actionlint", async () => {
    const result = await run(actionlint.path as string, ["-no-color", ...workflowFiles], { cwd: repoRoot }).catch(
      (error: { stdout: string; stderr: string }) => ({ stdout: error.stdout, stderr: error.stderr, failed: true }),
    );
    expect("failed" in result ? `${result.stdout}${result.stderr}` : "").toBe("");
  });

  it("pin every action to a commit SHA, or to a tag with a comment saying why", async () => {
    for (const file of workflowFiles) {
      const lines = (await read(file)).split("\n");
      lines.forEach((line, index) => {
        const ref = /^\s*(?:-\s*)?uses:\s*([^\s#]+)/.exec(line)?.[1];
        if (ref === undefined || ref.startsWith("./")) return;
        const sha = /@[0-9a-f]{40}$/.test(ref);
        const explained = /#/.test(line) || /^\s*#/.test(lines[index - 1] ?? "");
        expect(sha ? /#\s*v\d/.test(line) : explained, `${file}:${index + 1} ${ref}`).toBe(true);
      });
    }
  });

  it("release.yml grants nothing by default and id-token: write only to the job that publishes", async () => {
    const release = await load(".github/workflows/release.yml");
    expect(release.permissions).toEqual({});
    const publishing = Object.entries(release.jobs).filter(([, job]) =>
      job.steps.some((step) => String(step.with?.publish ?? "").includes("release:publish")),
    );
    expect(publishing.map(([name]) => name)).toEqual(["publish"]);
    for (const [name, job] of Object.entries(release.jobs)) {
      expect(grants(job.permissions, "id-token"), `${name} id-token`).toBe(name === "publish");
      expect(job.permissions, `${name} declares its own permissions`).toBeTypeOf("object");
    }
    const publish = release.jobs.publish as Job;
    expect(Object.keys(publish.permissions as Record<string, string>).sort()).toEqual(["contents", "id-token"]);
    expect(publish.if).toContain("needs.version.outputs.pending == 'false'");
    const publishStep = stepUsing(publish, "changesets/action");
    expect(publishStep?.env?.NPM_CONFIG_PROVENANCE).toBe(true);
    expect(stepUsing(publish, "actions/setup-node")?.with?.["registry-url"]).toBe("https://registry.npmjs.org");
  });

  it("release.yml versions through changesets/action and gates breaking spec changes first", async () => {
    const version = (await load(".github/workflows/release.yml")).jobs.version as Job;
    expect(stepUsing(version, "changesets/action")?.with?.version).toContain("release:version");
    expect(grants(version.permissions, "pull-requests")).toBe(true);
    const steps = version.steps.map((step) => step.run ?? step.uses ?? "");
    const gate = steps.findIndex((s) => s.includes("spec:gate"));
    const action = steps.findIndex((s) => s.startsWith("changesets/action@"));
    expect(gate).toBeGreaterThan(-1);
    expect(gate).toBeLessThan(action);
  });

  it("release.yml's version job can run release:version, which regenerates the code and the API reports (JDK 17 for openapi-generator)", async () => {
    const manifest = JSON.parse(await read("package.json")) as { scripts: Record<string, string> };
    // The new version reaches the spec, the generated code and the API reports (the spec package's
    // report holds info.version), so the "Version Packages" pull request passes generate:check and api:check.
    expect(manifest.scripts["release:version"]).toMatch(/changeset version && .*spec-version\.ts && pnpm generate && pnpm api:report/);
    const version = (await load(".github/workflows/release.yml")).jobs.version as Job;
    expect(String(stepUsing(version, "actions/setup-java")?.with?.["java-version"])).toBe("17");
  });

  it("ci.yml writes the spec review to the job summary of a pull request, base ref passed through the environment", async () => {
    const check = (await load(".github/workflows/ci.yml")).jobs.check as Job;
    const step = check.steps.find((s) => s.run?.includes("run spec:diff"));
    expect(step?.if).toBe("github.event_name == 'pull_request'");
    expect(step?.run).toContain('spec:diff "origin/$BASE_REF" --summary');
    expect(step?.env?.BASE_REF).toBe(["$", "{{ github.base_ref }}"].join(""));
    const steps = check.steps.map((s) => s.run ?? "");
    const install = steps.findIndex((s) => s.includes("install --frozen-lockfile"));
    expect(steps.indexOf(step?.run ?? "")).toBeGreaterThan(install);
  });

  it("ci.yml is read-only and runs install, generate:check, lint, build, typecheck and test on Node 20 and JDK 17", async () => {
    const ci = await load(".github/workflows/ci.yml");
    expect(ci.permissions).toEqual({ contents: "read" });
    for (const [name, job] of Object.entries(ci.jobs)) {
      for (const scope of ["contents", "id-token", "pull-requests", "packages"])
        expect(grants(job.permissions, scope), `${name} ${scope}`).toBe(false);
      expect(String(stepUsing(job, "actions/setup-node")?.with?.["node-version"])).toBe("20");
      expect(String(stepUsing(job, "actions/setup-java")?.with?.["java-version"])).toBe("17");
      const commands = runs(job);
      const order = [
        "install --frozen-lockfile",
        "run generate:check",
        "run lint",
        "run build",
        "run typecheck",
        "pnpm@10.34.9 test",
        "run spec:gate",
      ].map((command) => commands.indexOf(command));
      expect(
        order.every((position) => position >= 0),
        `${name} runs every command`,
      ).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    }
  });
});
