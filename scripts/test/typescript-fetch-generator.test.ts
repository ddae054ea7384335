import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import {
  generatorArguments,
  generatorWarnings,
  knownGeneratorWarnings,
  runOpenapiGenerator,
  typescriptFetchEntry,
} from "../generators/typescript-fetch.js";
import { loadSpec } from "../lib/repo.js";

describe("the openapi-generator arguments built from openapitools.json", () => {
  it("validate the spec: skipValidateSpec false passes no --skip-validate-spec (the npm wrapper passed it for any boolean)", async () => {
    const entry = await typescriptFetchEntry();
    expect(entry.skipValidateSpec).toBe(false);
    const args = generatorArguments(entry, "/repo");
    expect(args.some((a) => a.startsWith("--skip-validate-spec"))).toBe(false);
    expect(args).toContain("--generator-name=typescript-fetch");
    expect(args).toContain("--input-spec=/repo/spec/openapi.yaml");
  });

  it("turn a true boolean into a bare flag and objects into name=value lists", () => {
    expect(
      generatorArguments(
        { skipValidateSpec: true, dryRun: false, additionalProperties: { supportsES6: true, paramNaming: "camelCase" } },
        "/r",
      ),
    ).toEqual(["--skip-validate-spec", "--additional-properties=supportsES6=true,paramNaming=camelCase"]);
  });
});

describe("the generator's log", () => {
  it("yields every WARN and ERROR line, naming the reason of the known ones", () => {
    const log = [
      "[main] INFO  o.o.codegen.DefaultGenerator - Generating with dryRun=false",
      "[main] WARN  o.o.codegen.DefaultCodegen - OpenAPI 3.1 support is still in beta. To report an issue ...",
      "[main] WARN  o.o.codegen.utils.ModelUtils - Something new",
      "[main] INFO  o.o.codegen.DefaultGenerator - Model Foo not generated since it's a free-form object",
    ].join("\n");
    const warnings = generatorWarnings(log);
    expect(warnings.map((w) => w.line)).toEqual([
      expect.stringContaining("3.1 support"),
      expect.stringContaining("Something new"),
      expect.stringContaining("Model Foo not generated"),
    ]);
    expect(warnings[0]?.knownReason).toBe(knownGeneratorWarnings[0]?.reason);
    expect(warnings[1]?.knownReason).toBeUndefined();
    expect(warnings[2]?.knownReason).toBeUndefined();
  });
});

describe("openapi-generator on a spec", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "openapi-generator-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function run(doc: Record<string, unknown>, name: string) {
    const inputSpec = join(dir, `${name}.yaml`);
    await writeFile(inputSpec, stringify(doc));
    const entry = { ...(await typescriptFetchEntry()), inputSpec, output: join(dir, name) };
    return runOpenapiGenerator(entry);
  }

  it("fails generation when the generator's spec validation rejects the spec, with its report", async () => {
    const doc = structuredClone((await loadSpec()).document);
    const parameters = (doc.components as { parameters: Record<string, { required?: boolean }> }).parameters;
    const projectId = parameters.ProjectId;
    if (!projectId) throw new Error("the spec has no ProjectId parameter");
    projectId.required = false; // a path parameter must be required
    await expect(run(doc, "rejected")).rejects.toThrow(
      /rejected .*rejected\.yaml:\n.*issues with the specification[\s\S]*path parameter ProjectId/,
    );
  });

  it("shows the real spec's warnings, and every one is a known one", async () => {
    const doc = parse(stringify((await loadSpec()).document)) as Record<string, unknown>;
    const warnings = await run(doc, "real");
    expect(warnings.some((w) => /3\.1 support/.test(w.line))).toBe(true);
    expect(warnings.some((w) => /CloseSessionsResponse not generated/.test(w.line))).toBe(true);
    expect(warnings.filter((w) => w.knownReason === undefined)).toEqual([]);
  });
});
