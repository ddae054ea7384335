import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { repoRoot, tempDir } from "../lib/paths.js";
import { formatNumber, type Row, row, type Section, type TargetCheck, targetRow } from "../lib/report.js";
import { npxPnpm, runOk } from "../lib/run.js";
import { median } from "../lib/stats.js";

const CACHED_TARGET_S = 3;
const loadAverage = () => loadavg()[0] ?? Number.NaN;
const COLD_TARGET_S = 15;

export interface PipelineSettings {
  coldRuns: number;
  changedRuns: number;
}

interface Build {
  seconds: number;
  /** What turbo says it took (its own "Time:" line), without npx's and pnpm's start-up. */
  turboSeconds: number;
  cached: number;
  tasks: number;
  /** CPU seconds (user + system) of the whole build, every process it started included: less sensitive to the machine's load than the wall clock. */
  cpuSeconds: number;
  /** Whether `scripts/generate-if-stale.mjs` regenerated (it prints `generate: N files, …`). */
  generated: boolean;
}

/** CPU seconds of this process's waited-for children and their descendants (Linux: /proc/self/stat cutime + cstime). */
function childrenCpuSeconds(): number {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 16 and 17 of stat(5) (cutime, cstime) are at 13 and 14 after the command name, in clock ticks of 1/100 s.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The README's command, exactly: `npx pnpm@10.34.9 build` (npx's start-up is part of what a developer waits for). */
async function timedBuild(dir: string): Promise<Build> {
  const cpuBefore = childrenCpuSeconds();
  const { ms, stdout } = await runOk(npxPnpm.command, [...npxPnpm.args, "build"], {
    cwd: dir,
    timeoutMs: 600_000,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" },
  });
  const time = /Time:\s+(?:(\d+)m)?([\d.]+)(m?s)/.exec(stdout);
  const turboSeconds = time ? Number(time[1] ?? 0) * 60 + Number(time[2]) / (time[3] === "ms" ? 1000 : 1) : Number.NaN;
  const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(stdout);
  return {
    seconds: ms / 1000,
    turboSeconds,
    cached: Number(cached?.[1] ?? Number.NaN),
    tasks: Number(cached?.[2] ?? Number.NaN),
    cpuSeconds: childrenCpuSeconds() - cpuBefore,
    generated: /generate: \d+ files/.test(stdout),
  };
}

/**
 * Clones the committed HEAD into a temp dir, installs from the pnpm store
 * (--frozen-lockfile, --offline first), then times builds there: cold (clean clone,
 * no turbo cache, no dist), after a one-line change to the spec's `info.description`,
 * and fully cached.
 */
