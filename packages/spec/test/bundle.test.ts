import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { openapiDocument } from "../src/index.js";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const source = parse(read("../../../spec/openapi.yaml"));

describe("@geminidb-sessions/spec", () => {
  it("exports the handwritten spec as an object", () => {
    expect(openapiDocument).toEqual(source);
  });

  it("ships JSON and YAML copies that parse to the same document", () => {
    expect(JSON.parse(read("../src/generated/openapi.json"))).toEqual(source);
    expect(parse(read("../src/generated/openapi.yaml"))).toEqual(source);
  });

  it("exports both files through package.json", () => {
    const manifest = JSON.parse(read("../package.json"));
    expect(manifest.exports["./openapi.json"]).toBe("./src/generated/openapi.json");
    expect(manifest.exports["./openapi.yaml"]).toBe("./src/generated/openapi.yaml");
    expect(manifest.files).toEqual(expect.arrayContaining(["src/generated/openapi.json", "src/generated/openapi.yaml"]));
  });
});

describe("the module's exports", () => {
  it("are named only, so the CommonJS build has no `default` beside them", async () => {
    const spec = await import("../src/index.js");
    expect(Object.keys(spec)).toEqual(["openapiDocument"]);
  });
});
