import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { brokenSpecs } from "./support/broken-specs.js";
import { type JsonObject, loadSpecDocument, securitySchemes, specFile } from "./support/openapi-document.js";
import { lintSpec, lintSpecText } from "./support/redocly-lint.js";

let fixtureDir: string;

beforeAll(async () => {
  fixtureDir = await mkdtemp(join(tmpdir(), "spec-lint-fixtures-"));
});

afterAll(async () => {
  await rm(fixtureDir, { recursive: true, force: true });
});

/** Writes a (derived) spec where redocly can read it. */
async function writeFixture(name: string, doc: JsonObject): Promise<string> {
  const file = join(fixtureDir, `${name}.yaml`);
  await writeFile(file, stringify(doc));
  return file;
}

describe("the spec quality gate (redocly lint with redocly.yaml)", () => {
  it("passes the real spec with no errors and no warnings", async () => {
    const result = await lintSpec(specFile);
    expect(result.problems).toEqual([]);
    expect(result.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(result.exitCode).toBe(0);
    // Problems in redocly.yaml itself (a misspelt built-in rule, a bad plugin) only show on stderr.
    expect(result.stderr).toContain("Your API description is valid");
    expect(result.stderr).not.toMatch(/redocly\.yaml:\d+|warn|error/i);
  });

  it("passes the real spec unchanged after a YAML round trip, so the fixtures differ from it only by their breakage", async () => {
    const result = await lintSpec(await writeFixture("round-trip", await loadSpecDocument()));
    expect(result.problems).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it("accepts x-header-schema written as a $ref to components.schemas", async () => {
    const doc = await loadSpecDocument();
    const schemes = securitySchemes(doc).filter((s) => typeof s["x-header-schema"] === "string");
    expect(schemes.length).toBeGreaterThan(0);
    for (const scheme of schemes) scheme["x-header-schema"] = { $ref: `#/components/schemas/${String(scheme["x-header-schema"])}` };
    const result = await lintSpec(await writeFixture("header-schema-as-ref", doc));
    expect(result.problems).toEqual([]);
  });

  describe.each(brokenSpecs)("fails a spec with $name", ({ name, rule, alsoReportedBy = [], mentions, breakSpec }) => {
    it(`and ${rule} reports it`, async () => {
      const doc = await loadSpecDocument();
      breakSpec(doc);
      const result = await lintSpec(await writeFixture(name, doc));
      expect(result.exitCode).not.toBe(0);
      const errors = result.problems.filter((p) => p.severity === "error");
      // Only the rule under test fires: the fixture fails for the intended reason.
      expect(new Set(errors.map((p) => p.ruleId))).toEqual(new Set([rule, ...alsoReportedBy]));
      for (const text of mentions) {
        expect(
          errors.some((p) => p.message.includes(text)),
          `a ${rule} message mentions ${text}`,
        ).toBe(true);
      }
    });
  });

  it("names the failing rule in its human-readable report", async () => {
    const [fixture] = brokenSpecs;
    if (!fixture) throw new Error("no broken spec fixtures");
    const doc = await loadSpecDocument();
    fixture.breakSpec(doc);
    const { exitCode, output } = await lintSpecText(await writeFixture(`${fixture.name}-text`, doc));
    expect(exitCode).not.toBe(0);
    expect(output).toContain(fixture.rule);
  });
});
