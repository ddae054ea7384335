import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const marked = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)\n```/g)];

describe("README examples", () => {
  it("are typechecked example files, word for word (this package's, and the client's for the comparison)", () => {
    expect(marked.length).toBeGreaterThanOrEqual(6);
    for (const [, file, code] of marked) {
      expect(code, file).toBe(readFileSync(new URL(`../${file}`, import.meta.url), "utf8").trimEnd());
    }
  });

  it("show the same call in both flavors", () => {
    const files = marked.map(([, file]) => file);
    expect(files).toContain("../client/examples/token.ts");
    expect(files).toContain("examples/token.ts");
  });

  it("leave no ts block unchecked", () => {
    expect(readme.match(/```ts\n/g)?.length).toBe(marked.length);
  });

  it("show every file in examples/", () => {
    const shown = new Set(marked.map(([, file]) => file));
    const examples = readdirSync(new URL("../examples/", import.meta.url)).filter((name) => name.endsWith(".ts"));
    expect(examples.length).toBeGreaterThan(0);
    for (const name of examples) expect(shown, name).toContain(`examples/${name}`);
  });
});
