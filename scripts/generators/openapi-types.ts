import openapiTS, { astToString } from "openapi-typescript";
import type { Generator } from "../lib/generated-file.js";

/** openapi-typescript: the `paths` / `components` types that packages/client binds openapi-fetch to. */
export const openapiTypes: Generator = {
  name: "openapi-typescript",
  outDir: "packages/client/src/generated",
  async generate(spec) {
    const ast = await openapiTS(spec.text, {
      exportType: false,
      alphabetize: false,
      immutable: false,
      rootTypes: false,
    });
    return [{ path: `${this.outDir}/schema.gen.ts`, content: astToString(ast) }];
  },
};
