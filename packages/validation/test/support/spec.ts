import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** The repository's spec, read when the tests run (never a copy), so tests follow the spec. */
export const spec = parse(readFileSync(new URL("../../../../spec/openapi.yaml", import.meta.url), "utf8")) as {
  components: {
    schemas: Record<string, { examples?: unknown[]; pattern?: string; [k: string]: unknown }>;
    parameters: Record<string, { name: string; in: string; schema: { $ref?: string }; examples?: Record<string, { value: unknown }> }>;
    responses: Record<string, { content?: Record<string, { schema: { $ref?: string }; examples?: Record<string, { value: unknown }> }> }>;
  };
  paths: Record<string, Record<string, unknown>>;
};
