/**
 * The ecosystem suite (issue 17): packs every public package, installs the tarballs with
 * plain npm into one small project per runtime outside the workspace, runs the shared
 * scenario (fixtures/scenario.mjs) in each against an emulator started for it, checks the
 * README runtime tables against what ran, and proves it can fail (a broken tarball).
 *
 *   pnpm --filter @geminidb-sessions/ecosystem test               run, check the READMEs
 *   pnpm --filter @geminidb-sessions/ecosystem run update-readme  run, rewrite the README blocks
 *   ... test -- --only deno,bun                                   some runtimes (no README check)
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RuntimeOutcome, syncReadmes } from "./readme.js";
import { breakTarball, type EmulatorModule, loadEmulator, parseResult, type Runtime, runtimes } from "./runtimes.js";
import { cacheDir, createProject, ensureTools, packPublicPackages, run, tools } from "./setup.js";

const args = process.argv.slice(2);
const write = args.includes("--write");
const onlyArg = args[args.indexOf("--only") + 1];
const only = args.includes("--only") && onlyArg !== undefined ? new Set(onlyArg.split(",")) : undefined;
const keep = args.includes("--keep");

/** The suite's output: a CLI's, so it writes to stdout. */
function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

const timings: Record<string, number> = {};
async function timed<T>(name: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await body();
  } finally {
    timings[name] = Math.round(performance.now() - started) / 1000;
  }
}

/** Runs `body` over `items`, at most `limit` at a time (2 cores: installs and runtimes share them). */
async function pool<T, R>(items: T[], limit: number, body: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await body(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

/** What every runtime's run shares: the scratch dir, the tarballs, the tools, the host project and its emulator. */
interface Shared {
  work: string;
  tarballs: Map<string, string>;
  toolsDir: string;
  host: string;
  emulator: EmulatorModule;
}

async function runOne(runtime: Runtime, { work, tarballs, toolsDir, host, emulator }: Shared): Promise<RuntimeOutcome> {
  const started = performance.now();
  const skipped = runtime.unavailable?.(toolsDir, host);
  if (skipped !== undefined) return { id: runtime.id, label: runtime.label, skipped, steps: [], seconds: 0 };
  let steps: RuntimeOutcome["steps"];
  try {
    const project = await timed(`install ${runtime.id}`, () => createProject(work, { name: runtime.id, ...runtime.project }, tarballs));
    steps = await timed(`run ${runtime.id}`, () => runtime.run({ tools: toolsDir, project, emulator }));
  } catch (error) {
    steps = [{ step: "setup", flavour: runtime.id, outcome: "failed", detail: error instanceof Error ? error.message : String(error) }];
  }
  return { id: runtime.id, label: runtime.label, steps, seconds: Math.round(performance.now() - started) / 1000 };
}

/** The broken-tarball canary: the CommonJS project must fail with a client lacking its `require` condition. */
async function canary(work: string, tarballs: Map<string, string>): Promise<string | undefined> {
  const client = tarballs.get("@geminidb-sessions/client");
  if (client === undefined) return "no client tarball";
  const broken = new Map(tarballs).set("@geminidb-sessions/client", await breakTarball(client, work));
  const cjs = runtimes.find((r) => r.id === "node-cjs");
  if (cjs === undefined) return "no node-cjs runtime";
  const project = await createProject(work, { name: "canary-broken-exports", ...cjs.project }, broken);
  const steps = parseResult("node", await run(process.execPath, ["main.cjs"], { cwd: project, env: { ECOSYSTEM_TARGET: "{}" } }));
  const failure = steps.find((s) => s.outcome === "failed");
  if (failure === undefined) return "the CommonJS project passed with a client tarball missing its require condition";
  if (!/ERR_PACKAGE_PATH_NOT_EXPORTED|No "exports" main defined/.test(failure.detail ?? ""))
    return `it failed, but not on the missing condition: ${failure.detail}`;
  return undefined;
}

async function main(): Promise<number> {
  const suiteStarted = performance.now();
  // A scratch directory outside the workspace, as a user's machine would have.
  const work = await mkdtemp(join(tmpdir(), "geminidb-ecosystem-"));
  try {
    const { dir: toolsDir, installed } = await timed("tools (cache)", ensureTools);
    const tarballDir = join(work, "tarballs");
    await mkdir(tarballDir);
    const tarballs = await timed("pack", () => packPublicPackages(tarballDir));
    const selected = runtimes.filter((r) => only === undefined || only.has(r.id));
    // node-esm first: the host's emulator comes from its installed tarball.
    const first = runtimes.find((r) => r.id === "node-esm");
    if (first === undefined) throw new Error("no node-esm runtime");
    const hostProject = await timed("install host (node-esm)", () => createProject(work, { name: "host", ...first.project }, tarballs));
    const shared: Shared = { work, tarballs, toolsDir, host: hostProject, emulator: await loadEmulator(hostProject) };
    const [outcomes, canaryProblem] = await Promise.all([
      // The slowest runtime (TypeScript: three compilations) starts first; results keep the table's order.
      pool(
        [...selected].sort((a, b) => Number(b.id === "typescript") - Number(a.id === "typescript")),
        2,
        (runtime) => runOne(runtime, shared),
      ).then((done) => done.sort((a, b) => selected.findIndex((r) => r.id === a.id) - selected.findIndex((r) => r.id === b.id))),
      only === undefined ? timed("canary (broken tarball)", () => canary(work, tarballs)) : Promise.resolve(undefined),
    ]);

    let failed = false;
    for (const outcome of outcomes) {
      if (outcome.skipped !== undefined) {
        say(`${outcome.label}: skipped: ${outcome.skipped}`);
        continue;
      }
      say(`${outcome.label} (${outcome.seconds} s)`);
      for (const step of outcome.steps) {
        if (step.outcome === "failed") failed = true;
        const mark = step.outcome === "passed" ? "ok  " : step.outcome === "failed" ? "FAIL" : "skip";
        say(`  ${mark} ${step.flavour.padEnd(16)} ${step.step}${step.detail ? `: ${step.detail}` : ""}`);
      }
    }
    if (only === undefined) {
      say(
        canaryProblem === undefined
          ? "canary: a client tarball without its require condition makes the suite fail: ok"
          : `canary: FAIL: ${canaryProblem}`,
      );
      if (canaryProblem !== undefined) failed = true;
      const problems = await syncReadmes(outcomes, write);
      for (const problem of problems) say(`README: ${problem}`);
      if (problems.length > 0) {
        failed = true;
        if (!write)
          say("README: rewrite with `pnpm --filter @geminidb-sessions/ecosystem run update-readme` after a run where every runtime ran");
      }
    }
    timings.total = Math.round(performance.now() - suiteStarted) / 1000;
    const spent = Object.entries(timings).map(([k, v]) => `${k} ${v}`);
    say(`timings (s): ${spent.join(", ")}${installed ? " (tools installed this run)" : ""}`);
    await mkdir(cacheDir, { recursive: true });
    const lastRun = { date: new Date().toISOString(), tools, node: process.version, timings, outcomes };
    await writeFile(join(cacheDir, "last-run.json"), JSON.stringify(lastRun, null, 2));
    return failed ? 1 : 0;
  } finally {
    if (keep) say(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
