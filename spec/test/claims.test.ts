import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { repoRoot } from "../../scripts/lib/repo.js";
import type { ClaimRow } from "../lint/lib/provenance.js";
import { errorCatalogOf, loadSpecDocument } from "./support/openapi-document.js";

const run = promisify(execFile);
const tsx = join(repoRoot, "node_modules/tsx/dist/cli.mjs");

/** Runs `pnpm spec:claims` (its script, through tsx) with the given arguments. */
async function specClaims(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [tsx, "scripts/spec-claims.ts", ...args], { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "spec-claims-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("pnpm spec:claims", () => {
  it("lists every claim of the real spec, sourced and assumed, and exits 0", async () => {
    const { code, stdout } = await specClaims("--json");
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as ClaimRow[];
    expect(rows.some((r) => r.status === "unmarked")).toBe(false);
    const doc = await loadSpecDocument();
    // Every catalog entry is listed, each with at least one row.
    for (const codeName of Object.keys(errorCatalogOf(doc))) {
      expect(
        rows.some((r) => r.pointer === `#/x-error-catalog/${codeName}`),
        codeName,
      ).toBe(true);
    }
    expect(rows).toContainEqual({
      pointer: "#/paths/~1v3~1{project_id}~1redis~1nodes~1{node_id}~1sessions/get",
      kind: "operation",
      status: "sourced",
      detail: "https://support.huaweicloud.com/intl/en-us/api-nosql/nosql_05_0053.html",
    });
    expect(rows).toContainEqual(expect.objectContaining({ pointer: "#/components/schemas/NodeId", kind: "schema", status: "assumed" }));
    for (const row of rows.filter((r) => r.status === "sourced")) expect(row.detail).toMatch(/^https:\/\//);
  });

  it("prints a readable table by default, and only assumed claims with --assumed", async () => {
    const table = await specClaims();
    expect(table.stdout).toMatch(/^SOURCED \(\d+\)$/m);
    expect(table.stdout).toMatch(/^ASSUMED \(\d+\)$/m);
    expect(table.stdout).toMatch(/In all: \d+ sourced, \d+ assumed, 0 unmarked/);
    const assumed = await specClaims("--assumed", "--json");
    const rows = JSON.parse(assumed.stdout) as ClaimRow[];
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(["assumed"]));
  });

  it("lists an unmarked catalog entry and exits 1", async () => {
    const doc = await loadSpecDocument();
    const entry = errorCatalogOf(doc)["DBS.200002"];
    if (!entry) throw new Error("The catalog has no DBS.200002");
    delete entry["x-source"];
    delete entry["x-assumption"];
    const file = join(dir, "unmarked.yaml");
    await writeFile(file, stringify(doc));
    const { code, stdout } = await specClaims("--spec", file);
    expect(code).toBe(1);
    expect(stdout).toMatch(/UNMARKED \(1\)\n {2}#\/x-error-catalog\/DBS\.200002 {2}\[error catalog entry\]/);
  });
});
