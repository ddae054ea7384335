import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../../scripts/lib/repo.js";

const run = promisify(execFile);

/** The CLI's JS entry in this repository's node_modules, never a global install. */
const redoclyCli = join(repoRoot, "node_modules/@redocly/cli/bin/cli.js");
const redoclyConfig = join(repoRoot, "redocly.yaml");

export interface LintProblem {
  ruleId: string;
  severity: "error" | "warn";
  message: string;
  pointer: string;
}

export interface LintResult {
  exitCode: number;
  totals: { errors: number; warnings: number };
  problems: LintProblem[];
  /** stderr without Redocly's Node.js 20 deprecation banner. */
  stderr: string;
  stdout: string;
}

interface RawProblem {
  ruleId: string;
  severity: "error" | "warn";
  message: string;
  location: Array<{ pointer: string }>;
}

/** The banner is drawn with box characters; it says nothing about the spec. */
function withoutBanner(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !/[║╔╚]/.test(line))
    .join("\n")
    .trim();
}

async function runRedocly(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const options = { cwd: repoRoot, env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" }, maxBuffer: 16 * 1024 * 1024 };
  try {
    const { stdout, stderr } = await run(process.execPath, [redoclyCli, ...args], options);
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw error;
    return { exitCode: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** Lints one spec file with the repository's redocly.yaml, as `pnpm lint:spec` does, reading the JSON report. */
export async function lintSpec(file: string): Promise<LintResult> {
  const { exitCode, stdout, stderr } = await runRedocly(["lint", file, "--config", redoclyConfig, "--format", "json"]);
  let report: { totals: { errors: number; warnings: number }; problems: RawProblem[] };
  try {
    report = JSON.parse(stdout);
  } catch {
    throw new Error(`redocly printed no JSON report (exit ${exitCode}):\n${stdout}\n${stderr}`);
  }
  const problems = report.problems.map((p) => ({
    ruleId: p.ruleId,
    severity: p.severity,
    message: p.message,
    pointer: p.location[0]?.pointer ?? "",
  }));
  return { exitCode, totals: report.totals, problems, stderr: withoutBanner(stderr), stdout };
}

/** Lints one spec file and returns the human-readable report (the default format). */
export async function lintSpecText(file: string): Promise<{ exitCode: number; output: string }> {
  const { exitCode, stdout, stderr } = await runRedocly(["lint", file, "--config", redoclyConfig]);
  return { exitCode, output: `${stdout}\n${withoutBanner(stderr)}` };
}
