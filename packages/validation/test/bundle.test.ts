import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { schemas } from "../src/index.js";

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

  it("a type guard alone leaves the message code out", async () => {
    const code = await bundle("isInstanceId");
    expect(code).toContain(schemas.InstanceId.pattern);
    expect(code).not.toContain("is not allowed in");
  });
});
