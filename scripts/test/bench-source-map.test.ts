import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sourceOfEachChar } from "../../bench/src/sections/bundle.js";
import { repoRoot } from "../lib/repo.js";

// esbuild is the bench's dependency (the version its figures come from), not the root's.
const { build } = createRequire(join(repoRoot, "bench", "package.json"))("esbuild") as {
  build(options: Record<string, unknown>): Promise<{ outputFiles: Array<{ path: string; text: string }> }>;
};

// The bench's bundle section says what each source module costs by reading which module each
// character of the bundle came from out of esbuild's source map. A wrong decoding would put
// the bytes of one module on another and the figures in RESULTS.md would be wrong.
const dir = mkdtempSync(join(tmpdir(), "bench-source-map-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(join(dir, "first.ts"), 'export function first(): string {\n  return "AAAAAAAAAAAAAAAAAAAA";\n}\n');
writeFileSync(join(dir, "second.ts"), 'export function second(): string {\n  return "BBBBBBBBBBBBBBBBBBBB";\n}\n');
writeFileSync(
  join(dir, "entry.ts"),
  'import { first } from "./first";\nimport { second } from "./second";\nconsole.log(second(), first(), "CCCCCCCCCCCCCCCCCCCC");\n',
);

async function bundled(minify: boolean): Promise<{ code: string; owner: Int32Array; sources: string[] }> {
  const result = await build({
    entryPoints: [join(dir, "entry.ts")],
    bundle: true,
    minify,
    format: "esm",
    write: false,
    sourcemap: "external",
    outfile: join(dir, "out.js"),
    logLevel: "silent",
  });
  const code = result.outputFiles.find((file) => file.path.endsWith(".js"))?.text ?? "";
  const map = JSON.parse(result.outputFiles.find((file) => file.path.endsWith(".map"))?.text ?? "{}") as {
    sources: string[];
    mappings: string;
  };
  return { code, owner: sourceOfEachChar(code, map.mappings), sources: map.sources };
}

/** The file names the characters of `text` in `code` are attributed to. */
function ownersOf(text: string, { code, owner, sources }: Awaited<ReturnType<typeof bundled>>): Set<string> {
  const at = code.indexOf(text);
  expect(at).toBeGreaterThanOrEqual(0);
  return new Set(Array.from(owner.subarray(at, at + text.length), (index) => sources[index]?.replace(/^.*\//, "") ?? "none"));
}

describe("the bench's source-map reading", () => {
  for (const minify of [true, false]) {
    it(`puts each module's characters on that module (${minify ? "minified, one line" : "not minified, many lines"})`, async () => {
      const bundle = await bundled(minify);
      expect(ownersOf("AAAAAAAAAAAAAAAAAAAA", bundle)).toEqual(new Set(["first.ts"]));
      expect(ownersOf("BBBBBBBBBBBBBBBBBBBB", bundle)).toEqual(new Set(["second.ts"]));
      expect(ownersOf("CCCCCCCCCCCCCCCCCCCC", bundle)).toEqual(new Set(["entry.ts"]));
      expect(bundle.owner.length).toBe(bundle.code.length);
    });
  }
});
