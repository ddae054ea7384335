import { spawn } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../lib/repo.js";

/** The built CLI the demo runs, as `geminidb-sessions` would after `npm install --global`. */
export const cliBin = join(repoRoot, "packages/cli/dist/bin.js");

/** A run of the CLI: its exit code and what it printed on stdout (also shown as it came). */
export interface CliRun {
  code: number;
  stdout: string;
}

/**
 * Prints `$ geminidb-sessions <args>` (pasteable once the preamble's alias and variables are
 * set), runs the built CLI with `env`, and shows its output as it comes: stdout is echoed
 * and kept for the demo to read, stderr (progress, prompts) passes straight through.
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, say: (text: string) => void): Promise<CliRun> {
  say(`$ geminidb-sessions ${args.join(" ")}`);
  const child = spawn(process.execPath, [cliBin, ...args], { stdio: ["ignore", "pipe", "inherit"], env });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    stdout += text;
    process.stdout.write(text);
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code: code ?? (signal === null ? 1 : 128), stdout }));
  });
}

/** Each node's session count, from the `node <id>: <n> session(s)` lines list-instance-sessions prints. */
export function nodeCounts(stdout: string): Map<string, number> {
  return new Map([...stdout.matchAll(/^node (\S+): (\d+) session\(s\)$/gm)].map((match) => [match[1] ?? "", Number(match[2])]));
}

/**
 * Opens `count` new sessions on one node through the emulator's admin API, as an
 * application connecting would (real TCP connections to the node's redis-server in
 * `--redis` mode). Used for set-up only: every count the demo shows comes from the API.
 */
export async function connectClients(
  admin: { adminUrl: string; adminToken: string },
  instanceId: string,
  nodeId: string,
  count: number,
): Promise<void> {
  const { adminUrl, adminToken } = admin;
  const response = await fetch(`${adminUrl}/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", "X-Admin-Token": adminToken },
    body: JSON.stringify({ instanceId, nodeId, count }),
  });
  if (!response.ok) throw new Error(`POST ${adminUrl}/sessions answered ${response.status}: ${await response.text()}`);
}

/** The counts table: one row per node, one column per moment. */
export function formatCounts(moments: ReadonlyArray<{ title: string; counts: Map<string, number> }>): string {
  const nodes = [...(moments[0]?.counts.keys() ?? [])];
  const header = ["node", ...moments.map((moment) => moment.title)];
  const rows = nodes.map((node) => [node, ...moments.map((moment) => String(moment.counts.get(node) ?? "?"))]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const cells = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ");
  return [header, ...rows].map((row) => `  ${cells(row).trimEnd()}`).join("\n");
}
