import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const packageDir = new URL("..", import.meta.url).pathname;

/** Bundles a program using `imports` of this package (its built entry, as published) for a browser, minified, as an application's bundler would. */
async function bundle(imports: string): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import { ${imports} } from "./dist/index.js"; globalThis.used = [${imports}];`,
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

describe("a program pays for the operations it imports", () => {
  it("createBareSessionsClient with closeInstanceSessions bundles that operation alone, without openapi-fetch", async () => {
    const code = await bundle("createBareSessionsClient, closeInstanceSessions");
    expect(code).toContain('"CloseInstanceSessionsInput"');
    for (const other of ["ListNodeSessionsResponse", "NodeSessionStatistics", "CloseNodeSessionsRequest", "ListInstanceSessionsInput"])
      expect(code, other).not.toContain(other);
    expect(code, "openapi-fetch").not.toContain("querySerializer");
  });

  it("createSessionsClient bundles every operation and openapi-fetch, as its methods and raw need", async () => {
    const code = await bundle("createSessionsClient");
    for (const schema of ["CloseInstanceSessionsInput", "ListNodeSessionsResponse", "NodeSessionStatistics"])
      expect(code, schema).toContain(schema);
    expect(code, "openapi-fetch").toContain("querySerializer");
  });
});
