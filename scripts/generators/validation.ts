import type { Generator } from "../lib/generated-file.js";

/**
 * The validation package's generated sources: facts the spec holds that
 * runtime code needs (the error catalog, the regions and their endpoints).
 * The validators themselves are added by the validation generator.
 */
export const validation: Generator = {
  name: "validation",
  outDir: "packages/validation/src/generated",
  async generate(spec) {
    const doc = spec.document as {
      "x-error-catalog": Record<string, unknown>;
      servers: Array<{ url: string; variables: { region: { enum: string[] } } }>;
    };
    const catalog = doc["x-error-catalog"];
    const regions: Record<string, string> = {};
    for (const server of doc.servers) {
      for (const region of server.variables.region.enum) regions[region] = server.url.replace("{region}", region);
    }
    const catalogTs = [
      "/** Every error code the operation can answer, from the spec's `x-error-catalog`. */",
      `export const errorCatalog = ${JSON.stringify(catalog, null, 2)} as const;`,
      "",
      "/** One of the error codes the spec's catalog lists. */",
      "export type ErrorCode = keyof typeof errorCatalog;",
      "",
    ].join("\n");
    const regionsTs = [
      "/** Every region the spec's `servers` list, with its regional endpoint. */",
      `export const regionEndpoints = ${JSON.stringify(regions, null, 2)} as const;`,
      "",
      "/** A region the spec lists. */",
      "export type Region = keyof typeof regionEndpoints;",
      "",
    ].join("\n");
    return [
      { path: `${this.outDir}/error-catalog.ts`, content: catalogTs },
      { path: `${this.outDir}/regions.ts`, content: regionsTs },
    ];
  },
};