export async function pipelineSection(settings: PipelineSettings): Promise<Section> {
  const dir = tempDir("clone");
  const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
  await runOk("git", ["clone", "--quiet", "--no-hardlinks", repoRoot, dir], { timeoutMs: 120_000 });
  const install = [...npxPnpm.args, "install", "--frozen-lockfile"];
  let installedOffline = true;
  try {
    await runOk(npxPnpm.command, [...install, "--offline"], { cwd: dir, timeoutMs: 600_000 });
  } catch {
    installedOffline = false;
    await runOk(npxPnpm.command, install, { cwd: dir, timeoutMs: 600_000 });
  }

  // A clean clone's first build regenerates nothing (the generated code is committed),
  // so the build right after it is a full cache hit: cold and cached runs alternate.
  const cold: Build[] = [];
  const cached: Build[] = [];
  for (let run = 0; run < settings.coldRuns; run++) {
    // Back to "a clean clone after install": every ignored file but node_modules goes (dist, .turbo, the generator JAR cache).
    await runOk("git", ["clean", "-fdxq", "-e", "node_modules"], { cwd: dir });
    cold.push(await timedBuild(dir));
    cached.push(await timedBuild(dir));
  }

  // Each changed run rewrites the first line of the spec's description (new text each
  // time, so always a cache miss) and rebuilds.
  const specPath = join(dir, "spec", "openapi.yaml");
  const lines = readFileSync(specPath, "utf8").split("\n");
  const descriptionLine = lines.findIndex((line) => /^ {2}description: \|$/.test(line));
  if (descriptionLine < 0) throw new Error("spec/openapi.yaml has no `  description: |` block under info");
  const firstLine = lines[descriptionLine + 1] as string;
  const changed: Build[] = [];
  for (let run = 0; run < settings.changedRuns; run++) {
    lines[descriptionLine + 1] = `${firstLine} (Benchmark edit ${run}.)`;
    writeFileSync(specPath, lines.join("\n"));
    changed.push(await timedBuild(dir));
  }
  // The next build, nothing edited since: it should be all hits.
  const next = await timedBuild(dir);
  const { ms: npxMs } = await runOk(npxPnpm.command, [...npxPnpm.args, "--version"], { cwd: dir });

  const pick = (builds: Build[], figure: "seconds" | "cpuSeconds" | "turboSeconds") => builds.map((build) => build[figure]);
  const seconds = (builds: Build[]) => pick(builds, "seconds");
  const ran = (builds: Build[]) => {
    const counts = builds.map((b) => b.tasks - b.cached);
    const range = Math.min(...counts) === Math.max(...counts) ? `${counts[0]}` : `${Math.min(...counts)}–${Math.max(...counts)}`;
    return `${range} of ${builds[0]?.tasks ?? "?"} tasks ran`;
  };
  const regenerated = (builds: Build[]) => {
    const count = builds.filter((b) => b.generated).length;
    return count === 0
      ? "; nothing regenerated"
      : count === builds.length
        ? "; regenerated"
        : `; regenerated in ${count} of ${builds.length}`;
  };
  const rows: Row[] = [
    row(`cold \`pnpm build\` in a clean clone (${ran(cold)}${regenerated(cold)})`, "s", seconds(cold)),
    row("… its CPU time (user + system, every process it started)", "s CPU", pick(cold, "cpuSeconds")),
    row(`fully cached rebuild, right after a cold build (${ran(cached)})`, "s", seconds(cached), 2),
    row("… of which turbo itself (its `Time:` line)", "s", pick(cached, "turboSeconds"), 2),
    row("… for comparison: `npx pnpm@10.34.9 --version` alone", "s", [npxMs / 1000], 2),
    row(`rebuild after a one-line change to the spec's description (${ran(changed)}${regenerated(changed)})`, "s", seconds(changed)),
    row("… its CPU time (user + system)", "s CPU", pick(changed, "cpuSeconds")),
    row(`the next \`pnpm build\` after that, nothing edited (${ran([next])})`, "s", [next.seconds]),
  ];
  const notes: string[] = [];
  const rerun = next.tasks - next.cached;
  if (rerun > 0) notes.push(`After a spec change, the next build was not all cache hits: ${ran([next])} again.`);
  const changedRan = changed.map((b) => b.tasks - b.cached);
  const cachedMedian = median(seconds(cached));
  const cachedMisses = Math.max(...cached.map((b) => b.tasks - b.cached));
  const coldMedian = median(seconds(cold));
  const coldCpu = formatNumber(median(pick(cold, "cpuSeconds")), 1);
  const turboShare = formatNumber(median(pick(cached, "turboSeconds")), 2);
  const targets: TargetCheck[] = [
    targetRow(
      `cold \`pnpm build\` in a clean clone ≤ ${COLD_TARGET_S} s`,
      `${formatNumber(coldMedian, 1)} s (${coldCpu} s of CPU${regenerated(cold)})`,
      coldMedian <= COLD_TARGET_S,
      coldMedian <= COLD_TARGET_S
        ? undefined
        : `the package builds themselves (${ran(cold)}): each is a tsup process (its start-up, esbuild ESM + CJS, then tsup.base.ts loading TypeScript to write the declarations file by file), all seven side by side, plus npx's own start-up; ${coldCpu} s of CPU on a 2-core machine under a load of ${formatNumber(loadAverage(), 1)}`,
    ),
    targetRow(
      "builds after a spec change until all cached: 1, and only the tasks whose inputs changed",
      `${rerun === 0 ? "1" : "2 or more"} (${changedRan.length > 0 ? `${Math.min(...changedRan)}–${Math.max(...changedRan)}` : "?"} of ${changed[0]?.tasks ?? "?"} tasks ran after the change, then ${rerun})`,
      rerun === 0 && changedRan.every((count) => count < (changed[0]?.tasks ?? 0)),
      rerun === 0 ? undefined : `the build after the rebuild ran ${rerun} tasks again`,
    ),
    targetRow(
      `cached rebuild ≤ ${CACHED_TARGET_S} s`,
      `${formatNumber(cachedMedian, 2)} s (turbo's own share ${turboShare} s)`,
      cachedMedian <= CACHED_TARGET_S,
      cachedMedian <= CACHED_TARGET_S
        ? undefined
        : cachedMisses > 0
          ? `cache misses: up to ${cachedMisses} of ${cached[0]?.tasks} tasks ran`
          : `start-up, not building: every task was a cache hit, turbo's own share is ${turboShare} s, and \`npx pnpm@10.34.9 --version\` alone takes ${formatNumber(npxMs / 1000, 2)} s`,
    ),
  ];
  return {
    title: "5. Pipeline",
    method: [
      `A \`git clone\` of the committed HEAD (${head}) in a temp dir, installed with \`pnpm install --frozen-lockfile${installedOffline ? " --offline" : ""}\` (not timed). Each figure times the README's \`npx pnpm@10.34.9 build\` from spawn to exit, npx's own start-up included; its CPU time is that of every process it started (Linux \`/proc/self/stat\` cutime + cstime), less sensitive to other load than the wall clock. \`pnpm build\` first runs \`scripts/generate-if-stale.mjs\` (regenerates only when the spec or the generators changed since \`scripts/generated-stamp.json\`), then turbo.`,
      `Cold: \`git clean -fdx\` (all but node_modules: dist, .turbo cache, the generator JAR copy) before each of ${settings.coldRuns} runs, so each is a clean clone after install; each is followed by a fully cached rebuild. Then ${settings.changedRuns} changed runs: the first line of \`info.description\` gets new text (a one-line change, a cache miss every time) and is rebuilt; then one more build with nothing edited.`,
    ],
    rows,
    notes,
    targets,
  };
}
