import type { Summary } from "./stats.js";

/** One line of a results table. */
export interface Row {
  figure: string;
  unit: string;
  summary: Summary;
  /** Decimal places to print. */
  digits?: number;
  note?: string;
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

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${formatNumber(bytes / (1024 * 1024), 2)} MiB`;
  if (bytes >= 1024) return `${formatNumber(bytes / 1024, 1)} KiB`;
  return `${bytes} B`;
}

/** A results table: figure, median, min, max, runs. */
export function renderRows(rows: readonly Row[]): string[] {
  const lines = ["| figure | median | min | max | runs | unit |", "| --- | ---: | ---: | ---: | ---: | --- |"];
  for (const row of rows) {
    const f = (value: number) => formatNumber(value, row.digits ?? 1);
    const figure = row.note === undefined ? row.figure : `${row.figure} (${row.note})`;
    lines.push(
      `| ${figure} | ${f(row.summary.median)} | ${f(row.summary.min)} | ${f(row.summary.max)} | ${row.summary.runs} | ${row.unit} |`,
    );
  }
  return lines;
}

export function renderTargets(targets: readonly TargetCheck[]): string[] {
  const lines = ["| target | measured (median) | met | what limits it |", "| --- | --- | --- | --- |"];
  for (const t of targets) {
    const met = t.met === undefined ? "not measured" : t.met ? "yes" : "**no**";
    lines.push(`| ${t.target} | ${t.measured} | ${met} | ${t.limit ?? ""} |`);
  }
  return lines;
}
