import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packagesDir } from "../lib/paths.js";
import { type Row, row, type Section } from "../lib/report.js";
import { pnpm, runOk } from "../lib/run.js";

const resultsFile = join(packagesDir, "validation", "bench", "RESULTS.md");

const numberOf = (cell: string) => Number(cell.replace(/[,×\s]/g, ""));

/** The table rows of a Markdown section that has the given header cells. */
function tableRows(text: string, header: string): string[][] {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith(header));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line.split("|").slice(1, -1);
    rows.push(cells.map((cell) => cell.trim()));
  }
  return rows;
}

/**
 * Runs the validation package's own benchmark (its `bench` script) and takes its
 * figures. That script rewrites the package's bench/RESULTS.md; the file is put back
 * as it was, so a `pnpm bench` at the root changes no file outside bench/.
 */
export async function validationSection(): Promise<Section> {
  const original = readFileSync(resultsFile, "utf8");
  let fresh: string;
  try {
    const { command, args } = pnpm();
    await runOk(command, [...args, "--filter", "@geminidb-sessions/validation", "run", "bench"], { timeoutMs: 600_000 });
    fresh = readFileSync(resultsFile, "utf8");
  } finally {
    writeFileSync(resultsFile, original);
  }
  const runs = Number(/(\d+) interleaved runs/.exec(fresh)?.[1] ?? Number.NaN);
  const rows: Row[] = [];
  for (const [caseName, contender, median, min, max, vsAjv, vsZod] of tableRows(fresh, "| case | contender |")) {
    rows.push({
      figure: `${caseName}: ${contender} (${vsAjv} Ajv, ${vsZod} Zod)`,
      unit: "validations/s",
      digits: 0,
      summary: { median: numberOf(median ?? ""), min: numberOf(min ?? ""), max: numberOf(max ?? ""), runs },
    });
  }
  for (const [imports, minified, gzip] of tableRows(fresh, "| import | minified bytes |")) {
    rows.push(row(`bundle of ${imports}, min+gzip -9 (minified: ${minified} B)`, "B", [numberOf(gzip ?? "")], 0));
  }
  if (rows.length === 0) throw new Error("the validation benchmark's RESULTS.md has no table this parser knows");
  return {
    title: "4. Validation",
    method: [
      "The validation package's own benchmark (`pnpm --filter @geminidb-sessions/validation bench`, packages/validation/bench), run as part of this run; its method and targets are in that file (interleaved runs against run-time Ajv and Zod, validations per second).",
    ],
    rows,
  };
}
