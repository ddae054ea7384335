import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { type Summary, summarize } from "./stats.js";

/** One line of a results table. */
export interface Row {
  figure: string;
  unit: string;
  summary: Summary;
  /** Decimal places to print. */
  digits?: number;
}

/** A table row summarising `samples` (a size measured once is one sample). */
export function row(figure: string, unit: string, samples: readonly number[], digits = 1): Row {
  return { figure, unit, digits, summary: summarize(samples) };
}

/** A target from issue 9, checked against the figures of this run. */
export interface TargetCheck {
  target: string;
  measured: string;
  /** undefined: not measured (the reason is in `limit`). */
  met: boolean | undefined;
  /** What limits the figure, for a target that is not met or not measured. */
  limit?: string;
}

/** A target's line; `limit` only where one is given. */
export function targetRow(target: string, measured: string, met: boolean | undefined, limit?: string): TargetCheck {
  return { target, measured, met, ...(limit === undefined ? {} : { limit }) };
}

/** One part of RESULTS.md. */
export interface Section {
  title: string;
  /** How it was measured: printed above the table. */
  method: string[];
  rows: Row[];
  /** Printed below the table. */
  notes?: string[];
  targets?: TargetCheck[];
}

export function formatNumber(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A byte count as it is, grouped: `19,082 B`. */
export function exactBytes(bytes: number): string {
  return `${bytes.toLocaleString("en-US")} B`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${formatNumber(bytes / (1024 * 1024), 2)} MiB`;
  if (bytes >= 1024) return `${formatNumber(bytes / 1024, 1)} KiB`;
  return `${bytes} B`;
}

/** A results table: figure, median, min, max, runs. */
function renderRows(rows: readonly Row[]): string[] {
  const lines = ["| figure | median | min | max | runs | unit |", "| --- | ---: | ---: | ---: | ---: | --- |"];
  for (const { figure, unit, summary, digits } of rows) {
    const f = (value: number) => formatNumber(value, digits ?? 1);
    lines.push(`| ${figure} | ${f(summary.median)} | ${f(summary.min)} | ${f(summary.max)} | ${summary.runs} | ${unit} |`);
  }
  return lines;
}

function renderTargets(targets: readonly TargetCheck[]): string[] {
  const lines = ["| target | measured (median) | met | what limits it |", "| --- | --- | --- | --- |"];
  for (const t of targets) {
    const met = t.met === undefined ? "not measured" : t.met ? "yes" : "**no**";
    lines.push(`| ${t.target} | ${t.measured} | ${met} | ${t.limit ?? ""} |`);
  }
  return lines;
}

/** What the figures were measured on. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memory: string;
  os: string;
  node: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? "unknown CPU",
    cores: list.length,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${platform()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

/** The 1-, 5- and 15-minute load averages, rounded: other work on the machine shows up here. */
export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(" / ");
}

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
    lines.push(`## ${section.title}`, "", ...section.method, "", ...renderRows(section.rows), "");
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
