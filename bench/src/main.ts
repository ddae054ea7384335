// `pnpm bench`: every benchmark of issue 9, measured in one run on this machine, written to
// bench/RESULTS.md. `--quick` takes fewer samples and `--only=cold,weight,…` picks sections
// (both for development: they print the results instead of writing RESULTS.md).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchDir, ensureVendorSdk, removeTempDirs } from "./lib/paths.js";
import { loadAverage, machineInfo, renderResults, type Section } from "./lib/report.js";
import { bundleSection } from "./sections/bundle.js";
import { clientOverheadSection } from "./sections/client-overhead.js";
import { coldStartSection } from "./sections/cold-start.js";
import { emulatorSection } from "./sections/emulator.js";
import { listPerCallSection, perCallSection } from "./sections/per-call.js";
import { pipelineSection } from "./sections/pipeline.js";
import { validationSection } from "./sections/validation.js";
import { weightSection } from "./sections/weight.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyArg = args.find((arg) => arg.startsWith("--only="));
const only = onlyArg?.slice("--only=".length).split(",");
const perCall = quick ? { rounds: 2, warmupMs: 100, durationMs: 250 } : { rounds: 5, warmupMs: 200, durationMs: 700 };

/** Every section, in RESULTS.md order, with its sample counts for a full and a quick run. */
const sections: Array<{ name: string; run: () => Promise<Section | Section[]> }> = [
  { name: "cold", run: () => coldStartSection(quick ? 5 : 15) },
  { name: "weight", run: () => weightSection() },
  { name: "bundle", run: () => bundleSection() },
  {
    name: "per-call",
    // 3b (in process) runs first, so the per-call table's "what limits it" can quote its figures.
    run: async () => {
      const overhead = await clientOverheadSection(quick ? 3 : 7, quick ? 50 : 150);
      return [await perCallSection(perCall, overhead.figures), overhead.section];
    },
  },
  { name: "per-call-list", run: () => listPerCallSection(perCall) },
  { name: "validation", run: () => validationSection() },
  { name: "pipeline", run: () => pipelineSection(quick ? { coldRuns: 1, changedRuns: 1 } : { coldRuns: 5, changedRuns: 5 }) },
  {
    name: "emulator",
    run: () => emulatorSection(quick ? { rounds: 2, warmupMs: 100, durationMs: 250 } : { rounds: 5, warmupMs: 300, durationMs: 1000 }),
  },
];

async function main(): Promise<void> {
  const started = performance.now();
  const machine = machineInfo();
  const before = loadAverage();
  await ensureVendorSdk();
  const results: Section[] = [];
  for (const section of sections) {
    if (only && !only.includes(section.name)) continue;
    process.stdout.write(`bench: ${section.name}…\n`);
    const produced = await section.run();
    results.push(...(Array.isArray(produced) ? produced : [produced]));
  }
  const text = renderResults(machine, { before, after: loadAverage() }, (performance.now() - started) / 1000, results);
  if (quick || only) {
    process.stdout.write(`${text}\n(quick or partial run: RESULTS.md left as it was)\n`);
  } else {
    writeFileSync(join(benchDir, "RESULTS.md"), text);
    process.stdout.write(`${text}\nwrote bench/RESULTS.md\n`);
  }
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(removeTempDirs);
