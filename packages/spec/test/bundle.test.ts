import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { dataFiles } from "../src/data-files.js";
import { openapiDocument } from "../src/index.js";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const source = parse(read("../../../spec/openapi.yaml"));

/** A file of the built package; turbo builds the package before its tests (packages/spec/turbo.json). */
function built(name: string): string {
  const url = new URL(`../dist/${name}`, import.meta.url);
  if (!existsSync(url)) throw new Error(`packages/spec/dist/${name} is missing: build the package first (\`pnpm build\`)`);
  return readFileSync(url, "utf8");
}

describe("@geminidb-sessions/spec", () => {
  it("exports the handwritten spec as an object", () => {
    expect(openapiDocument).toEqual(source);
  });

  it("makes JSON and YAML files that parse to the same document", () => {
    const files = dataFiles(openapiDocument);
    expect(files.map((file) => file.name)).toEqual(["openapi.json", "openapi.yaml"]);
    expect(JSON.parse(files[0]?.content ?? "")).toEqual(source);
    expect(parse(files[1]?.content ?? "")).toEqual(source);
  });

  it("ships them in dist/, as its build wrote them", () => {
    for (const file of dataFiles(openapiDocument)) expect(built(file.name), file.name).toBe(file.content);
  });

  it("exports both files through package.json, from dist/ (which it publishes)", () => {
    const manifest = JSON.parse(read("../package.json"));
    expect(manifest.exports["./openapi.json"]).toBe("./dist/openapi.json");
    expect(manifest.exports["./openapi.yaml"]).toBe("./dist/openapi.yaml");
    expect(manifest.files).toContain("dist");
  });

  it("commits the document once: its generated folder holds only the typed module", () => {
    expect(readdirSync(new URL("../src/generated/", import.meta.url))).toEqual(["openapi-document.gen.ts"]);
  });

  it("keeps the build-time writer and its YAML library out of the module users load", () => {
    for (const name of ["index.js", "index.cjs"]) expect(built(name), name).not.toMatch(/["']yaml["']|stringify\(/);
  });
});

describe("the module's exports", () => {
  it("are named only, so the CommonJS build has no `default` beside them", async () => {
    const spec = await import("../src/index.js");
    expect(Object.keys(spec)).toEqual(["openapiDocument"]);
  });
});
