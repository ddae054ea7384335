// `pnpm spec:claims`: every claim of the spec, sourced or assumed, for a reviewer.
//
//   pnpm spec:claims                 a table: sourced claims, then assumed ones, then unmarked objects
//   pnpm spec:claims --assumed       only the assumed ones (what to check before trusting the spec)
//   pnpm spec:claims --json          one JSON array of {pointer, kind, status, detail}
//   pnpm spec:claims --spec FILE     another spec file (default spec/openapi.yaml)
//
// Exits 1 when an object that needs a marker (operation, catalog entry) has none.
import { parseArgs } from "node:util";
import { type ClaimRow, claimRows } from "../spec/lint/lib/provenance.js";
import { loadSpec, runMain } from "./lib/repo.js";

const STATUSES = ["sourced", "assumed", "unmarked"] as const;

function table(rows: ClaimRow[], all: ClaimRow[]): string {
  const out: string[] = [];
  for (const status of STATUSES) {
    const group = rows.filter((r) => r.status === status);
    if (group.length === 0) continue;
    out.push(`${status.toUpperCase()} (${group.length})`);
    for (const row of group) out.push(`  ${row.pointer}  [${row.kind}]`, `      ${row.detail}`);
    out.push("");
  }
  const count = (s: (typeof STATUSES)[number]) => all.filter((r) => r.status === s).length;
  out.push(`In all: ${count("sourced")} sourced, ${count("assumed")} assumed, ${count("unmarked")} unmarked`);
  return `${out.join("\n")}\n`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { json: { type: "boolean", default: false }, assumed: { type: "boolean", default: false }, spec: { type: "string" } },
  });
  const { document } = await loadSpec(values.spec);
  const all = claimRows(document);
  const rows = values.assumed ? all.filter((r) => r.status === "assumed") : all;
  process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : table(rows, all));
  return all.some((r) => r.status === "unmarked") ? 1 : 0;
}

runMain("spec:claims", main);
