import { stringify } from "yaml";

/**
 * The spec as the data files the package ships for tools in any language:
 * `openapi.json` and `openapi.yaml`. The build (tsup.config.ts) writes them into
 * dist/ from `openapiDocument`, the one form of the document the repository commits
 * (src/generated/openapi-document.gen.ts); the tests check them against
 * spec/openapi.yaml. Build-time code only: the package's entry point does not
 * import it, so nothing of it (nor `yaml`) reaches dist/index.*.
 */
export function dataFiles(document: unknown): Array<{ name: "openapi.json" | "openapi.yaml"; content: string }> {
  return [
    { name: "openapi.json", content: `${JSON.stringify(document, null, 2)}\n` },
    { name: "openapi.yaml", content: stringify(document, { lineWidth: 0 }) },
  ];
}
