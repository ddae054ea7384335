import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { errorAdvice, errorCatalog, regionEndpoints, schemas } from "../src/index.js";

const packageDir = new URL("..", import.meta.url).pathname;
const generatedValidators = new URL("../src/generated/validators.gen.js", import.meta.url);
const kebab = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();

/** Bundles `imports` from the package's source for a browser, minified, as a consumer's bundler would. */
async function bundle(imports: string): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import { ${imports} } from "./src/index.ts"; globalThis.used = [${imports}];`,
      resolveDir: packageDir,
      loader: "ts",
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

describe("no run-time code generation and no dependencies", () => {
  it("the package declares no dependencies", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(Object.keys(manifest.dependencies ?? {})).toEqual([]);
    expect(Object.keys(manifest.peerDependencies ?? {})).toEqual([]);
  });

  it("the generated validators are self-contained: no import, require, eval or new Function", () => {
    const code = readFileSync(generatedValidators, "utf8");
    expect(code).not.toMatch(/\bimport\b|\brequire\(|\beval\(|new Function/);
    // Every schema has a validator there (schemas whose compiled code is the same share one).
    for (const name of Object.keys(schemas)) {
      const source = readFileSync(new URL(`../src/generated/validate-${kebab(name)}.gen.ts`, import.meta.url), "utf8");
      const shared = /import \{ (\w+)(?: as validate)? \} from "\.\/validators\.gen\.js";/.exec(source)?.[1];
      expect(shared, name).toBeDefined();
      expect(code, name).toContain(`export const ${shared} = `);
    }
  });

  it("a bundle of the whole package has no require, ajv import, eval or new Function", async () => {
    const code = await bundle(Object.keys(await import("../src/index.js")).join(", "));
    expect(code).not.toMatch(/require\(|from\s*"ajv|\beval\(|new Function/);
  });
});

describe("each validator tree-shakes", () => {
  it("importing validateProjectId bundles no other schema's validator", async () => {
    const code = await bundle("validateProjectId");
    expect(code).toContain(schemas.ProjectId.pattern);
    expect(code).not.toContain(schemas.InstanceId.pattern);
    expect(code).not.toContain("error_code");
    expect(code).not.toContain("DBS.200001"); // the error catalog
  });

  it("importing the path parameters validator leaves the error bodies and credentials out", async () => {
    const code = await bundle("validateCloseInstanceSessionsInput");
    expect(code).toContain(schemas.InstanceId.pattern);
    expect(code).not.toContain("error_code");
    expect(code).not.toContain("SDK-HMAC-SHA256");
    expect(code).not.toContain("https://json-schema.org"); // the exported JSON Schemas
  });

  it("only a schema with anyOf/oneOf brings the code that explains those failures", async () => {
    expect(await bundle("validateCloseInstanceSessionsInput")).not.toContain("matches neither");
    expect(await bundle("validateErrorBody")).toContain("matches neither");
  });

  it("a type guard alone leaves the message code out", async () => {
    const code = await bundle("isInstanceId");
    expect(code).toContain(schemas.InstanceId.pattern);
    expect(code).not.toContain("is not allowed in");
  });
});

describe("the catalog and the regions, as the spec writes them", () => {
  const spec = parse(readFileSync(new URL("../../../spec/openapi.yaml", import.meta.url), "utf8")) as {
    servers: Array<{ url: string; variables: { region: { enum: string[] } } }>;
    "x-error-catalog": Record<string, Record<string, unknown>>;
  };
  const withoutProvenance = (entry: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(entry).filter(([key]) => !key.startsWith("x-")));

  it("errorCatalog holds every code with the spec's values, in the spec's key order", () => {
    const expected = Object.fromEntries(Object.entries(spec["x-error-catalog"]).map(([code, entry]) => [code, withoutProvenance(entry)]));
    expect(errorCatalog).toEqual(expected);
    // The same keys in the same order: what a program that prints or serializes the catalog shows.
    expect(JSON.stringify(errorCatalog)).toBe(JSON.stringify(expected));
  });

  it("errorAdvice is errorCatalog without the service's messages", () => {
    const expected = Object.fromEntries(Object.entries(errorCatalog).map(([code, { message: _message, ...rest }]) => [code, rest]));
    expect(JSON.stringify(errorAdvice)).toBe(JSON.stringify(expected));
  });

  it("regionEndpoints holds every region of every server, with its endpoint, in the spec's order", () => {
    const expected: Record<string, string> = {};
    for (const server of spec.servers)
      for (const region of server.variables.region.enum) expected[region] = server.url.replace("{region}", region);
    expect(JSON.stringify(regionEndpoints)).toBe(JSON.stringify(expected));
  });

  it("importing errorAdvice leaves the service's messages out", async () => {
    const code = await bundle("errorAdvice");
    expect(code).toContain(errorAdvice["DBS.200002"].meaning);
    for (const { message } of Object.values(errorCatalog)) expect(code).not.toContain(message);
  });
});
