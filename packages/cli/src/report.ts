import type { InstanceResult } from "./instance-result.js";
import type { Outcome } from "./outcome.js";
import type { PlannedRequest } from "./plan.js";
import type { Style } from "./style.js";

/**
 * What `--json` prints: one object per run, on stdout.
 *
 * @example
 * geminidb-sessions close --json ... | jq -r '.results[] | select(.status == "failed") | .instanceId'
 */
export interface CloseReport {
  command: "close";
  /** `usage` and `declined` are runs that sent nothing. */
  outcome: Outcome | "usage" | "declined";
  exitCode: number;
  dryRun: boolean;
  /** The origin requests went (or would go) to, once known. */
  endpoint?: string;
  projectId?: string;
  /** How many instances ended in each status. */
  counts: { total: number; closed: number; failed: number; aborted: number };
  /** One entry per instance, in the order given. */
  results: InstanceResult[];
  /** Why nothing was sent, for `usage` and `declined`. */
  error?: { message: string; details: string[] };
}

/**
 * A report with its fields in the documented order (readers scan `outcome` first,
 * `results` last), whatever order the caller knew them in.
 */
export function buildReport(fields: Omit<CloseReport, "command" | "counts"> & { counts?: CloseReport["counts"] }): CloseReport {
  const report: CloseReport = {
    command: "close",
    outcome: fields.outcome,
    exitCode: fields.exitCode,
    dryRun: fields.dryRun,
    counts: countResults([]),
    results: [],
  };
  if (fields.endpoint !== undefined) report.endpoint = fields.endpoint;
  if (fields.projectId !== undefined) report.projectId = fields.projectId;
  report.counts = fields.counts ?? countResults(fields.results);
  report.results = fields.results;
  if (fields.error !== undefined) report.error = fields.error;
  return report;
}

/** Counts per status. */
export function countResults(results: readonly InstanceResult[]): CloseReport["counts"] {
  const count = (status: InstanceResult["status"]) => results.filter((result) => result.status === status).length;
  return { total: results.length, closed: count("closed"), failed: count("failed"), aborted: count("aborted") };
}

/** The dry run's results: one per planned request. */
export function dryRunResults(planned: readonly PlannedRequest[]): InstanceResult[] {
  return planned.map(({ instanceId, method, url, headers }) => ({ instanceId, status: "dry-run", request: { method, url, headers } }));
}

/** The dry run for people: each request as an HTTP request head. */
export function formatDryRun(planned: readonly PlannedRequest[]): string {
  const blocks = planned.map(({ method, url, headers }) => {
    const lines = [`${method} ${url}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
    return `${lines.join("\n")}\n`;
  });
  return blocks.join("\n");
}

function pad(text: string, width: number, visible = text.length): string {
  return text + " ".repeat(Math.max(0, width - visible));
}

/**
 * The summary table: instance, result, error code, request ID; then a totals line.
 * Colors only touch the result column, and never change its width.
 */
export function formatSummaryTable(results: readonly InstanceResult[], style: Style): string {
  const header = ["INSTANCE", "RESULT", "CODE", "REQUEST ID"];
  const rows = results.map((result) => [result.instanceId, result.status, result.code ?? "-", result.requestId ?? "-"]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const paint = (status: string) =>
    status === "closed" ? style.green(status) : status === "failed" ? style.red(status) : style.yellow(status);
  const line = (cells: string[], painted = false) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        if (column === cells.length - 1) return cell;
        return column === 1 && painted ? pad(paint(cell), width, cell.length) : pad(cell, width);
      })
      .join("  ");
  const counts = countResults(results);
  const totals = [`${counts.closed} of ${counts.total} closed`, ...(counts.failed > 0 ? [`${counts.failed} failed`] : [])];
  if (counts.aborted > 0) totals.push(`${counts.aborted} aborted`);
  return `${[style.bold(line(header)), ...rows.map((row) => line(row, true))].join("\n")}\n${totals.join(", ")}\n`;
}

/** What went wrong with each failed instance: code, message, and the catalog's meaning and remedy. No stack traces. */
export function formatFailureDetails(results: readonly InstanceResult[], style: Style): string {
  return results
    .filter((result) => result.status === "failed")
    .map((result) => {
      const http = result.httpStatus === undefined ? "" : ` (HTTP ${result.httpStatus})`;
      const code = result.code ?? "error";
      const message = result.message ?? "";
      // The client's messages already start with the code and name the request; say each thing once.
      const headline = message.startsWith(code) ? message : `${code}${http}: ${message}`;
      const lines = [`${style.red("error")} ${result.instanceId}: ${headline}`];
      if (result.meaning !== undefined) lines.push(`  meaning: ${result.meaning}`);
      if (result.remedy !== undefined) lines.push(`  remedy:  ${result.remedy}`);
      if (result.requestId !== undefined && !message.includes(result.requestId)) lines.push(`  request: ${result.requestId}`);
      return `${lines.join("\n")}\n`;
    })
    .join("");
}
