import type { MachineInfo } from "./machine.js";
import { renderRows, renderTargets, type Section, type TargetCheck } from "./report.js";

/** The whole RESULTS.md: machine, every section's table, then every target in one list. */
export function renderResults(
  machine: MachineInfo,
  load: { before: string; after: string },
  seconds: number,
  sections: readonly Section[],
): string {
  const lines = [
    "# Benchmark results",
    "",
    "Written by `pnpm bench` (bench/src/main.ts); see bench/README.md for what each figure means and how to read it.",
    "Benchmarks are not tests: nothing here passes or fails a build.",
    "",
    "| machine (CPU model, cores) | memory | OS | Node.js | date | load average before / after (1, 5, 15 min) | run took |",
    "| --- | --- | --- | --- | --- | --- | ---: |",
    `| ${machine.cpu}, ${machine.cores} cores | ${machine.memory} | ${machine.os} | ${machine.node} | ${machine.date} | ${load.before} → ${load.after} | ${Math.round(seconds)} s |`,
    "",
    ...busyNote(machine, load.before, load.after),
  ];
  const targets: TargetCheck[] = [];
  for (const section of sections) {
    lines.push(`## ${section.title}`, "", ...section.method.map((line) => `${line}`), "", ...renderRows(section.rows), "");
    if (section.notes && section.notes.length > 0) lines.push(...section.notes, "");
    targets.push(...(section.targets ?? []));
  }
  if (targets.length > 0) lines.push("## Targets (issues 9 and 15)", "", ...renderTargets(targets), "");
  return lines.join("\n");
}

/** Says so when other work shared the cores: absolute figures then read low and noisy, ratios hold up better. */
function busyNote(machine: MachineInfo, before: string, after: string): string[] {
  const oneMinute = (load: string) => Number(load.split(" / ")[0]);
  const busiest = Math.max(oneMinute(before), oneMinute(after));
  if (!(busiest >= machine.cores / 2)) return [];
  return [
    `The machine was not idle: a 1-minute load average of ${busiest.toFixed(2)} on ${machine.cores} cores at the start or end of the run, other work included ` +
      "(on a shared development machine, other builds and tests). Absolute figures read lower and noisier than on an idle machine; the ratios, " +
      "taken pair by pair within a round, hold up better. Look at min and max before trusting a small difference.",
    "",
  ];
}
