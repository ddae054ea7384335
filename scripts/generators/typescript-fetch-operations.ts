/**
 * `generated-api.gen.ts` for the typescript-fetch package: names the one class openapi-generator
 * makes for the spec's operations (one class per tag), so the handwritten `SessionsApi`
 * extends it without knowing the tag, and an operation added to the spec reaches it by
 * regeneration alone.
 */
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** openapi-generator's class name for a tag: `Connection Management` → `ConnectionManagementApi`. */
function apiClassName(tag: string): string {
  return `${tag
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("")}Api`;
}

export function generatedApiModule(document: Record<string, unknown>): string {
  const tags = new Set<string>();
  for (const item of Object.values((document.paths ?? {}) as Record<string, Record<string, { tags?: string[] }>>)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) tags.add(operation.tags?.[0] ?? "Default");
    }
  }
  if (tags.size !== 1)
    throw new Error(
      `the typescript-fetch flavour needs every operation under one tag (one generated class); found ${[...tags].join(", ")}`,
    );
  const name = apiClassName([...tags][0] as string);
  return [
    `import { ${name} } from "./apis/index.js";`,
    "",
    "/** The class openapi-generator made for the spec's operations: `SessionsApi` extends it. */",
    `export const GeneratedApi: typeof ${name} = ${name};`,
    `export type GeneratedApi = ${name};`,
    "",
  ].join("\n");
}
