import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const marked = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)\n```/g)];

describe("README examples", () => {
  it("are the typechecked files in examples/, word for word", () => {
    expect(marked.length).toBeGreaterThanOrEqual(6);
    for (const [, file, code] of marked) {
      expect(code, file).toBe(readFileSync(new URL(`../${file}`, import.meta.url), "utf8").trimEnd());
    }
  });

  it("leave no ts block unchecked", () => {
    expect(readme.match(/```ts\n/g)?.length).toBe(marked.length);
  });
});
